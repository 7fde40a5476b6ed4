"""A 0–100 health score per team, with red/amber/green bands.

Four measures, each scored 0..1 against a target, then weighted:

============================  ======  =======  =============================================
measure                       weight  target   score
============================  ======  =======  =============================================
``reply_rate``                0.35    0.70     value / target, capped at 1
``active_share``              0.25    0.50     value / target, capped at 1
``median_first_reply_minutes`` 0.20   240      1 at or under target, else target / value
``trend``                     0.20    0.00     1 at or above target; falls linearly to 0 at
                                               target − 0.50 (a 50% drop in activity)
============================  ======  =======  =============================================

A measure with no data (``None``) is dropped and the remaining weights rescaled so
they sum to 1 — a team with no answered threads is not punished on reply time twice.
With no measure at all the score is ``None`` and the band ``"none"``.

Bands follow the customer-success convention on the rounded score: 0–50 red, 51–75 amber,
76–100 green. Per-team overrides come from ``TeamFact.targets``: a measure's name sets
its target (``{"reply_rate": 0.6}``), ``weight.<measure>`` its weight.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from adoption.metrics import WeekMetrics, week_over_week

REPLY_RATE = "reply_rate"
ACTIVE_SHARE = "active_share"
FIRST_REPLY = "median_first_reply_minutes"
TREND = "trend"
MEASURES: tuple[str, ...] = (REPLY_RATE, ACTIVE_SHARE, FIRST_REPLY, TREND)

DEFAULT_WEIGHTS: Mapping[str, float] = {
    REPLY_RATE: 0.35,
    ACTIVE_SHARE: 0.25,
    FIRST_REPLY: 0.20,
    TREND: 0.20,
}
DEFAULT_TARGETS: Mapping[str, float] = {
    REPLY_RATE: 0.70,
    ACTIVE_SHARE: 0.50,
    FIRST_REPLY: 240.0,
    TREND: 0.0,
}
TREND_TOLERANCE = 0.50
"""How far below the trend target activity may fall before the trend scores 0."""

RED, AMBER, GREEN, NONE = "red", "amber", "green", "none"

ACTIONS: Mapping[str, str] = {
    REPLY_RATE: "answer_open_threads",
    ACTIVE_SHARE: "invite_quiet_members",
    FIRST_REPLY: "reply_sooner",
    TREND: "restart_conversations",
}
"""Suggested action key per weakest measure (the bot and dashboard map keys to text)."""
ACTION_KEEP_GOING = "keep_going"
ACTION_START = "start_conversations"


def band(score: int | None) -> str:
    """``red`` for 0–50, ``amber`` 51–75, ``green`` 76–100, ``none`` without a score."""
    if score is None:
        return NONE
    if score <= 50:
        return RED
    if score <= 75:
        return AMBER
    return GREEN


def measure_score(measure: str, value: float, target: float) -> float:
    """Score one measure 0..1 against its target (see the table in the module docstring)."""
    if measure == FIRST_REPLY:
        return 1.0 if value <= target else (target / value if value > 0 else 1.0)
    if measure == TREND:
        if value >= target:
            return 1.0
        return max(0.0, 1.0 - (target - value) / TREND_TOLERANCE)
    if target <= 0:
        return 1.0
    return max(0.0, min(1.0, value / target))


@dataclass(frozen=True, slots=True)
class Component:
    """One measure's part in a score."""

    measure: str
    value: float
    target: float
    score: float  # 0..1
    weight: float  # after rescaling; the weights of present measures sum to 1


@dataclass(frozen=True, slots=True)
class Health:
    """A team's health: the score, its band, how it was made and what to do next."""

    score: int | None
    band: str
    components: tuple[Component, ...]
    weakest: str | None
    action: str

    def to_dict(self) -> dict[str, object]:
        return {
            "score": self.score,
            "band": self.band,
            "weakest": self.weakest,
            "action": self.action,
            "components": {
                c.measure: {
                    "value": round(c.value, 3),
                    "target": c.target,
                    "score": round(c.score, 3),
                    "weight": round(c.weight, 4),
                }
                for c in self.components
            },
        }


def settings_for(
    overrides: Mapping[str, float] | None,
) -> tuple[dict[str, float], dict[str, float]]:
    """Targets and weights after a team's overrides; unknown or negative keys are ignored."""
    targets, weights = dict(DEFAULT_TARGETS), dict(DEFAULT_WEIGHTS)
    for key, raw in (overrides or {}).items():
        try:
            value = float(raw)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(value):
            continue
        if key in targets:
            targets[key] = value
        elif key.startswith("weight.") and key[7:] in weights and value >= 0:
            weights[key[7:]] = value
    return targets, weights


def score_health(
    values: Mapping[str, float | None], overrides: Mapping[str, float] | None = None
) -> Health:
    """Score measured ``values`` (keys from :data:`MEASURES`; ``None`` or missing = no data)."""
    targets, weights = settings_for(overrides)
    present = [m for m in MEASURES if values.get(m) is not None and weights[m] > 0]
    total = sum(weights[m] for m in present)
    if not present or total <= 0:
        return Health(None, NONE, (), None, ACTION_START)
    components = tuple(
        Component(
            measure=m,
            value=float(values[m]),  # type: ignore[arg-type]
            target=targets[m],
            score=measure_score(m, float(values[m]), targets[m]),  # type: ignore[arg-type]
            weight=weights[m] / total,
        )
        for m in present
    )
    raw = 100 * sum(c.score * c.weight for c in components)
    # half up, not banker's rounding; the inner round absorbs float noise like 50.4999999
    score = min(100, max(0, math.floor(round(raw, 9) + 0.5)))
    weakest = min(components, key=lambda c: (c.score, -c.weight))
    if weakest.score >= 1.0:
        return Health(score, band(score), components, None, ACTION_KEEP_GOING)
    return Health(score, band(score), components, weakest.measure, ACTIONS[weakest.measure])


def health_inputs(period: WeekMetrics, weeks: Sequence[WeekMetrics]) -> dict[str, float | None]:
    """The four measured values for a team from its period totals and weekly rows.

    Reply rate and median first reply are over all the period's threads; active share is
    the mean of the weekly shares (a weekly habit, not "posted once in the quarter");
    trend is the last week's activity against the week before.
    """
    shares = [w.active_share for w in weeks if w.active_share is not None]
    trend = week_over_week(weeks)
    return {
        REPLY_RATE: period.reply_rate,
        ACTIVE_SHARE: sum(shares) / len(shares) if shares else None,
        FIRST_REPLY: period.median_first_reply_minutes,
        TREND: trend.activity_change if trend else None,
    }
