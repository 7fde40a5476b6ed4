"""The aiohttp application factory.

``create_app(settings)`` builds the app; storage, the scheduler and every
feature's jobs start and stop with it through ``cleanup_ctx``. Routes:

    POST /api/messages   Bot Framework activities (CloudAdapter)
    GET  /healthz        status, version, storage and scheduler state
    GET  /dashboard/…    the admin dashboard (signed links; see bot.dashboard)
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from audience import PreferencesRepository
from bot import __version__
from bot._delivery_connector import speed_up_msrest_retry_policy
from bot.app_installer import installer_for
from bot.auth import StrictBotFrameworkAuthentication
from bot.clock import TimeSource
from bot.commands import COMMAND_TABLES
from bot.dashboard import setup_dashboard
from bot.directory import Directory
from bot.fanout import FanOut
from bot.handler import TrimtabBot
from bot.jobs import install_jobs, settle_deliveries
from bot.messages import core as msg
from bot.messages.errors import ERROR_ANSWERS
from bot.proactive import ProactiveSender
from bot.roles import RoleDirectory
from bot.router import CommandRouter
from bot.services import Services
from bot.settings import Settings
from bot.storage import DocumentStore, TinyDBStore
from champions import ChampionService
from wol_circles import CircleService

log = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", Settings)
SERVICES = web.AppKey("services", Services)
BOT = web.AppKey("bot", TrimtabBot)


def create_app(
    settings: Settings,
    *,
    store: DocumentStore | None = None,
    time_source: TimeSource | None = None,
) -> web.Application:
    """Build Trimtab's web app; ``store`` and ``time_source`` default to TinyDB and real time."""
    speed_up_msrest_retry_policy()
    app = web.Application(client_max_size=1024**2)
    app[SETTINGS] = settings
    app.cleanup_ctx.append(_services_context(store, time_source or TimeSource()))
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    setup_dashboard(app, SERVICES)
    return app


def _services_context(store: DocumentStore | None, time_source: TimeSource):  # type: ignore[no-untyped-def]
    async def context(app: web.Application) -> AsyncIterator[None]:
        settings = app[SETTINGS]
        owned = store is None
        opened = await TinyDBStore.open(settings.data_dir) if store is None else store
        adapter = CloudAdapter(StrictBotFrameworkAuthentication(settings.botbuilder_config()))
        directory = Directory(opened)
        clock = time_source.clock
        installer = installer_for(dict(settings.env), settings.teams_app_id)
        proactive = ProactiveSender(
            adapter,
            opened,
            directory,
            clock=clock,
            monotonic=time_source.monotonic,
            sleep=time_source.sleep,
            app_id=settings.app_id,
            installer=installer,
        )
        preferences = PreferencesRepository(opened)
        services = Services(
            settings=settings,
            store=opened,
            clock=clock,
            adapter=adapter,
            router=CommandRouter(COMMAND_TABLES, errors=ERROR_ANSWERS),
            roles=RoleDirectory(opened, settings.admins),
            directory=directory,
            scheduler=AsyncIOScheduler(timezone=settings.timezone),
            proactive=proactive,
            circles=CircleService(opened, default_zone=settings.timezone.key),
            champions=ChampionService(opened, zone=settings.timezone),
            preferences=preferences,
            fanout=FanOut(proactive, preferences, clock=clock),
            started_at=clock(),
        )
        adapter.on_turn_error = _turn_error_handler
        app[SERVICES] = services
        app[BOT] = TrimtabBot(services)
        await settle_deliveries(services)
        install_jobs(services)
        services.scheduler.start()
        if settings.local_mode:
            log.warning(
                "LOCAL MODE: MicrosoftAppId is not set, so requests are NOT authenticated. "
                "Use this only on your own machine with the Agents Playground."
            )
        try:
            yield
        finally:
            services.scheduler.shutdown(wait=False)
            if installer is not None:
                await installer.aclose()
            if owned:
                await opened.close()  # type: ignore[attr-defined]

    return context


async def _turn_error_handler(turn_context: TurnContext, error: Exception) -> None:
    """The one place an unexpected exception in a turn ends up: log it, answer politely."""
    log.exception("turn failed: %s", error, exc_info=error)
    try:
        await turn_context.send_activity(msg.UNEXPECTED_ERROR)
    except Exception:  # the conversation may be unreachable too
        log.warning("could not tell the user about the failure", exc_info=True)


def _bad_request(reason: str) -> web.Response:
    log.warning("refused /api/messages request: %s", reason)
    return web.json_response({"error": reason}, status=400)


def _tenant_of(body: dict[str, Any]) -> str | None:
    conversation = body.get("conversation") or {}
    channel_data = body.get("channelData") if isinstance(body.get("channelData"), dict) else {}
    tenant = conversation.get("tenantId") or ((channel_data or {}).get("tenant") or {}).get("id")
    return str(tenant) if tenant else None


async def messages(request: web.Request) -> web.StreamResponse:
    """POST /api/messages: validate the body, check the tenant, hand over to the adapter."""
    services = request.app[SERVICES]
    if "application/json" not in request.headers.get("Content-Type", ""):
        return web.json_response({"error": "Content-Type must be application/json"}, status=415)
    try:
        body = json.loads(await request.read())
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _bad_request("body is not valid JSON")
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        return _bad_request("body is not a Bot Framework activity (no 'type')")
    if not isinstance(body.get("conversation"), dict) or not body["conversation"].get("id"):
        return _bad_request("activity has no conversation id")
    tenant = _tenant_of(body)
    if not services.settings.tenant_allowed(tenant):
        if not services.settings.local_mode:
            auth = request.headers.get("Authorization", "")
            try:
                await services.adapter.bot_framework_authentication.authenticate_request(
                    Activity().deserialize(body), auth
                )
            except PermissionError:
                raise web.HTTPUnauthorized() from None
        log.warning("refused an activity from tenant %s (not in TRIMTAB_ALLOWED_TENANTS)", tenant)
        return web.json_response({"error": msg.TENANT_REFUSED}, status=403)
    response = await services.adapter.process(request, request.app[BOT])
    return response if response is not None else web.Response(status=201)


async def healthz(request: web.Request) -> web.Response:
    """GET /healthz: liveness plus what an operator wants to see at a glance."""
    services = request.app[SERVICES]
    scheduler = services.scheduler
    now: datetime = services.clock()
    return web.json_response(
        {
            "status": "ok",
            "version": __version__,
            "mode": "local" if services.settings.local_mode else "authenticated",
            "uptime_seconds": round((now - services.started_at).total_seconds(), 1),
            "storage": {
                "backend": type(services.store).__name__,
                "data_dir": str(services.settings.data_dir),
            },
            "scheduler": {"running": scheduler.running, "jobs": len(scheduler.get_jobs())},
        }
    )
