"""Goals and the parsing of ``plan add <team> <metric> <target> by <date> ["use case"]``.

Parsing is pure: it takes the known teams and today's date and returns a
:class:`GoalDraft` or raises a :mod:`plans.errors` error that carries the facts (the
metric list, the range, the close team names). Targets for shares accept ``60%``, ``60``
or ``0.6``; counts and minutes take a plain number.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from plans.errors import (
    BadDateError,
    DateInPastError,
    PlanUsageError,
    TargetError,
    UnknownMetricError,
    UnknownTeamError,
)
from plans.registry import METRICS, RATIO, metric_names

TENANT = "*"
"""``team_id`` of a goal for the whole tenant (``plan add tenant …``)."""
TENANT_WORDS = frozenset({"tenant", "all", "everyone"})
MAX_CANDIDATES = 5


@dataclass(frozen=True, slots=True)
class TeamRef:
    """A team a goal can name: adoption's team id and display name."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class GoalDraft:
    """A validated ``plan add``: everything but the id, baseline and author."""

    team_id: str
    team_name: str
    metric: str
    target: float
    due: date
    use_case: str = ""


@dataclass(frozen=True, slots=True)
class Goal:
    """A stored goal. ``baseline`` is the metric's value when the goal was set (``None``
    until there is data); ``start`` is the day it was set."""

    id: str
    team_id: str
    team_name: str
    metric: str
    target: float
    due: date
    start: date
    baseline: float | None
    use_case: str = ""
    celebrate: bool = True
    created_by: str = ""
    created_at: datetime | None = None

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "team_id": self.team_id,
            "team_name": self.team_name,
            "metric": self.metric,
            "target": self.target,
            "due": self.due.isoformat(),
            "start": self.start.isoformat(),
            "baseline": self.baseline,
            "use_case": self.use_case,
            "celebrate": self.celebrate,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Goal:
        created = doc.get("created_at")
        baseline = doc.get("baseline")
        return cls(
            id=str(doc["id"]),
            team_id=str(doc["team_id"]),
            team_name=str(doc.get("team_name", "")),
            metric=str(doc["metric"]),
            target=float(doc["target"]),
            due=date.fromisoformat(doc["due"]),
            start=date.fromisoformat(doc["start"]),
            baseline=None if baseline is None else float(baseline),
            use_case=str(doc.get("use_case", "")),
            celebrate=bool(doc.get("celebrate", True)),
            created_by=str(doc.get("created_by", "")),
            created_at=datetime.fromisoformat(created) if created else None,
        )


def find_team(teams: Sequence[TeamRef], wanted: str) -> TeamRef:
    """The team named ``wanted`` (case-insensitive, or its id); ``tenant`` means all teams.

    Otherwise :class:`UnknownTeamError` with up to five close names, best first.
    """
    needle = " ".join(wanted.casefold().split())
    if needle in TENANT_WORDS:
        return TeamRef(TENANT, "all teams")
    for team in teams:
        if team.id == wanted.strip() or " ".join(team.name.casefold().split()) == needle:
            return team
    names = {t.name.casefold(): t.name for t in teams}
    close = difflib.get_close_matches(needle, list(names), n=MAX_CANDIDATES, cutoff=0.6)
    close += [k for k in names if needle and needle in k and k not in close]
    raise UnknownTeamError(wanted, tuple(names[k] for k in close[:MAX_CANDIDATES]))


def parse_target(metric: str, text: str) -> float:
    """The target in the metric's stored unit; outside the range raises :class:`TargetError`."""
    spec = METRICS[metric]
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = float(raw.rstrip("%").strip())
    except ValueError:
        raise TargetError(metric, text, spec.low, spec.high, spec.unit) from None
    if spec.unit == RATIO and (percent or value > 1):
        value /= 100
    elif percent:
        raise TargetError(metric, text, spec.low, spec.high, spec.unit)
    if value != value or not spec.in_range(value):  # NaN is never in range
        raise TargetError(metric, text, spec.low, spec.high, spec.unit)
    return value


def parse_plan_add(text: str, teams: Sequence[TeamRef], *, today: date) -> GoalDraft:
    """Parse ``<team> <metric> <target> by <date> ["use case"]`` (team names may have spaces).

    Checked in reading order: shape, metric, target, date, then the team.
    """
    try:
        words = shlex.split(text)
    except ValueError:
        raise PlanUsageError(text) from None
    by = max((i for i, w in enumerate(words) if w.casefold() == "by"), default=-1)
    if by < 3 or by + 1 >= len(words) or len(words) > by + 3:
        raise PlanUsageError(text)
    team_text, metric, target_text = " ".join(words[: by - 2]), words[by - 2], words[by - 1]
    metric = metric.casefold()
    if metric not in METRICS:
        raise UnknownMetricError(metric, metric_names())
    target = parse_target(metric, target_text)
    try:
        due = date.fromisoformat(words[by + 1])
    except ValueError:
        raise BadDateError(words[by + 1]) from None
    if due <= today:
        raise DateInPastError(due, today)
    team = find_team(teams, team_text)
    use_case = words[by + 2].strip() if len(words) == by + 3 else ""
    return GoalDraft(team.id, team.name, metric, target, due, use_case)
