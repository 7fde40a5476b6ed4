"""The aiohttp application factory.

``create_app(settings)`` builds the app; storage, the scheduler and every
feature's jobs start and stop with it through ``cleanup_ctx``. Routes:

    POST /api/messages   Bot Framework activities (CloudAdapter)
    GET  /healthz        status; details (version, storage, scheduler) for loopback
                         callers or with ``Authorization: Bearer $TRIMTAB_HEALTHZ_TOKEN``
    GET  /dashboard/…    the admin dashboard (signed links; see bot.dashboard)
"""

from __future__ import annotations

import hmac
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
from bot._http import BadBody, is_json_media_type, is_loopback_caller, read_activity
from bot.app_installer import installer_for
from bot.auth import StrictBotFrameworkAuthentication, install_key_fetcher
from bot.background import favour_the_event_loop
from bot.clock import TimeSource
from bot.commands import COMMAND_TABLES
from bot.dashboard import setup_dashboard
from bot.dashboard.signing import load_secret
from bot.directory import Directory
from bot.fanout import FanOut
from bot.handler import TrimtabBot
from bot.jobs import install_jobs, settle_deliveries
from bot.leader import Leadership, Sleep, start_leadership
from bot.messages import core as msg
from bot.messages.errors import ERROR_ANSWERS
from bot.proactive import ProactiveSender
from bot.roles import RoleDirectory
from bot.router import CommandRouter
from bot.services import Services
from bot.settings import Settings
from bot.storage import (
    DocumentStore,
    StorageError,
    StorageUnavailableError,
    StorageWriteError,
    open_store,
)
from bot.storage.errors import ReportsProblems
from bot.storage.factory import store_health
from bot.tenancy import Tenancy
from champions import ChampionService
from wol_circles import CircleService

log = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", Settings)
SERVICES = web.AppKey("services", Services)
BOT = web.AppKey("bot", TrimtabBot)
LEADERSHIP = web.AppKey("leadership", Leadership)


def create_app(
    settings: Settings,
    *,
    store: DocumentStore | None = None,
    time_source: TimeSource | None = None,
    leader_sleep: Sleep | None = None,
) -> web.Application:
    """Build Trimtab's web app.

    ``store`` defaults to the one the settings name (PostgreSQL or TinyDB), ``time_source``
    to the real time; ``leader_sleep`` paces the scheduler-leader election (tests).
    """
    speed_up_msrest_retry_policy()
    favour_the_event_loop()
    install_key_fetcher()
    app = web.Application(client_max_size=1024**2)
    app[SETTINGS] = settings
    app.cleanup_ctx.append(_services_context(store, time_source or TimeSource(), leader_sleep))
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    setup_dashboard(app, SERVICES)
    return app


def _services_context(  # type: ignore[no-untyped-def]
    store: DocumentStore | None, time_source: TimeSource, leader_sleep: Sleep | None
):
    async def context(app: web.Application) -> AsyncIterator[None]:
        settings = app[SETTINGS]
        owned = store is None
        opened = (
            await open_store(
                settings.env, settings.data_dir, quarantine=settings.quarantine_corrupt
            )
            if store is None
            else store
        )
        try:
            load_secret(settings)  # a broken dashboard key stops the start, not the first link
        except Exception:
            if owned:
                await opened.close()
            raise
        adapter = CloudAdapter(StrictBotFrameworkAuthentication(settings.botbuilder_config()))
        directory = Directory(opened)
        tenancy = Tenancy(opened, settings)
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
            roles=RoleDirectory(opened, settings.admins, tenancy),
            directory=directory,
            scheduler=AsyncIOScheduler(timezone=settings.timezone),
            proactive=proactive,
            circles=CircleService(opened, default_zone=settings.timezone.key),
            champions=ChampionService(opened, zone=settings.timezone),
            tenancy=tenancy,
            preferences=preferences,
            fanout=FanOut(proactive, preferences, clock=clock),
            started_at=clock(),
        )
        adapter.on_turn_error = _turn_error_handler
        app[SERVICES] = services
        app[BOT] = TrimtabBot(services)
        install_jobs(services)
        app[LEADERSHIP] = await start_leadership(
            opened,
            services.scheduler,
            sleep=leader_sleep,
            on_elected=lambda: settle_deliveries(services),
        )
        if settings.local_mode:
            log.warning(
                "LOCAL MODE: MicrosoftAppId is not set, so requests are NOT authenticated. "
                "Use this only on your own machine with the Agents Playground."
            )
        try:
            yield
        finally:
            await services.background.close()  # before the store: no task writes to a closed one
            services.compute.close()
            await app[LEADERSHIP].stop()
            if services.scheduler.running:
                services.scheduler.shutdown(wait=False)
            if installer is not None:
                await installer.aclose()
            if owned:
                await opened.close()

    return context


async def _turn_error_handler(turn_context: TurnContext, error: Exception) -> None:
    """The one place an unexpected exception in a turn ends up: log it, answer politely."""
    log.exception("turn failed: %s", error, exc_info=error)
    if isinstance(error, StorageUnavailableError) and not isinstance(error, StorageWriteError):
        answer = msg.STORAGE_UNAVAILABLE  # the database is away: try again shortly
    elif isinstance(error, StorageError):
        answer = msg.STORAGE_FAILED  # this write failed (disk full, …): nothing changed
    else:
        answer = msg.UNEXPECTED_ERROR
    try:
        await turn_context.send_activity(answer)
    except Exception:  # the conversation may be unreachable too
        log.warning("could not tell the user about the failure", exc_info=True)


def _bad_request(reason: str) -> web.Response:
    log.warning("refused /api/messages request: %s", reason)
    return web.json_response({"error": reason}, status=400)


def _tenant_of(body: dict[str, Any]) -> str | None:
    conversation = body.get("conversation") or {}
    channel_data = body.get("channelData")
    tenant_data = channel_data.get("tenant") if isinstance(channel_data, dict) else None
    tenant = conversation.get("tenantId") or (
        tenant_data.get("id") if isinstance(tenant_data, dict) else None
    )
    return str(tenant) if tenant else None


async def messages(request: web.Request) -> web.StreamResponse:
    """POST /api/messages: validate the body, check the tenant, hand over to the adapter."""
    services = request.app[SERVICES]
    if not is_json_media_type(request):
        return web.json_response({"error": "Content-Type must be application/json"}, status=415)
    if services.settings.local_mode and "Origin" in request.headers:
        # Bot Framework channels send no Origin; a browser does: another site's page
        # must not drive an unauthenticated local bot from the user's browser.
        log.warning("refused /api/messages request from a browser (Origin header) in local mode")
        return web.json_response({"error": "browser requests are refused"}, status=403)
    try:
        body = await read_activity(request)
    except BadBody as error:
        return _bad_request(str(error))
    if not isinstance(body.get("type"), str) or not body["type"]:
        return _bad_request("body is not a Bot Framework activity (no 'type')")
    if not isinstance(body.get("conversation"), dict) or not body["conversation"].get("id"):
        return _bad_request("activity has no conversation id")
    try:
        activity = Activity().deserialize(body)
    except Exception:  # msrest's errors for wrongly typed fields vary
        return _bad_request("body is not a Bot Framework activity (wrongly typed fields)")
    tenant = _tenant_of(body)
    if not services.settings.tenant_allowed(tenant):
        if not services.settings.local_mode:
            auth = request.headers.get("Authorization", "")
            try:
                await services.adapter.bot_framework_authentication.authenticate_request(
                    activity, auth
                )
            except PermissionError:
                raise web.HTTPUnauthorized() from None
        log.warning("refused an activity from tenant %s (not in TRIMTAB_ALLOWED_TENANTS)", tenant)
        return web.json_response({"error": msg.TENANT_REFUSED}, status=403)
    response = await services.adapter.process(request, request.app[BOT])
    return response if response is not None else web.Response(status=201)


def _may_see_details(request: web.Request, settings: Settings) -> bool:
    if is_loopback_caller(request):
        return True
    token = settings.healthz_token
    presented = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(presented.encode(), f"Bearer {token}".encode())


async def healthz(request: web.Request) -> web.Response:
    """GET /healthz: status for anyone; what an operator wants to see for loopback or a token.

    Storage problems found at start or since (a corrupt file moved aside, a failed
    write) make the status ``degraded``, a database that does not answer makes it
    ``storage unavailable``; both answer 503.
    """
    services = request.app[SERVICES]
    store = services.store
    problems = store.problems() if isinstance(store, ReportsProblems) else []
    storage_ok, storage = await store_health(store, services.settings.data_dir)
    if not storage_ok:
        status, code = "storage unavailable", 503
    else:
        status, code = ("degraded", 503) if problems else ("ok", 200)
    if not _may_see_details(request, services.settings):
        return web.json_response({"status": status}, status=code)
    scheduler = services.scheduler
    now: datetime = services.clock()
    return web.json_response(
        {
            "status": status,
            "version": __version__,
            "mode": "local" if services.settings.local_mode else "authenticated",
            "uptime_seconds": round((now - services.started_at).total_seconds(), 1),
            "base_url": services.settings.base_url,
            "storage": {**storage, "errors": problems},
            "scheduler": {
                "running": scheduler.running,
                "jobs": len(scheduler.get_jobs()),
                **request.app[LEADERSHIP].describe(),
            },
        },
        status=code,
    )
