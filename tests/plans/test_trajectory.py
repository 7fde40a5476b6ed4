"""Must show: a goal at baseline 40% with target 60% in 10 weeks is on track, at risk and
off track at the documented thresholds, on hand-made weekly facts.

Goal set on Monday 2026-09-28 (2026-W40, x = 0), due Monday 2026-12-07 (W50, x = 10).
Weeks W41..W44 (x = 1..4) each have 50 thread roots; the first ``k`` get an answer, so
the weekly reply rate is k/50. Least squares over x = 1..4 (mean x = 2.5, Σ(x−x̄)² = 5).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from adoption.facts import MessageFact, ThreadFact
from adoption.weeks import IsoWeek
from plans.goals import Goal
from plans.series import evaluate
from plans.trajectory import (
    AT_RISK,
    MET,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    Trajectory,
    WeekValue,
    planned_value,
    trajectory,
)

UTC = ZoneInfo("UTC")
W40 = IsoWeek(2026, 40)
GOAL = Goal(
    id="g1", team_id="t1", team_name="Sales", metric="reply_rate", target=0.60,
    due=date(2026, 12, 7), start=date(2026, 9, 28), baseline=0.40,
)  # fmt: skip


def week_facts(answered: list[int | None], roots: int = 50) -> list[ThreadFact]:
    """Weeks W41.. in order: ``answered`` of ``roots`` threads get a reply (None: no posts)."""
    threads = []
    for i, k in enumerate(answered):
        if k is None:
            continue
        monday = W40.monday + timedelta(weeks=i + 1)
        for n in range(roots):
            root = MessageFact(f"r{i}-{n}", "a", _at(monday, n))
            replies = (MessageFact(f"x{i}-{n}", "b", _at(monday, n, 30)),) if n < k else ()
            threads.append(ThreadFact("t1", "general", root, replies))
    return threads


def _at(day: date, n: int, minutes: int = 0) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC) + timedelta(minutes=n * 60 + minutes)


W44 = IsoWeek(2026, 44)


def status(answered: list[int | None], at: IsoWeek = W44) -> Trajectory:
    result, _series = evaluate(GOAL, week_facts(answered), 10, UTC, at=at)
    return result


def test_on_track_exactly_at_the_90_percent_threshold() -> None:
    # 40%, 42%, 44%, 46%: slope 2 points/week, fitted 38% at x=0 → 38 + 10·2 = 58% at W50;
    # progress (58 − 40) / (60 − 40) = 0.9 → on track (0.9 is the documented threshold)
    t = status([20, 21, 22, 23])
    assert t.status == ON_TRACK
    assert round(t.projected or 0, 9) == 0.58 and t.progress == 0.9
    assert round(t.slope or 0, 9) == 0.02


def test_at_risk_exactly_at_the_50_percent_threshold() -> None:
    # 44%, 46%, 46%, 46%: ȳ = 45.5%, Σ(x−x̄)(y−ȳ) = 1.5 roots → slope 0.3/50 = 0.6 points/week,
    # fitted 44% at x=0 → 44 + 6 = 50% at W50; progress (50 − 40) / 20 = 0.5 → at risk
    t = status([22, 23, 23, 23])
    assert t.status == AT_RISK
    assert t.progress == 0.5


def test_just_under_90_percent_is_at_risk() -> None:
    # 40%, 42%, 44%, 44%: ȳ = 42.5%, Σ(x−x̄)(y−ȳ) = 3.5 roots → slope 0.7/50 = 1.4 points,
    # fitted 42.5 − 2.5·1.4 = 39% → 39 + 14 = 53%; progress 0.65 → at risk
    t = status([20, 21, 22, 22])
    assert t.status == AT_RISK and t.progress == 0.65


def test_off_track_under_50_percent() -> None:
    # flat at 44%: projection 44% → progress (44 − 40) / 20 = 0.2 → off track
    t = status([22, 22, 22, 22])
    assert t.status == OFF_TRACK and t.progress == 0.2


def test_weeks_without_data_are_gaps_not_zeros() -> None:
    # W42 had no posts (reply rate None): the fit uses x = 1, 3, 4 only. 40%, 44%, 46% lie on
    # 38% + 2x, so the projection is 58% (progress 0.9, on track). Had the gap counted as
    # 0%, the fit would have been dragged far below and the goal off track.
    t = status([20, None, 22, 23])
    assert t.status == ON_TRACK
    assert round(t.slope or 0, 9) == 0.02 and t.progress == 0.9


def test_met_when_the_latest_week_reaches_the_target() -> None:
    assert status([20, 25, 28, 30]).status == MET  # 60% in W44


def test_no_data_with_fewer_than_two_weeks() -> None:
    assert status([None, None, None, 23]).status == NO_DATA


def test_after_the_due_week_only_met_or_off_track() -> None:
    series = [WeekValue(IsoWeek(2026, 40 + i), 0.4 + 0.03 * i) for i in range(1, 12)]
    series[-1] = WeekValue(IsoWeek(2026, 51), 0.59)
    t = trajectory(series, baseline=0.4, target=0.6, start=W40, due=IsoWeek(2026, 50),
                   at=IsoWeek(2026, 51))  # fmt: skip
    assert t.status == OFF_TRACK


def test_lower_is_better_metric() -> None:
    # first reply 300 → 200 minutes in 10 weeks; 290, 280, 270, 260 → slope −10, fitted 300
    # at x=0 → 200 at W50: progress 1.0
    series = [WeekValue(IsoWeek(2026, 40 + x), 300 - 10 * x) for x in range(1, 5)]
    t = trajectory(series, baseline=300, target=200, start=W40, due=IsoWeek(2026, 50),
                   at=IsoWeek(2026, 44), higher_is_better=False)  # fmt: skip
    assert t.status == ON_TRACK and t.progress == 1.0


def test_plan_line() -> None:
    assert planned_value(0.4, 0.6, W40, IsoWeek(2026, 50), IsoWeek(2026, 45)) == 0.5


def test_hold_the_line_goal_compares_the_projection_with_the_target() -> None:
    # target 50% under a 60% baseline: no planned gain to share. Latest under 50%:
    # 56, 52, 48, 44 → slope −4 → 20% at W50 → off track; 44, 46, 48, 48 → slope 1.4,
    # ȳ = 46.5%, fitted 46.5 − 2.5·1.4 = 43% at x=0 → 57% at W50 → on track; latest ≥ 50% → met
    kw = dict(baseline=0.6, target=0.5, start=W40, due=IsoWeek(2026, 50), at=IsoWeek(2026, 44))

    def weeks(*values: float) -> list[WeekValue]:
        return [WeekValue(IsoWeek(2026, 41 + i), v) for i, v in enumerate(values)]

    down = trajectory(weeks(0.56, 0.52, 0.48, 0.44), **kw)  # type: ignore[arg-type]
    assert down.status == OFF_TRACK and down.progress is None
    up = trajectory(weeks(0.44, 0.46, 0.48, 0.48), **kw)  # type: ignore[arg-type]
    assert up.status == ON_TRACK and round(up.projected or 0, 9) == 0.57
    assert trajectory(weeks(0.55, 0.55), **kw).status == MET  # type: ignore[arg-type]


def test_a_young_goal_fits_the_weeks_before_its_start() -> None:
    # set in W43 (x = 0), evaluated in W44: the fit takes W41..W44 (x = −2..1) at
    # 40, 40, 44, 46%: x̄ = −0.5, ȳ = 42.5%, Σ(x−x̄)(y−ȳ) = 0.11, Σ(x−x̄)² = 5 → 2.2 points a
    # week (only W43..W44 would have given 2.0)
    young = Goal("g2", "t1", "Sales", "reply_rate", 0.6, date(2027, 1, 4), date(2026, 10, 19), 0.4)
    result, series = evaluate(young, week_facts([20, 20, 22, 23]), 10, UTC, at=W44)
    assert round(result.slope or 0, 9) == 0.022
    assert series[0].week == IsoWeek(2026, 40) and series[-1].week == W44
