"""The metrics a goal can name: adoption's weekly measures (docs/metrics.md), with units
and the range a target must fall in.

The names are the fields of :class:`adoption.metrics.WeekMetrics` (so a goal always reads
a measure adoption really computes); this module adds what a goal needs: the unit, the
range and which way is better. A test keeps the two in step.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from adoption.metrics import WeekMetrics

RATIO, MINUTES, COUNT = "share", "minutes", "count"


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """One goal metric: ``low..high`` inclusive in its stored unit (shares are 0..1)."""

    name: str
    unit: str
    low: float
    high: float
    higher_is_better: bool = True

    def in_range(self, value: float) -> bool:
        return self.low <= value <= self.high


_UNITS: Mapping[str, tuple[str, float, float, bool]] = {
    "posts": (COUNT, 0, 100_000, True),
    "replies": (COUNT, 0, 100_000, True),
    "reply_rate": (RATIO, 0, 1, True),
    "unanswered": (COUNT, 0, 100_000, False),
    "median_first_reply_minutes": (MINUTES, 0, 7 * 24 * 60, False),
    "active_posters": (COUNT, 0, 100_000, True),
    "active_share": (RATIO, 0, 1, True),
    "mentions": (COUNT, 0, 100_000, True),
    "reactions": (COUNT, 0, 100_000, True),
    "champion_share": (RATIO, 0, 1, True),
}


def _registry() -> dict[str, MetricSpec]:
    names = [f.name for f in dataclasses.fields(WeekMetrics) if f.name != "week"]
    return {n: MetricSpec(n, *_UNITS[n]) for n in names if n in _UNITS}


METRICS: Mapping[str, MetricSpec] = _registry()
"""Every goal metric by name, in adoption's field order."""


def metric_names() -> tuple[str, ...]:
    return tuple(METRICS)


def metric_value(row: WeekMetrics, metric: str) -> float | None:
    """The measure ``metric`` of one weekly row; ``None`` means no data that week."""
    value = getattr(row, METRICS[metric].name)
    return None if value is None else float(value)
