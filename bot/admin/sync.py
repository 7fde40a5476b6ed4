"""``adoption sync`` and the nightly collection job.

Both call :func:`adoption.sync.run_sync` with the Graph settings read from the
bot's environment. One sync runs at a time: per app (``services.sync_lock``) and,
on a shared PostgreSQL store, across instances (:class:`~bot.admin.sync_claim.SyncClaim`).
A second request while one runs is refused instead of doubling the load on Graph.

``adoption sync`` never runs inside the chat turn (a full sync takes longer than the
Bot Service waits for an answer): :func:`start_sync` takes the guard, answers, and
leaves the work to a background task of the app (``services.background``), which
posts the counts or the error into the same conversation through the proactive path.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from apscheduler.triggers.cron import CronTrigger

from adoption.collector import SyncResult
from adoption.config import ConfigError, GraphSettings
from adoption.sync import run_sync
from bot.admin.sync_claim import SyncClaim
from bot.errors import SyncBusyError
from bot.graph_transport import AiohttpTransport
from bot.services import Services

log = logging.getLogger(__name__)

JOB_ID = "adoption.sync"
TASK_NAME = "adoption.sync"


def graph_settings(services: Services) -> GraphSettings:
    """The tracker's settings from the bot's environment (``ConfigError`` when malformed)."""
    return services.settings.graph


def _shared_store(services: Services) -> bool:
    from bot.storage.postgres import PostgresStore  # psycopg only when it is in use

    return isinstance(services.store, PostgresStore)


@dataclass
class SyncGuard:
    """Held while one sync runs: the app's lock and, on a shared store, the claim."""

    services: Services
    claim: SyncClaim | None

    async def release(self) -> None:
        try:
            if self.claim is not None:
                await self.claim.release()
        finally:
            self.services.sync_lock.release()


def _configured(services: Services) -> GraphSettings:
    settings = graph_settings(services)
    if not settings.is_configured:
        raise ConfigError(
            "no Graph credentials (TRIMTAB_GRAPH_TOKEN or TRIMTAB_GRAPH_TENANT_ID, "
            "TRIMTAB_GRAPH_CLIENT_ID and TRIMTAB_GRAPH_CLIENT_SECRET)"
        )
    return settings


async def take_guard(services: Services) -> SyncGuard:
    """Take the sync guard or raise :class:`SyncBusyError` (this app or another instance)."""
    if services.sync_lock.locked():
        raise SyncBusyError("a sync is already running")
    await services.sync_lock.acquire()  # free: returns without yielding
    try:
        claim = SyncClaim(services.store, services.clock) if _shared_store(services) else None
        if claim is not None and not await claim.acquire():
            raise SyncBusyError("a sync is already running on another instance")
    except BaseException:
        services.sync_lock.release()
        raise
    return SyncGuard(services, claim)


async def _collect(services: Services, settings: GraphSettings, now: datetime) -> SyncResult:
    return await run_sync(
        settings,
        services.store,
        now,
        data_dir=services.settings.data_dir,
        transport=AiohttpTransport(),
    )


async def sync_now(services: Services, now: datetime) -> SyncResult:
    """Collect now, in the caller's task. Raises ``ConfigError`` when Graph is not
    configured, :class:`SyncBusyError` when a sync is running, and the gateway's errors."""
    settings = _configured(services)
    guard = await take_guard(services)
    try:
        return await _collect(services, settings, now)
    finally:
        await guard.release()


@dataclass(frozen=True)
class SyncOutcome:
    """How a background sync ended: its result, or the error that stopped it."""

    result: SyncResult | None
    error: Exception | None


#: posts a background sync's outcome (the command words it and sends it proactively)
Reporter = Callable[[SyncOutcome], Awaitable[None]]


async def start_sync(services: Services, now: datetime, report: Reporter) -> None:
    """Start a sync in the background and return at once; ``report`` gets the outcome.

    Raises ``ConfigError`` and :class:`SyncBusyError` before anything starts.
    """
    settings = _configured(services)
    guard = await take_guard(services)

    async def work() -> None:
        outcome: SyncOutcome
        try:
            try:
                outcome = SyncOutcome(await _collect(services, settings, now), None)
            except Exception as error:  # reported to the admin, not raised into the void
                log.warning("adoption sync failed: %s", error, exc_info=True)
                outcome = SyncOutcome(None, error)
        finally:
            await guard.release()  # also when the app stops mid-sync (cancelled)
        try:
            await report(outcome)
        except Exception:
            log.exception("could not post the adoption sync outcome")

    try:
        services.background.spawn(work(), name=TASK_NAME)
    except BaseException:
        await guard.release()
        raise


async def nightly_sync(services: Services) -> SyncResult | None:
    """The scheduled job: sync and log the outcome; never raises."""
    try:
        result = await sync_now(services, services.clock())
    except SyncBusyError:
        log.info("scheduled adoption sync skipped: one is already running")
        return None
    except Exception:
        log.exception("scheduled adoption sync failed")
        return None
    log.info(
        "scheduled adoption sync: %d teams, %d threads, %d failed",
        result.teams,
        result.threads,
        len(result.failed_teams),
    )
    return result


def install_sync_job(services: Services) -> None:
    """Schedule the sync on ``TRIMTAB_SYNC_CRON`` (default nightly) when Graph is configured."""
    try:
        settings = graph_settings(services)
    except ConfigError as error:
        log.warning("adoption sync not scheduled: %s", error)
        return
    if not settings.is_configured:
        log.info("adoption sync not scheduled: Graph is not configured")
        return
    trigger = CronTrigger.from_crontab(settings.sync_cron, timezone=services.settings.timezone)
    services.scheduler.add_job(
        nightly_sync,
        trigger,
        args=[services],
        id=JOB_ID,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3600,
    )
