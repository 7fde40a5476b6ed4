"""What is due when: pure functions over a stored circle, its check-ins and ``now``.

Each active circle has 25 *occurrences*: a prompt at the start of each week 1–12
(see :mod:`wol_circles.slots`), a reminder :data:`REMINDER_DELAY` after each prompt, and
the completion at the start of "week 13". An occurrence is settled once: the circle
records its *marker* (``w05.prompt``) in ``Circle.handled`` when the bot acknowledges a
plan, so a restart neither repeats nor skips anything.

Catch-up: a pending occurrence is due when ``now - at <= CATCH_UP_WINDOW`` (24 h), late or
not; an older one is *skipped* (reported in the plan for the bot to log) and settled all
the same. The completion always changes the state, even when its messages are skipped.

Recipients: a prompt goes to every member and to the circle's conversation
(:data:`CIRCLE_CHAT`); a reminder only to members without a check-in for that week at
the time it is computed; the completion to every member and the conversation.

Each-local circles (``Slot.each_local``): every member has their own prompt and reminder
occurrences at the slot's weekday and wall time in their zone (``zones`` maps member id to
zone; unknown: the circle's zone); their markers carry the member (``w05.prompt@<id>``).
The note to the circle's conversation and the completion keep the circle's zone.

Idempotency key per message: ``circle/<circle id>/w<NN>/<recipient>/<kind>``
(:func:`idempotency_key`) — the (circle, week, member, kind) the proactive module dedupes on,
the second safety net if the bot crashes between sending and acknowledging.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from wol_circles.model import CheckIn, Circle, CircleState
from wol_circles.programme import WEEKS_IN_PROGRAMME
from wol_circles.rules import complete
from wol_circles.slots import COMPLETION_WEEK, REMINDER_DELAY, week_start

CATCH_UP_WINDOW = timedelta(hours=24)
CIRCLE_CHAT = "@chat"
"""Recipient meaning "the conversation where the circle was created"."""


class Kind(enum.StrEnum):
    PROMPT = "prompt"
    REMINDER = "reminder"
    COMPLETION = "completion"


@dataclass(frozen=True)
class Occurrence:
    """One scheduled event of one circle. Completion carries week 12."""

    circle_id: str
    week: int
    kind: Kind
    at: datetime
    member: str | None = None
    """Each-local circles: the one recipient (a member, or :data:`CIRCLE_CHAT`)."""

    @property
    def marker(self) -> str:
        base = f"w{self.week:02d}.{self.kind.value}"
        return f"{base}@{self.member}" if self.member else base


Zones = Mapping[str, str]


@dataclass(frozen=True)
class Delivery:
    """One message to send: to a member's 1:1 chat, or to the circle's conversation."""

    key: str
    circle_id: str
    week: int
    kind: Kind
    recipient: str
    scheduled_at: datetime
    late_by: timedelta

    @property
    def to_circle_chat(self) -> bool:
        return self.recipient == CIRCLE_CHAT


@dataclass(frozen=True)
class DuePlan:
    """What to do for one circle now; hand it back to ``acknowledge`` once sent."""

    circle: Circle
    deliveries: tuple[Delivery, ...]
    skipped: tuple[Occurrence, ...]
    settles: tuple[Occurrence, ...]
    completes: bool


def idempotency_key(circle_id: str, week: int, recipient: str, kind: Kind | str) -> str:
    return f"circle/{circle_id}/w{week:02d}/{recipient}/{Kind(kind).value}"


def occurrences(circle: Circle, zones: Zones | None = None) -> list[Occurrence]:
    """Every occurrence of a started circle, in time order (empty before the start)."""
    if circle.started_at is None:
        return []
    found: list[Occurrence] = []
    for week in range(1, WEEKS_IN_PROGRAMME + 1):
        at = week_start(circle.slot, circle.started_at, week)
        if circle.slot.each_local:
            found.append(Occurrence(circle.id, week, Kind.PROMPT, at, CIRCLE_CHAT))
            found += _member_occurrences(circle, week, zones or {})
            continue
        found.append(Occurrence(circle.id, week, Kind.PROMPT, at))
        found.append(Occurrence(circle.id, week, Kind.REMINDER, at + REMINDER_DELAY))
    end = week_start(circle.slot, circle.started_at, COMPLETION_WEEK)
    found.append(Occurrence(circle.id, WEEKS_IN_PROGRAMME, Kind.COMPLETION, end))
    return sorted(found, key=lambda o: o.at)


def _member_occurrences(circle: Circle, week: int, zones: Zones) -> list[Occurrence]:
    assert circle.started_at is not None
    found = []
    for member in circle.member_ids:
        at = week_start(circle.slot.in_zone(zones.get(member)), circle.started_at, week)
        found.append(Occurrence(circle.id, week, Kind.PROMPT, at, member))
        found.append(Occurrence(circle.id, week, Kind.REMINDER, at + REMINDER_DELAY, member))
    return found


def pending(circle: Circle, zones: Zones | None = None) -> list[Occurrence]:
    """Occurrences not yet settled (none unless the circle is active)."""
    if circle.state is not CircleState.ACTIVE:
        return []
    return [o for o in occurrences(circle, zones) if o.marker not in circle.handled]


def due(
    circle: Circle, checkins: Iterable[CheckIn], now: datetime, zones: Zones | None = None
) -> DuePlan | None:
    """The plan for ``circle`` at ``now``, or ``None`` when nothing is pending yet."""
    ripe = [o for o in pending(circle, zones) if o.at <= now]
    if not ripe:
        return None
    done = {(c.week, c.user_id) for c in checkins if c.circle_id == circle.id}
    deliveries: list[Delivery] = []
    skipped: list[Occurrence] = []
    for occ in ripe:
        if now - occ.at > CATCH_UP_WINDOW:
            skipped.append(occ)
            continue
        everyone = [occ.member] if occ.member else [*circle.member_ids, CIRCLE_CHAT]
        if occ.kind is Kind.REMINDER:
            recipients = [m for m in everyone if m != CIRCLE_CHAT and (occ.week, m) not in done]
        else:
            recipients = everyone
        deliveries.extend(
            Delivery(
                idempotency_key(circle.id, occ.week, r, occ.kind),
                circle.id,
                occ.week,
                occ.kind,
                r,
                occ.at,
                now - occ.at,
            )
            for r in recipients
        )
    completes = any(o.kind is Kind.COMPLETION for o in ripe)
    return DuePlan(circle, tuple(deliveries), tuple(skipped), tuple(ripe), completes)


def settle(circle: Circle, plan: DuePlan, now: datetime) -> Circle:
    """``circle`` with the plan's markers recorded (and completed when the plan says so)."""
    settled = replace(circle, handled=circle.handled | {o.marker for o in plan.settles})
    return complete(settled, now) if plan.completes else settled


def next_occurrence(circle: Circle, zones: Zones | None = None) -> Occurrence | None:
    """The earliest unsettled occurrence of ``circle`` (may lie in the past)."""
    rest = pending(circle, zones)
    return rest[0] if rest else None


def next_due_time(
    circles: Iterable[Circle], now: datetime, zones: Zones | None = None
) -> datetime | None:
    """When the bot should next run the due loop: ``now`` if something is ripe, else the
    earliest future occurrence over ``circles``; ``None`` when no circle is active."""
    times = [o.at for c in circles if (o := next_occurrence(c, zones)) is not None]
    if not times:
        return None
    return max(min(times), now)
