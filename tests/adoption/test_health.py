"""Health score: weights, targets, rescaling of missing measures, bands and actions."""

from __future__ import annotations

import pytest

from adoption.health import (
    ACTIVE_SHARE,
    FIRST_REPLY,
    REPLY_RATE,
    TREND,
    band,
    health_inputs,
    measure_score,
    score_health,
)
from adoption.metrics import weekly_metrics, window_metrics
from adoption.weeks import IsoWeek
from tests.adoption.factories import BERLIN, scenario

ON_TARGET = {REPLY_RATE: 0.7, ACTIVE_SHARE: 0.5, FIRST_REPLY: 240.0, TREND: 0.0}


def test_all_on_target_is_green_100() -> None:
    health = score_health(ON_TARGET)
    assert (health.score, health.band, health.weakest, health.action) == (
        100,
        "green",
        None,
        "keep_going",
    )


def test_weighted_score_by_hand() -> None:
    # reply rate 0.35/0.70 = 0.5; active 0.5/0.5 = 1; first reply 240/480 = 0.5;
    # trend -0.25: 1 - 0.25/0.5 = 0.5.
    # 100 x (0.35x0.5 + 0.25x1 + 0.20x0.5 + 0.20x0.5) = 62.5 -> 63 (half up)
    health = score_health({REPLY_RATE: 0.35, ACTIVE_SHARE: 0.5, FIRST_REPLY: 480.0, TREND: -0.25})
    assert (health.score, health.band) == (63, "amber")
    # three measures tie at 0.5; the heaviest (reply rate) is the weakest to work on
    assert health.weakest == REPLY_RATE and health.action == "answer_open_threads"
    assert sum(c.weight for c in health.components) == pytest.approx(1.0)


def test_missing_measure_is_dropped_and_weights_rescaled() -> None:
    # Without first reply the weights 0.35/0.25/0.20 sum to 0.8 -> 0.4375/0.3125/0.25.
    # 100 x (0.4375x0.5 + 0.3125x1 + 0.25x0.5) = 65.625 -> 66.
    # (Counting it as zero would give 100 x (0.175 + 0.25 + 0 + 0.1) = 52.5 -> 53.)
    values = {REPLY_RATE: 0.35, ACTIVE_SHARE: 0.5, FIRST_REPLY: None, TREND: -0.25}
    health = score_health(values)
    assert health.score == 66
    assert [c.measure for c in health.components] == [REPLY_RATE, ACTIVE_SHARE, TREND]
    assert health.components[0].weight == pytest.approx(0.4375)
    assert score_health({REPLY_RATE: 0.35, ACTIVE_SHARE: 0.5, TREND: -0.25}).score == 66


def test_no_data_at_all() -> None:
    health = score_health({REPLY_RATE: None, ACTIVE_SHARE: None, FIRST_REPLY: None, TREND: None})
    assert (health.score, health.band, health.weakest) == (None, "none", None)
    assert health.action == "start_conversations"
    assert health.to_dict()["components"] == {}


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, "red"),
        (50, "red"),
        (51, "amber"),
        (75, "amber"),
        (76, "green"),
        (100, "green"),
        (None, "none"),
    ],
)
def test_band_edges(score: int | None, expected: str) -> None:
    assert band(score) == expected


@pytest.mark.parametrize(
    ("reply_rate", "score", "expected"),
    [
        (0.350, 50, "red"),  # 0.35/0.7 = 0.50
        (0.357, 51, "amber"),  # 0.51
        (0.525, 75, "amber"),  # 0.75
        (0.532, 76, "green"),  # 0.76
        (0.3535, 51, "amber"),  # 0.505 -> 50.5 rounds half up, not to even
    ],
)
def test_scores_at_the_band_edges(reply_rate: float, score: int, expected: str) -> None:
    health = score_health({REPLY_RATE: reply_rate})
    assert (health.score, health.band) == (score, expected)


def test_measure_scores() -> None:
    assert measure_score(FIRST_REPLY, 0.0, 240) == 1.0
    assert measure_score(FIRST_REPLY, 240.0, 240) == 1.0
    assert measure_score(FIRST_REPLY, 960.0, 240) == 0.25
    assert measure_score(TREND, 0.3, 0.0) == 1.0
    assert measure_score(TREND, -0.5, 0.0) == 0.0
    assert measure_score(TREND, -0.9, 0.0) == 0.0
    assert measure_score(REPLY_RATE, 0.9, 0.7) == 1.0  # capped


def test_team_overrides_targets_and_weights() -> None:
    values = {REPLY_RATE: 0.35, ACTIVE_SHARE: 0.5, FIRST_REPLY: 480.0, TREND: -0.25}
    # reply-rate target 0.35 -> 1; trend weight 0 -> dropped; weights .35/.25/.20 -> /0.8
    # 100 x (0.4375x1 + 0.3125x1 + 0.25x0.5) = 87.5 -> 88
    health = score_health(values, {"reply_rate": 0.35, "weight.trend": 0})
    assert (health.score, health.band, health.weakest) == (88, "green", FIRST_REPLY)
    assert health.action == "reply_sooner"
    # junk overrides are ignored rather than crashing a report
    junk = {"reply_rate": "abc", "weight.reply_rate": -1, "bogus": 3, "active_share": float("nan")}
    assert score_health(values, junk).score == 63  # type: ignore[arg-type]


def test_health_from_weekly_rows() -> None:
    weeks = [IsoWeek(2026, 44), IsoWeek(2026, 45)]
    rows = weekly_metrics(scenario(), weeks, BERLIN, member_count=5)
    period = window_metrics(
        scenario(), weeks[0].start(BERLIN), weeks[1].end(BERLIN), member_count=5
    )
    inputs = health_inputs(period, rows)
    # reply rate 4/6; active share mean(0.6, 1.0) = 0.8; median 35; trend (7-8)/8 = -0.125
    assert inputs == pytest.approx(
        {REPLY_RATE: 4 / 6, ACTIVE_SHARE: 0.8, FIRST_REPLY: 35, TREND: -0.125}
    )
    health = score_health(inputs)
    # 100 x (0.35 x (4/6)/0.7 + 0.25 + 0.20 + 0.20 x 0.75) = 100 x (1/3 + 0.6) = 93.3 -> 93
    assert (health.score, health.band, health.weakest) == (93, "green", TREND)
    assert health.action == "restart_conversations"
