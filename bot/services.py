"""The services one running Trimtab shares: built once by the app factory."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from botbuilder.integration.aiohttp import CloudAdapter

from adoption.pseudonym import Pseudonymiser
from audience import PreferencesRepository
from bot.background import BackgroundTasks, ComputeLane
from bot.clock import Clock
from bot.directory import Directory
from bot.fanout import FanOut
from bot.proactive import ProactiveSender
from bot.roles import RoleDirectory
from bot.router import CommandRouter
from bot.settings import Settings
from bot.storage import DocumentStore
from bot.tenancy import Tenancy
from bot.tenant_reports import TenantReports
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
    tenancy: Tenancy
    preferences: PreferencesRepository
    fanout: FanOut
    started_at: datetime = field(default_factory=lambda: datetime.min)
    # Per-app state (never module globals): one sync at a time, the dashboard signing
    # keys read from the data dir, the champion-id pseudonymiser. (Circle due-runs need
    # no lock: their writes are conditional and their sends keyed.)
    sync_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Work that outlives a turn (``adoption sync``): cancelled and awaited when the app stops.
    background: BackgroundTasks = field(default_factory=BackgroundTasks)
    # CPU work of reports, cards and dashboard pages: never on the event loop.
    compute: ComputeLane = field(default_factory=ComputeLane)
    # One whole-tenant report read and measured at a time, shared by equal requests while
    # it runs: ten pages at once each held all 2,000 teams' documents while they queued for
    # the compute lane, and the collector's full passes over them held every thread,
    # /healthz included, for about a second (bot/tenant_reports.py).
    tenant_reports: TenantReports = field(default_factory=TenantReports)
    signing_keys: dict[Path, bytes] = field(default_factory=dict)
    pseudonymiser: Pseudonymiser | None = None
