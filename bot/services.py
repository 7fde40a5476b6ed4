"""The services one running Trimtab shares: built once by the app factory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from botbuilder.integration.aiohttp import CloudAdapter

from bot.clock import Clock
from bot.directory import Directory
from bot.proactive import ProactiveSender
from bot.roles import RoleDirectory
from bot.router import CommandRouter
from bot.settings import Settings
from bot.storage import DocumentStore
from champions import ChampionService
from wol_circles import CircleService


@dataclass
class Services:
    """Everything a handler or a scheduled job may need, in one place."""

    settings: Settings
    store: DocumentStore
    clock: Clock
    adapter: CloudAdapter
    router: CommandRouter
    roles: RoleDirectory
    directory: Directory
    scheduler: AsyncIOScheduler
    proactive: ProactiveSender
    circles: CircleService
    champions: ChampionService
    started_at: datetime = field(default_factory=lambda: datetime.min)
