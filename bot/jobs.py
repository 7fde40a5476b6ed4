"""Scheduled work: each feature installs its APScheduler jobs from stored state.

A job installer takes the :class:`Services` and adds jobs to
``services.scheduler``; jobs call coroutines that are also callable directly
(so tests drive them with a fake clock instead of waiting).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.admin.digest import install_digest_job
from bot.admin.sync import install_sync_job
from bot.circles_delivery import install_circle_jobs
from bot.coaching_delivery import install_weekly_tips
from bot.plans_delivery import install_plan_loops
from bot.services import Services

JobInstaller = Callable[[Services], None]

JOB_INSTALLERS: tuple[JobInstaller, ...] = (
    install_sync_job,
    install_digest_job,
    install_weekly_tips,
    install_circle_jobs,
    install_plan_loops,
)


def install_jobs(services: Services) -> None:
    """Run every feature's job installer."""
    for installer in JOB_INSTALLERS:
        installer(services)
