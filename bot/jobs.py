"""Scheduled work: each feature installs its APScheduler jobs from stored state.

A job installer takes the :class:`Services` and adds jobs to
``services.scheduler``; jobs call coroutines that are also callable directly
(so tests drive them with a fake clock instead of waiting).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from apscheduler.triggers.cron import CronTrigger

from bot._delivery_log import DeliveryLog
from bot.admin.digest import install_digest_job
from bot.admin.sync import install_sync_job
from bot.circles_delivery import install_circle_jobs
from bot.coaching_delivery import install_weekly_tips
from bot.plans_delivery import install_plan_loops
from bot.services import Services

log = logging.getLogger(__name__)

JobInstaller = Callable[[Services], None]
PRUNE_JOB_ID = "bot.deliveries.prune"
RESUME_JOB_ID = "bot.fanout.resume"


async def settle_deliveries(services: Services) -> None:
    """When this instance becomes the leader (at start with one process): keys a killed run
    left ``sending`` become *in doubt* (logged, reported by ``deliveries``, never resent),
    records past the retention are pruned, and fan-out plans a dead run left are resumed by
    a job that starts with the scheduler (:meth:`bot.fanout.FanOut.resume_pending`)."""
    delivery_log = DeliveryLog(services.store)
    settled = await delivery_log.settle_in_doubt(services.clock())
    if settled:
        log.warning(
            "%d deliveries were left sending by a run that ended mid-send; now in doubt "
            "(not resent): %s",
            len(settled),
            ", ".join(sorted(str(r["key"]) for r in settled)[:20]),
        )
    await prune_deliveries(services)
    services.scheduler.add_job(
        resume_fanouts,
        args=[services],
        id=RESUME_JOB_ID,
        replace_existing=True,
        misfire_grace_time=None,
    )


async def resume_fanouts(services: Services) -> None:
    """The leader's job: finish what fan-out plans of dead runs still owe."""
    try:
        await services.fanout.resume_pending()
    except Exception:  # the next election tries again; the plans stay stored
        log.exception("resuming pending fan-outs failed")


async def prune_deliveries(services: Services) -> int:
    """Drop delivery records older than ``TRIMTAB_DELIVERY_RETENTION_DAYS`` (tombstones stay)."""
    cutoff = services.clock() - timedelta(days=services.settings.delivery_retention_days)
    return await DeliveryLog(services.store).prune(cutoff)


def install_prune_job(services: Services) -> None:
    """Prune the delivery log nightly."""
    services.scheduler.add_job(
        prune_deliveries,
        CronTrigger(hour=3, minute=30, timezone=services.settings.timezone),
        args=[services],
        id=PRUNE_JOB_ID,
        replace_existing=True,
        coalesce=True,
    )


JOB_INSTALLERS: tuple[JobInstaller, ...] = (
    install_sync_job,
    install_digest_job,
    install_weekly_tips,
    install_circle_jobs,
    install_plan_loops,
    install_prune_job,
)


def install_jobs(services: Services) -> None:
    """Run every feature's job installer."""
    for installer in JOB_INSTALLERS:
        installer(services)
