"""Tip cards and the weekly tip: one habit a week to every user who has not opted out.

``send_weekly_tips(services)`` is what the scheduler runs (every 15 minutes; each person
is due at Monday 09:00 in their own zone) and what tests call directly with a fake clock.
Tips go through the one fan-out path (:mod:`bot.fanout`: mutes, the batched sender) with
the key ``tip:<aad id>:<ISO week>``, so a week's tip reaches a user at most once even if
the job runs many times.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from typing import Any

from apscheduler.triggers.interval import IntervalTrigger

from audience import WeeklySlot, due_week
from bot.fanout import Outgoing
from bot.messages import coaching as msg
from bot.proactive import Delivery, DeliveryStatus
from bot.services import Services
from cards.tip import TipContent, build_tip_card
from coaching import Lesson, Progress, ProgressRepository, weekly_lesson

log = logging.getLogger(__name__)

WEEKLY_JOB_ID = "coaching.weekly-tips"
TIP_SLOT = WeeklySlot(0, time(9, 0))
JOB_EVERY_MINUTES = 15


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
    muted: list[str] = field(default_factory=list)


async def person_zones(services: Services) -> dict[str, str]:
    """Each person's zone (learned or set) by lower-case AAD id."""
    return {p.user_id.lower(): p.zone for p in await services.preferences.all() if p.zone}


async def send_weekly_tips(services: Services) -> WeeklyTipsResult:
    """Send this ISO week's tip to every opted-in user whose Monday 09:00 has come, in their
    own zone (the configured zone when unknown), through the one fan-out path."""
    now = services.clock()
    default_zone = services.settings.timezone.key
    zones = await person_zones(services)
    store = ProgressRepository(services.store)
    result = WeeklyTipsResult([], [], [])
    batch: list[tuple[Progress, Lesson, str]] = []
    for progress in await store.all():
        week = due_week(now, TIP_SLOT, zones.get(progress.aad_id.lower(), default_zone))
        lesson = weekly_lesson(progress) if progress.weekly else None
        if week is None or lesson is None or progress.last_week == week:
            result.skipped.append(progress.aad_id)
            continue
        batch.append((progress, lesson, week))
    deliveries = await services.fanout.send(
        [
            Outgoing(
                f"user:{progress.aad_id}",
                tip_card(progress, lesson, lead=msg.TIP_LEAD_WEEKLY),
                key=f"tip:{progress.aad_id}:{week}",
                feature="tips",
                week=week,
                person=progress.aad_id,
            )
            for progress, lesson, week in batch
        ]
    )
    for (progress, lesson, week), delivery in zip(batch, deliveries, strict=True):
        await _record(store, result, progress, lesson, week, delivery, now)
    return result


async def _record(
    store: ProgressRepository,
    result: WeeklyTipsResult,
    progress: Progress,
    lesson: Lesson,
    week: str,
    delivery: Delivery,
    now: datetime,
) -> None:
    if delivery.status is DeliveryStatus.SKIPPED:
        result.muted.append(progress.aad_id)
    elif delivery.status in (DeliveryStatus.DELIVERED, DeliveryStatus.DUPLICATE):
        sent = delivery.status == DeliveryStatus.DELIVERED
        (result.sent if sent else result.skipped).append(progress.aad_id)
        await store.update(progress.aad_id, _mark_week(week, lesson.id if sent else None), now)
    else:
        log.warning("weekly tip to %s: %s %s", progress.aad_id, delivery.status, delivery.detail)
        result.failed.append(progress.aad_id)


def _mark_week(week: str, shown: str | None) -> Callable[[Progress], Progress]:
    """The job's change to a user's progress: ``week`` done and, when sent, ``shown`` current."""
    return lambda progress: replace(progress, last_week=week, current=shown or progress.current)


def install_weekly_tips(services: Services) -> None:
    """Run :func:`send_weekly_tips` every 15 minutes: each person is due at Monday 09:00 in
    their own zone, once per ISO week (the key), with a day to catch up."""

    async def job() -> None:
        await send_weekly_tips(services)

    services.scheduler.add_job(
        job,
        IntervalTrigger(minutes=JOB_EVERY_MINUTES),
        id=WEEKLY_JOB_ID,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
