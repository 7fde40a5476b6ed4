"""Scheduled work: each feature installs its APScheduler jobs from stored state.

A job installer takes the :class:`Services` and adds jobs to
``services.scheduler``; jobs call coroutines that are also callable directly
(so tests drive them with a fake clock instead of waiting).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.services import Services

JobInstaller = Callable[[Services], None]

JOB_INSTALLERS: tuple[JobInstaller, ...] = ()


def install_jobs(services: Services) -> None:
    """Run every feature's job installer."""
    for installer in JOB_INSTALLERS:
        installer(services)
