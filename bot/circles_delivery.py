"""Circle delivery: the due loop, the cards it sends, and the one wake-up job derived from it.

    await run_circle_due(services)   # start-up, after `circle start`/`end`, at each wake-up

The stored circles are the truth; the APScheduler job (:data:`WAKE_JOB_ID`) is derived:
after every run it is (re)placed at ``circles.next_due_time(now)``. Every message carries
the domain's idempotency key, so a crash between sending and acknowledging never sends
twice (``bot.proactive`` dedupes). Everything goes through the one fan-out path
(``services.fanout``: mutes, the batched sender). Prompt card activity ids are kept in
:data:`PROMPT_CARDS` so a check-in can update the card in place.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.date import DateTrigger

from audience import iso_week
from bot._delivery_install import NOT_INSTALLED
from bot.coaching_delivery import person_zones
from bot.fanout import Outgoing
from bot.messages import audience as msg_audience
from bot.messages import circles as msg
from bot.proactive import DeliveryStatus
from bot.services import Services
from cards.circle_completion import CompletionContent, MemberJourney, build_circle_completion_card
from cards.circle_prompt import PromptContent, build_circle_prompt_card
from wol_circles import (
    WEEKS_IN_PROGRAMME,
    Circle,
    CompletionSummary,
    Delivery,
    DuePlan,
    Kind,
    OriginKind,
    week,
)

log = logging.getLogger(__name__)

WAKE_JOB_ID = "circles.wake"
STARTUP_JOB_ID = "circles.startup"
PROMPT_CARDS = "bot.circle_cards"


def prompt_content(circle: Circle, number: int) -> PromptContent:
    """The card data of week ``number`` of ``circle``."""
    guide = week(number)
    return PromptContent(
        circle.id,
        circle.name,
        number,
        guide.title,
        guide.purpose,
        guide.exercises,
        guide.reflection,
        guide.checkin_prompt,
        WEEKS_IN_PROGRAMME,
    )


def completion_content(summary: CompletionSummary, *, completed: bool) -> CompletionContent:
    return CompletionContent(
        summary.circle.name,
        completed,
        tuple(
            MemberJourney(m.name, m.checkins, m.longest_streak, m.ratings, m.goal)
            for m in summary.members
        ),
        WEEKS_IN_PROGRAMME,
    )


def card_key(circle_id: str, number: int, user_id: str) -> str:
    return f"{circle_id}|{number:02d}|{user_id}"


def slot_text(circle: Circle) -> str:
    slot = circle.slot
    template = msg.SLOT_EACH_LOCAL if slot.each_local else msg.SLOT
    return template.format(
        weekday=slot.weekday_name.capitalize(), time=slot.at.strftime("%H:%M"), zone=slot.zone
    )


def local_time(circle: Circle, moment: datetime) -> str:
    """``moment`` written in the circle's zone, e.g. ``Monday 30 Nov 2026, 09:00 Europe/Berlin``."""
    local = moment.astimezone(ZoneInfo(circle.slot.zone))
    return f"{local:%A %d %b %Y, %H:%M} {circle.slot.zone}"


def _late(late_by: timedelta) -> str:
    hours = int(late_by.total_seconds() // 3600)
    return f"{hours} h" if hours else f"{int(late_by.total_seconds() // 60)} min"


def _message(
    d: Delivery, circle: Circle, summary: CompletionSummary | None
) -> dict[str, Any] | str:
    if d.kind is Kind.COMPLETION and summary is not None:
        return build_circle_completion_card(completion_content(summary, completed=True))
    title = week(d.week).title
    if d.to_circle_chat:
        note = msg.chat_note(circle.name, d.week, title)
        return note + (msg.CHAT_NOTE_LATE if d.late_by > timedelta(minutes=5) else "")
    if d.kind is Kind.REMINDER:
        lead = msg.REMINDER_TEXT.format(week=d.week)
    elif d.late_by > timedelta(minutes=5):
        lead = msg.PROMPT_LATE.format(late=_late(d.late_by))
    else:
        lead = None
    return build_circle_prompt_card(prompt_content(circle, d.week), lead=lead)


def _recipient(d: Delivery, circle: Circle) -> str | None:
    if not d.to_circle_chat:
        return f"user:{d.recipient}"
    if circle.origin.kind is OriginKind.PERSONAL:
        return None  # created in a 1:1 chat: the facilitator already has the prompt card
    return circle.origin.conversation_key


async def _send_plan(services: Services, plan: DuePlan) -> None:
    circle = plan.circle
    summary = None
    if any(d.kind is Kind.COMPLETION for d in plan.deliveries):
        summary = await services.circles.summary(circle.id)
    due = [(d, r) for d in plan.deliveries if (r := _recipient(d, circle)) is not None]
    items = [
        Outgoing(
            recipient,
            _message(d, circle, summary),
            d.key,
            "circle",
            iso_week(d.scheduled_at.astimezone(ZoneInfo(circle.slot.zone)).date()),
            person=None if d.to_circle_chat else d.recipient,
            circle=circle.name,
        )
        for d, recipient in due
    ]
    results = await services.fanout.send(items)
    await _tell_facilitator(services, circle, due, results)
    for (d, recipient), result in zip(due, results, strict=True):
        if result.status is DeliveryStatus.DELIVERED and result.activity_id:
            if not d.to_circle_chat and d.kind is not Kind.COMPLETION:
                await services.store.put(
                    PROMPT_CARDS,
                    card_key(circle.id, d.week, d.recipient),
                    {"recipient": recipient, "activity_id": result.activity_id},
                )
        elif result.status in (DeliveryStatus.FAILED, DeliveryStatus.UNREACHABLE):
            log.warning("circle %s: %s to %s %s", circle.name, d.key, recipient, result.status)
    for occ in plan.skipped:
        log.warning(
            "circle %s: skipped %s due %s (older than the catch-up window)",
            circle.name,
            occ.marker,
            occ.at.isoformat(),
        )


async def _tell_facilitator(
    services: Services, circle: Circle, due: list[tuple[Delivery, str]], results: list[Any]
) -> None:
    """Members the app could not be installed for: the facilitator hears who and how to fix."""
    names = {m.user_id: m.name for m in circle.members}
    missing = [
        names.get(d.recipient, d.recipient)
        for (d, _), r in zip(due, results, strict=True)
        if r.status is DeliveryStatus.UNREACHABLE and r.detail.startswith(NOT_INSTALLED)
    ]
    if not missing or not due:
        return
    first = due[0][0]
    text = msg_audience.NOT_INSTALLED_FIX.format(
        names=", ".join(missing), bot=services.settings.bot_name
    )
    key = f"circle/{circle.id}/w{first.week:02d}/{first.kind.value}/not-installed"
    week = iso_week(first.scheduled_at.astimezone(ZoneInfo(circle.slot.zone)).date())
    await services.fanout.send([Outgoing(f"user:{circle.facilitator}", text, key, "circle", week)])


async def run_circle_due(services: Services) -> None:
    """Send everything due now, acknowledge it, and reschedule the wake-up job.

    Two runs at once (a wake-up and a ``circle start``, or two instances) need no lock:
    each message carries its idempotency key, so the second run's sends are duplicates
    that post nothing, and acknowledging a plan is an idempotent conditional write.
    """
    now = services.clock()
    for plan in await services.circles.due(now, await person_zones(services)):
        await _send_plan(services, plan)
        await services.circles.acknowledge(plan, now)
    await schedule_wake_up(services)


async def schedule_wake_up(services: Services) -> datetime | None:
    """Place the one wake-up job at the next due time (or remove it when nothing is active).

    The scheduler runs on the wall clock while the app reads ``services.clock``; the job is
    placed the same distance ahead on the wall clock, so both agree in production and a
    fake clock in tests never fires it early.
    """
    now = services.clock()
    when = await services.circles.next_due_time(now, await person_zones(services))
    scheduler = services.scheduler
    if when is None:
        if scheduler.get_job(WAKE_JOB_ID) is not None:
            scheduler.remove_job(WAKE_JOB_ID)
        return None
    run_at = datetime.now(UTC) + (when - now)
    scheduler.add_job(
        run_circle_due,
        DateTrigger(run_date=run_at),
        args=[services],
        id=WAKE_JOB_ID,
        replace_existing=True,
        misfire_grace_time=None,
        coalesce=True,
    )
    return when


def install_circle_jobs(services: Services) -> None:
    """At start-up: one catch-up run (which then places the wake-up job)."""
    services.scheduler.add_job(
        run_circle_due,
        args=[services],
        id=STARTUP_JOB_ID,
        replace_existing=True,
        misfire_grace_time=None,
    )
