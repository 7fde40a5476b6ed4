"""A goal's weekly series and baseline, measured by adoption's own functions.

Teams' threads come from :class:`adoption.repository.AdoptionRepository` (or anything
with the same ``teams``/``threads`` methods, :class:`plans.ports.AdoptionSource`); the
weekly rows from :func:`adoption.metrics.weekly_metrics`. Weeks without data stay
``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from adoption.facts import TeamFact, ThreadFact
from adoption.metrics import weekly_metrics
from adoption.weeks import IsoWeek, weeks_between
from plans.goals import TENANT, Goal
from plans.registry import METRICS, metric_value
from plans.trajectory import WINDOW_WEEKS, Trajectory, WeekValue, trajectory

BASELINE_WEEKS = WINDOW_WEEKS
"""A new goal's baseline: the mean of up to this many full weeks with data before it starts."""


def metric_series(
    threads: Sequence[ThreadFact],
    metric: str,
    weeks: Sequence[IsoWeek],
    tz: ZoneInfo,
    *,
    member_count: int,
) -> list[WeekValue]:
    """``metric`` per week of ``weeks`` (``None`` where adoption reports no data)."""
    rows = weekly_metrics(threads, weeks, tz, member_count=member_count)
    return [WeekValue(w, metric_value(r, metric)) for w, r in zip(weeks, rows, strict=True)]


def baseline(series: Sequence[WeekValue], start: IsoWeek) -> float | None:
    """Mean of the last :data:`BASELINE_WEEKS` weeks with data before ``start``."""
    before = [w.value for w in series if w.week < start and w.value is not None]
    recent = before[-BASELINE_WEEKS:]
    return sum(recent) / len(recent) if recent else None


def goal_scope(
    goal_team: str, teams: Sequence[TeamFact], threads: dict[str, list[ThreadFact]]
) -> tuple[list[ThreadFact], int]:
    """The threads and member count a goal measures: one team, or every team for the tenant."""
    chosen = [t for t in teams if goal_team in (TENANT, t.id)]
    picked = [th for t in chosen for th in threads.get(t.id, [])]
    return picked, len({m for t in chosen for m in t.member_ids})


def evaluate(
    goal: Goal,
    threads: Sequence[ThreadFact],
    member_count: int,
    tz: ZoneInfo,
    *,
    at: IsoWeek,
) -> tuple[Trajectory, list[WeekValue]]:
    """The goal's trajectory as of week ``at`` and the series it was computed from (from
    :data:`WINDOW_WEEKS` − 1 weeks before the start week).

    A goal stored without a baseline (no data when it was set) takes its first week with
    data from the start week on as the baseline.
    """
    start = IsoWeek.of(goal.start)
    # the fit may reach back before the start: a goal two weeks old still has 4 weeks to fit
    first = min(start, at).monday - timedelta(weeks=WINDOW_WEEKS - 1)
    weeks = weeks_between(first, max(at, start).sunday)
    series = metric_series(threads, goal.metric, weeks, tz, member_count=member_count)
    base = goal.baseline
    if base is None:
        base = next((w.value for w in series if w.week >= start and w.value is not None), None)
    if base is None:
        base = goal.target  # nothing measured yet: the status will be no_data
    result = trajectory(
        series,
        baseline=base,
        target=goal.target,
        start=start,
        due=IsoWeek.of(goal.due),
        at=at,
        higher_is_better=METRICS[goal.metric].higher_is_better,
    )
    return result, series
