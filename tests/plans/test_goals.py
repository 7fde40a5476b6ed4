"""`plan add` arguments → a goal; every bad input is a domain error carrying its facts."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from adoption.metrics import WeekMetrics
from plans.errors import (
    BadDateError,
    DateInPastError,
    PlanUsageError,
    TargetError,
    UnknownMetricError,
    UnknownTeamError,
)
from plans.goals import TENANT, Goal, GoalDraft, TeamRef, parse_plan_add
from plans.registry import METRICS, metric_names

TEAMS = [TeamRef("t1", "Contoso Sales"), TeamRef("t2", "Sales Ops"), TeamRef("t3", "Engineering")]
TODAY = date(2026, 11, 29)


def parse(text: str) -> GoalDraft:
    return parse_plan_add(text, TEAMS, today=TODAY)


def test_full_goal_with_a_multi_word_team_and_use_case() -> None:
    draft = parse(
        'contoso sales reply_rate 60% by 2027-03-31 "decisions move from chat to channels"'
    )
    assert (draft.team_id, draft.team_name, draft.metric) == ("t1", "Contoso Sales", "reply_rate")
    assert draft.target == 0.6 and draft.due == date(2027, 3, 31)
    assert draft.use_case == "decisions move from chat to channels"


def test_share_targets_in_percent_points_or_fraction_and_counts_plain() -> None:
    assert parse("Engineering active_share 45 by 2027-01-31").target == 0.45
    assert parse("Engineering active_share 0.45 by 2027-01-31").target == 0.45
    assert parse("Engineering posts 120 by 2027-01-31").target == 120
    assert parse("tenant reply_rate 70% by 2027-06-30").team_id == TENANT


def test_registry_covers_every_adoption_weekly_measure() -> None:
    # ``week`` labels the window and ``collected`` says whether it has data: not measures
    fields = [
        f.name for f in dataclasses.fields(WeekMetrics) if f.name not in ("week", "collected")
    ]
    assert list(metric_names()) == fields
    assert not METRICS["median_first_reply_minutes"].higher_is_better


def test_unknown_metric_lists_the_metrics() -> None:
    with pytest.raises(UnknownMetricError) as caught:
        parse("Engineering replyrate 60% by 2027-03-31")
    assert caught.value.metric == "replyrate"
    assert "reply_rate" in caught.value.known and len(caught.value.known) == len(METRICS)


@pytest.mark.parametrize(
    ("metric", "target", "low", "high"),
    [("reply_rate", "160%", 0, 1), ("active_share", "-5%", 0, 1), ("posts", "50%", 0, 100_000),
     ("median_first_reply_minutes", "20000", 0, 10080), ("reply_rate", "lots", 0, 1)],
)  # fmt: skip
def test_target_outside_the_range_gives_the_range(
    metric: str, target: str, low: float, high: float
) -> None:
    with pytest.raises(TargetError) as caught:
        parse(f"Engineering {metric} {target} by 2027-03-31")
    assert (caught.value.low, caught.value.high, caught.value.target) == (low, high, target)


@pytest.mark.parametrize("due", ["2026-11-29", "2026-01-01"])
def test_date_in_the_past_is_refused(due: str) -> None:
    with pytest.raises(DateInPastError) as caught:
        parse(f"Engineering reply_rate 60% by {due}")
    assert caught.value.today == TODAY and caught.value.due == date.fromisoformat(due)


def test_bad_date() -> None:
    with pytest.raises(BadDateError):
        parse("Engineering reply_rate 60% by March")


def test_team_with_close_matches_gives_did_you_mean() -> None:
    with pytest.raises(UnknownTeamError) as caught:
        parse("Contoso Sale reply_rate 60% by 2027-03-31")
    assert caught.value.candidates[0] == "Contoso Sales"
    with pytest.raises(UnknownTeamError) as caught:
        parse("sales reply_rate 60% by 2027-03-31")
    assert set(caught.value.candidates) == {"Contoso Sales", "Sales Ops"}
    with pytest.raises(UnknownTeamError) as caught:
        parse("Marketing reply_rate 60% by 2027-03-31")
    assert caught.value.candidates == ()


@pytest.mark.parametrize(
    "text",
    ["", "Engineering reply_rate 60%", "reply_rate 60% by 2027-01-01", 'Eng "unclosed',
     "Engineering reply_rate 60% by 2027-01-01 a b"],
)  # fmt: skip
def test_wrong_shape_is_a_usage_error(text: str) -> None:
    with pytest.raises(PlanUsageError):
        parse(text)


def test_goal_round_trips_through_its_document() -> None:
    goal = Goal("g1", "t1", "Contoso Sales", "reply_rate", 0.6, date(2027, 3, 31),
                date(2026, 11, 29), None, "use case", celebrate=False)  # fmt: skip
    assert Goal.from_doc(goal.to_doc()) == goal
