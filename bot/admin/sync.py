"""``adoption sync`` and the nightly collection job.

Both call :func:`adoption.sync.run_sync` with the Graph settings read from the
bot's environment. One sync runs at a time per app: a second request while one
runs is refused instead of doubling the load on Graph.
"""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.triggers.cron import CronTrigger

from adoption.collector import SyncResult
from adoption.config import ConfigError, GraphSettings
from adoption.sync import run_sync
from bot.errors import SyncBusyError
from bot.graph_transport import AiohttpTransport
from bot.services import Services

log = logging.getLogger(__name__)

JOB_ID = "adoption.sync"


def graph_settings(services: Services) -> GraphSettings:
    """The tracker's settings from the bot's environment (``ConfigError`` when malformed)."""
    return services.settings.graph


async def sync_now(services: Services, now: datetime) -> SyncResult:
    """Collect now. Raises ``ConfigError`` when Graph is not configured,
    :class:`SyncBusyError` when a sync is running, and the gateway's errors."""
    settings = graph_settings(services)
    if not settings.is_configured:
        raise ConfigError(
            "no Graph credentials (TRIMTAB_GRAPH_TOKEN or TRIMTAB_GRAPH_TENANT_ID, "
            "TRIMTAB_GRAPH_CLIENT_ID and TRIMTAB_GRAPH_CLIENT_SECRET)"
        )
    if services.sync_lock.locked():
        raise SyncBusyError("a sync is already running")
    async with services.sync_lock:
        return await run_sync(
            settings,
            services.store,
            now,
            data_dir=services.settings.data_dir,
            transport=AiohttpTransport(),
        )


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
