"""The one reporting period every surface uses: the last N full weeks vs the N before.

Card, digest, dashboard and report compare the same two spans so that a team's band
is the same everywhere for the same period. N is one of :data:`PERIOD_WEEKS` (the
dashboard offers all four); the default is :data:`DEFAULT_PERIOD_WEEKS`.
A pure function of the local date: the caller passes ``today`` from its clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from adoption.weeks import IsoWeek, Period

PERIOD_WEEKS = (4, 8, 13, 26)
DEFAULT_PERIOD_WEEKS = 4


@dataclass(frozen=True, slots=True)
class Comparison:
    """``current``: the last ``weeks`` full ISO weeks; ``previous``: the ``weeks`` before."""

    weeks: int
    current: Period
    previous: Period

    @property
    def label(self) -> str:
        """What a surface prints, e.g. ``last 4 full weeks (2026-10-26 – 2026-11-22)``."""
        return (
            f"last {self.weeks} full weeks "
            f"({self.current.start.isoformat()} – {self.current.end.isoformat()})"
        )


def comparison_period(today: date, weeks: int = DEFAULT_PERIOD_WEEKS) -> Comparison:
    """The period ending with the last full week before ``today``'s week, and the one before.

    Raises ``ValueError`` naming the allowed lengths for any other ``weeks``.
    """
    if weeks not in PERIOD_WEEKS:
        allowed = ", ".join(str(w) for w in PERIOD_WEEKS)
        raise ValueError(f"a period is {allowed} weeks long, not {weeks!r}")
    last = IsoWeek.of(today).previous()
    start = last.monday - timedelta(weeks=weeks - 1)
    current = Period(start, last.sunday)
    previous = Period(start - timedelta(weeks=weeks), start - timedelta(days=1))
    return Comparison(weeks, current, previous)
