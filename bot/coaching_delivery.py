"""Tip cards and the weekly tip: one habit a week to every user who has not opted out.

``send_weekly_tips(services)`` is what the scheduler runs (Mondays 09:00 in the
configured zone) and what tests call directly with a fake clock. Each tip goes
through :mod:`bot.proactive` with the key ``tip:<aad id>:<ISO week>``, so a
week's tip reaches a user at most once even if the job runs twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from adoption.weeks import IsoWeek
from bot.messages import coaching as msg
from bot.proactive import DeliveryStatus
from bot.services import Services
from cards.tip import TipContent, build_tip_card
from coaching import Lesson, Progress, ProgressRepository, weekly_lesson

log = logging.getLogger(__name__)

WEEKLY_JOB_ID = "coaching.weekly-tips"


def tip_card(progress: Progress, lesson: Lesson, *, lead: str | None = None) -> dict[str, Any]:
    """The tip card of ``lesson`` as positioned in ``progress``'s order."""
    content = TipContent(
        lesson_id=lesson.id,
        title=lesson.title,
        habit=lesson.habit,
        example=lesson.example,
        why=lesson.why,
        position=progress.position(lesson.id),
        total=len(progress.lessons),
    )
    return build_tip_card(content, lead=lead, weekly=progress.weekly)


@dataclass
class WeeklyTipsResult:
    """What one run did, for logs and tests."""

    sent: list[str]
    skipped: list[str]
    failed: list[str]


async def send_weekly_tips(services: Services) -> WeeklyTipsResult:
    """Send this ISO week's tip to every opted-in user who has a habit left."""
    now = services.clock()
    week = IsoWeek.of_datetime(now, services.settings.timezone).label
    store = ProgressRepository(services.store)
    result = WeeklyTipsResult([], [], [])
    for progress in await store.all():
        if not progress.weekly or progress.last_week == week:
            result.skipped.append(progress.aad_id)
            continue
        lesson = weekly_lesson(progress)
        if lesson is None:
            result.skipped.append(progress.aad_id)
            continue
        card = tip_card(progress, lesson, lead=msg.TIP_LEAD_WEEKLY)
        delivery = await services.proactive.send(
            f"user:{progress.aad_id}", card, key=f"tip:{progress.aad_id}:{week}"
        )
        if delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.DUPLICATE):
            sent = delivery.status == DeliveryStatus.DELIVERED
            (result.sent if sent else result.skipped).append(progress.aad_id)
            shown = lesson.id if sent else None
            await store.update(progress.aad_id, _mark_week(week, shown), now)
        else:
            log.warning(
                "weekly tip to %s: %s %s", progress.aad_id, delivery.status, delivery.detail
            )
            result.failed.append(progress.aad_id)
    return result


def _mark_week(week: str, shown: str | None) -> Callable[[Progress], Progress]:
    """The job's change to a user's progress: ``week`` done and, when sent, ``shown`` current."""
    return lambda progress: replace(progress, last_week=week, current=shown or progress.current)


def install_weekly_tips(services: Services) -> None:
    """Schedule :func:`send_weekly_tips` for Mondays 09:00 in the configured zone."""

    async def job() -> None:
        await send_weekly_tips(services)

    services.scheduler.add_job(
        job,
        CronTrigger(day_of_week="mon", hour=9, minute=0, timezone=services.settings.timezone),
        id=WEEKLY_JOB_ID,
        replace_existing=True,
        misfire_grace_time=6 * 3600,
        coalesce=True,
    )
