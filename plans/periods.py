"""Review periods: a calendar month (``2026-11``) or quarter (``2026-Q4``) and the one before."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from adoption.weeks import Period
from plans.errors import PlanError

MONTH, QUARTER = "month", "quarter"
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_QUARTER = re.compile(r"^\s*(\d{4})-?[Qq]([1-4])\s*$")


class ReviewPeriodError(PlanError):
    """Not a month (``2026-11``) or quarter (``2026-Q4``); ``kind`` says which was expected."""

    def __init__(self, kind: str, text: str) -> None:
        super().__init__(f"not a {kind}: {text!r}")
        self.kind = kind
        self.text = text


@dataclass(frozen=True, slots=True)
class ReviewPeriod:
    """A month or quarter: its label (``November 2026``, ``2026-Q4``) and its days."""

    kind: str
    label: str
    period: Period

    @property
    def title(self) -> str:
        return "Monthly insight review" if self.kind == MONTH else "Quarterly business review"


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def month(year: int, number: int) -> ReviewPeriod:
    start = date(year, number, 1)
    return ReviewPeriod(MONTH, start.strftime("%B %Y"), Period(start, _month_end(year, number)))


def quarter(year: int, number: int) -> ReviewPeriod:
    first = 3 * (number - 1) + 1
    period = Period(date(year, first, 1), _month_end(year, first + 2))
    return ReviewPeriod(QUARTER, f"{year}-Q{number}", period)


def parse_review_period(kind: str, text: str) -> ReviewPeriod:
    """``parse_review_period("month", "2026-11")`` or ``("quarter", "2026-Q4")``."""
    pattern = _MONTH if kind == MONTH else _QUARTER
    found = pattern.match(text)
    if not found:
        raise ReviewPeriodError(kind, text)
    year, number = int(found.group(1)), int(found.group(2))
    if not 1 <= number <= 12 or year < 2000:
        raise ReviewPeriodError(kind, text)
    return month(year, number) if kind == MONTH else quarter(year, number)


def previous(review: ReviewPeriod) -> ReviewPeriod:
    """The month or quarter before ``review``."""
    day = review.period.start - timedelta(days=1)
    if review.kind == MONTH:
        return month(day.year, day.month)
    return quarter(day.year, (day.month - 1) // 3 + 1)
