"""When each week of a circle begins: slot arithmetic in the circle's own zone.

Definition (the one every other rule uses):

* Week 1 begins at ``started_at`` (the moment of ``circle start``).
* Week 2 begins at the first slot occurrence at least :data:`MIN_FIRST_WEEK` (4 days)
  after the start, so week 1 lasts between 4 and 11 days and a circle started an hour
  before its slot does not get week 2 an hour later.
* Week N (N ≥ 3) begins exactly N - 2 calendar weeks after week 2, at the slot's wall
  time in the slot's zone (09:00 stays 09:00 local across DST changes).
* "Week 13" is the end of the programme: the moment the circle completes.

A wall time that does not exist on a spring-forward day is taken with the offset in force
before the change (02:30 becomes 03:30); an ambiguous one on a fall-back day means the
first of the two instants.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from wol_circles.model import Slot
from wol_circles.programme import WEEKS_IN_PROGRAMME

MIN_FIRST_WEEK = timedelta(days=4)
REMINDER_DELAY = timedelta(days=2)
COMPLETION_WEEK = WEEKS_IN_PROGRAMME + 1


def slot_on(slot: Slot, day: date) -> datetime:
    """The slot's wall time on local date ``day``, as an aware UTC datetime."""
    local = datetime.combine(day, slot.at, tzinfo=ZoneInfo(slot.zone))
    return local.astimezone(UTC)


def next_slot(slot: Slot, moment: datetime) -> datetime:
    """The first slot occurrence at or after ``moment`` (UTC)."""
    today = moment.astimezone(ZoneInfo(slot.zone)).date()
    day = today + timedelta(days=(slot.weekday - today.weekday()) % 7)
    candidate = slot_on(slot, day)
    if candidate < moment:
        candidate = slot_on(slot, day + timedelta(days=7))
    return candidate


def week_start(slot: Slot, started_at: datetime, week: int) -> datetime:
    """When week ``week`` (1..13, 13 = completion) begins, in UTC."""
    if not 1 <= week <= COMPLETION_WEEK:
        raise ValueError(f"week must be 1..{COMPLETION_WEEK}, not {week}")
    if week == 1:
        return started_at.astimezone(UTC)
    anchor = next_slot(slot, started_at + MIN_FIRST_WEEK)
    anchor_day = anchor.astimezone(ZoneInfo(slot.zone)).date()
    return slot_on(slot, anchor_day + timedelta(weeks=week - 2))


def week_at(slot: Slot, started_at: datetime | None, now: datetime) -> int:
    """The programme week at ``now``: 0 before the start, 1..12, or 13 once completed."""
    if started_at is None or now < started_at:
        return 0
    current = 1
    for week in range(2, COMPLETION_WEEK + 1):
        if week_start(slot, started_at, week) > now:
            break
        current = week
    return current
