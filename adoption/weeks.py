"""ISO weeks in a configured time zone, and report periods.

Every adoption measure is bucketed by the ISO week (Monday to Sunday) of the
message's local time in the tenant's zone (``TRIMTAB_TIMEZONE``). Week
boundaries are local midnights, so a week that contains a DST change is 167 or
169 hours long; :meth:`IsoWeek.start` and :meth:`IsoWeek.end` are built from
the local calendar and then converted, never by adding 168 hours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")
_PERIOD = re.compile(r"^\s*(\d{1,3})\s*([wd])\s*$", re.IGNORECASE)
_RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})\s*$")
PERIOD_EXAMPLE = "use e.g. `--period 8w` (last 8 full weeks), `30d` or `2026-09-01..2026-11-30`"
MAX_PERIOD_DAYS = 3 * 366


@dataclass(frozen=True, slots=True, order=True)
class IsoWeek:
    """An ISO 8601 week: ``IsoWeek(2026, 45)`` is labelled ``"2026-W45"``."""

    year: int
    week: int

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        """The ISO week that contains ``day``."""
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def of_datetime(cls, moment: datetime, tz: ZoneInfo) -> IsoWeek:
        """The ISO week of an aware ``moment`` as seen on a wall clock in ``tz``."""
        return cls.of(local_date(moment, tz))

    @classmethod
    def parse(cls, label: str) -> IsoWeek:
        """Parse ``"2026-W45"``; a bad label raises ``ValueError`` with an example."""
        match = _LABEL.match(label.strip())
        if match:
            week = cls(int(match.group(1)), int(match.group(2)))
            try:
                if cls.of(week.monday) == week:
                    return week
            except ValueError:
                pass
        raise ValueError(f"not an ISO week: {label!r}; use e.g. 2026-W45")

    @property
    def label(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def start(self, tz: ZoneInfo) -> datetime:
        """Monday 00:00 local time in ``tz`` (aware, expressed in UTC)."""
        return local_midnight(self.monday, tz)

    def end(self, tz: ZoneInfo) -> datetime:
        """The next Monday 00:00 local time in ``tz`` (in UTC): the exclusive end of the week."""
        return local_midnight(self.monday + timedelta(days=7), tz)

    def next(self) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(days=7))

    def previous(self) -> IsoWeek:
        return IsoWeek.of(self.monday - timedelta(days=7))

    def __str__(self) -> str:
        return self.label


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    """The calendar date of an aware ``moment`` in ``tz``."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: adoption timestamps must carry an offset")
    return moment.astimezone(tz).date()


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """00:00 on ``day`` in ``tz``, returned in UTC.

    UTC on purpose: Python compares and subtracts two datetimes sharing one ``tzinfo`` by
    wall clock, which is wrong across a DST change; UTC values compare by real time.
    """
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def weeks_between(start: date, end: date) -> list[IsoWeek]:
    """Every ISO week that overlaps the inclusive date range ``start``..``end``."""
    if end < start:
        return []
    weeks = [IsoWeek.of(start)]
    last = IsoWeek.of(end)
    while weeks[-1] < last:
        weeks.append(weeks[-1].next())
    return weeks


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive range of local calendar days."""

    start: date
    end: date

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """Aware ``[start, end)``: local midnight of ``start`` to the midnight after ``end``."""
        return local_midnight(self.start, tz), local_midnight(self.end + timedelta(days=1), tz)

    @property
    def weeks(self) -> list[IsoWeek]:
        return weeks_between(self.start, self.end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def whole_weeks(self) -> bool:
        """True when the period starts on a Monday and ends on a Sunday."""
        return self.start.isoweekday() == 1 and self.end.isoweekday() == 7


def parse_period(text: str, *, today: date) -> Period:
    """Turn ``--period`` text into a :class:`Period` relative to ``today`` (local date).

    - ``Nw``: the last N *full* ISO weeks, Monday to Sunday, ending before the current
      week (a half-finished week would understate reply rate and trend);
    - ``Nd``: the N days ending today, inclusive;
    - ``YYYY-MM-DD..YYYY-MM-DD``: an explicit inclusive range.

    Anything else raises ``ValueError`` whose message shows a correct example.
    """
    match = _PERIOD.match(text)
    if match:
        count, unit = int(match.group(1)), match.group(2).lower()
        if count < 1:
            raise ValueError(f"period must be at least 1: {text!r}; {PERIOD_EXAMPLE}")
        if unit == "w":
            last = IsoWeek.of(today).previous()
            start = last.monday - timedelta(weeks=count - 1)
            period = Period(start, last.sunday)
        else:
            period = Period(today - timedelta(days=count - 1), today)
    else:
        match = _RANGE.match(text)
        if not match:
            raise ValueError(f"bad period {text!r}; {PERIOD_EXAMPLE}")
        try:
            period = Period(date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2)))
        except ValueError:
            raise ValueError(f"bad date in period {text!r}; {PERIOD_EXAMPLE}") from None
        if period.end < period.start:
            raise ValueError(f"period ends before it starts: {text!r}; {PERIOD_EXAMPLE}")
    if period.days > MAX_PERIOD_DAYS:
        raise ValueError(f"period longer than three years: {text!r}; {PERIOD_EXAMPLE}")
    return period
