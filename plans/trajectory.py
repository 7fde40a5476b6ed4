"""On track / at risk / off track: where a goal's weekly series is heading.

The rule (docs/plans.md, "Trajectory"):

1. Weeks are counted from the goal's start week (x = 0, the baseline) to its due week
   (x = n). The plan is the straight line from ``baseline`` at 0 to ``target`` at n.
2. Take the last :data:`WINDOW_WEEKS` weeks *with data* up to the evaluated week
   (``None`` weeks are gaps, not zeros) and fit a least-squares line through them.
3. Project that line to the due week: ``projected``. ``progress`` is the share of the
   planned change the projection delivers: ``(projected − baseline) / (target − baseline)``
   (the sign handles metrics where lower is better).
4. ``progress ≥ 0.9`` → on track; ``0.5 ≤ progress < 0.9`` → at risk; below → off track.
   The latest value already at or past the target → met. After the due week only met or
   off track remain. Fewer than :data:`MIN_POINTS` weeks with data → no data.
5. A target that is no better than the baseline (a "hold the line" goal) has no planned
   change to share: on track when the projection reaches the target, else off track.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from adoption.weeks import IsoWeek

WINDOW_WEEKS = 4
MIN_POINTS = 2
ON_TRACK_AT = 0.9
AT_RISK_AT = 0.5

MET, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "met", "on_track", "at_risk", "off_track", "no_data"
STATUSES = (MET, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA)


@dataclass(frozen=True, slots=True)
class WeekValue:
    """One week of a goal's metric; ``value`` ``None`` means no data that week."""

    week: IsoWeek
    value: float | None


@dataclass(frozen=True, slots=True)
class Trajectory:
    """A goal's status at one week and the numbers behind it (for cards and charts)."""

    status: str
    latest: float | None
    projected: float | None
    progress: float | None
    slope: float | None  # change per week of the fitted line
    intercept: float | None  # fitted value at x = 0 (the start week)
    weeks_total: int  # n: start week to due week

    def projection_at(self, x: float) -> float | None:
        """The fitted line's value ``x`` weeks after the start week."""
        if self.slope is None or self.intercept is None:
            return None
        return self.intercept + self.slope * x


def weeks_apart(a: IsoWeek, b: IsoWeek) -> int:
    """How many weeks ``b`` is after ``a`` (negative when before)."""
    return (b.monday - a.monday).days // 7


def planned_value(
    baseline: float, target: float, start: IsoWeek, due: IsoWeek, week: IsoWeek
) -> float:
    """The plan line's value at ``week``: baseline at the start, target at the due week."""
    n = max(weeks_apart(start, due), 1)
    x = min(max(weeks_apart(start, week), 0), n)
    return baseline + (target - baseline) * x / n


def _reached(value: float, target: float, higher_is_better: bool) -> bool:
    return value >= target if higher_is_better else value <= target


def trajectory(
    series: Sequence[WeekValue],
    *,
    baseline: float,
    target: float,
    start: IsoWeek,
    due: IsoWeek,
    at: IsoWeek,
    higher_is_better: bool = True,
) -> Trajectory:
    """The goal's status as of week ``at`` (weeks after ``at`` in ``series`` are ignored)."""
    n = max(weeks_apart(start, due), 1)
    known = [(weeks_apart(start, w.week), w.value) for w in series if w.value is not None]
    known = [(x, v) for x, v in known if x <= weeks_apart(start, at)]
    recent = sorted(known)[-WINDOW_WEEKS:]
    latest = recent[-1][1] if recent else None
    if latest is not None and _reached(latest, target, higher_is_better):
        return Trajectory(MET, latest, None, None, None, None, n)
    if len(recent) < MIN_POINTS or len({x for x, _ in recent}) < MIN_POINTS:
        return Trajectory(NO_DATA, latest, None, None, None, None, n)
    fit = statistics.linear_regression([float(x) for x, _ in recent], [v for _, v in recent])
    projected = fit.intercept + fit.slope * n
    planned = target - baseline
    holding = planned == 0 or (planned > 0) != higher_is_better
    # round away float noise so a hand-computed 0.5 is 0.5
    progress = None if holding else round((projected - baseline) / planned, 9)
    if weeks_apart(due, at) > 0:
        status = OFF_TRACK
    elif progress is None:
        status = ON_TRACK if _reached(projected, target, higher_is_better) else OFF_TRACK
    elif progress >= ON_TRACK_AT:
        status = ON_TRACK
    elif progress >= AT_RISK_AT:
        status = AT_RISK
    else:
        status = OFF_TRACK
    return Trajectory(status, latest, projected, progress, fit.slope, fit.intercept, n)
