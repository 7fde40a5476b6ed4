"""A weekly moment in each person's own zone (tips Monday 09:00, digest Monday 08:00).

Rule: a person's weekly send is *due* from the slot's wall time in their zone, in the ISO week
that contains "now" in that zone, for :data:`CATCH_UP` after it (a service down over the slot
still sends once when it is back, a day late at most). The ISO week label is the send's
idempotency key part, so a job that runs every few minutes sends each person once a week.

DST: the wall time is kept (09:00 stays 09:00 local). A wall time that does not exist on a
spring-forward day is taken with the offset in force before the change (02:30 becomes 03:30);
an ambiguous one on a fall-back day means the first of the two instants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

CATCH_UP = timedelta(hours=24)


@dataclass(frozen=True)
class WeeklySlot:
    """``weekday`` 0 = Monday … 6 = Sunday, at local wall time ``at``."""

    weekday: int
    at: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, not {self.weekday}")


def local_occurrence(day: date, at: time, zone: str) -> datetime:
    """Wall time ``at`` on local date ``day`` in ``zone``, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def iso_week(day: date) -> str:
    """``2026-W48``: the ISO week of ``day``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def due_week(
    now: datetime, slot: WeeklySlot, zone: str, *, catch_up: timedelta = CATCH_UP
) -> str | None:
    """The ISO week label when ``slot`` in ``zone`` is due at ``now``, else ``None``."""
    today = now.astimezone(ZoneInfo(zone)).date()
    day = today - timedelta(days=today.weekday() - slot.weekday)
    moment = local_occurrence(day, slot.at, zone)
    if moment <= now < moment + catch_up:
        return iso_week(day)
    return None
