"""Domain errors of plans: they carry facts, never wording (the bot words them later).

Hierarchy::

    PlanError
    ├── PlanUsageError        the arguments do not have the shape of `plan add`
    ├── UnknownMetricError    .metric, .known (every metric name)
    ├── TargetError           .metric, .target text, .low, .high, .unit
    ├── DateInPastError       .due, .today
    ├── BadDateError          .text
    └── UnknownTeamError      .wanted, .candidates (did-you-mean names, best first)
"""

from __future__ import annotations

from datetime import date


class PlanError(ValueError):
    """Base of every plans error."""


class PlanUsageError(PlanError):
    """`plan add` arguments without ``<team> <metric> <target> by <date>``."""

    def __init__(self, text: str) -> None:
        super().__init__(f"bad plan arguments: {text!r}")
        self.text = text


class UnknownMetricError(PlanError):
    """The metric is not in the registry; ``known`` lists every metric name."""

    def __init__(self, metric: str, known: tuple[str, ...]) -> None:
        super().__init__(f"unknown metric {metric!r}")
        self.metric = metric
        self.known = known


class TargetError(PlanError):
    """The target is not a number or lies outside the metric's range ``low..high``."""

    def __init__(self, metric: str, target: str, low: float, high: float, unit: str) -> None:
        super().__init__(f"target {target!r} outside {low}..{high} ({unit}) for {metric}")
        self.metric = metric
        self.target = target
        self.low = low
        self.high = high
        self.unit = unit


class BadDateError(PlanError):
    """The due date is not an ISO date (``2027-03-31``)."""

    def __init__(self, text: str) -> None:
        super().__init__(f"not a date: {text!r}")
        self.text = text


class DateInPastError(PlanError):
    """The due date is today or earlier."""

    def __init__(self, due: date, today: date) -> None:
        super().__init__(f"due date {due} is not after {today}")
        self.due = due
        self.today = today


class UnknownTeamError(PlanError):
    """No team has that name; ``candidates`` are close names (may be empty)."""

    def __init__(self, wanted: str, candidates: tuple[str, ...]) -> None:
        super().__init__(f"no team named {wanted!r}")
        self.wanted = wanted
        self.candidates = candidates
