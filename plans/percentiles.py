"""Benchmarks inside the tenant: where a team stands among the tenant's teams.

Rule (docs/plans.md, "Benchmarks"): teams without data for the metric are not ranked.
Rank 1 is the best value (highest, or lowest for metrics where lower is better); tied
teams share the best rank of their tie. ``top_percent = ceil(100 × rank / ranked)``: with
10 teams the 3rd best is "top 30%". Groups (departments) get the same treatment, but a
group with fewer than ``min_size`` people is never shown on its own: the small groups are
pooled into one "other" group, which is itself dropped when still too small.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from adoption.department_sync import NO_DEPARTMENT
from adoption.departments import DepartmentMetrics
from adoption.facts import ThreadFact
from adoption.metrics import WeekMetrics, window_metrics
from adoption.personas import user_activity
from adoption.report import TeamReport
from plans.registry import METRICS, metric_value

MIN_GROUP_SIZE = 5
OTHER = "other"


@dataclass(frozen=True, slots=True)
class Standing:
    """One team's (or group's) place for one metric."""

    key: str
    value: float
    rank: int
    ranked: int
    top_percent: int


def standings(values: Mapping[str, float | None], metric: str) -> dict[str, Standing]:
    """Place every key with a value among the others, for ``metric``'s direction."""
    known = {k: v for k, v in values.items() if v is not None}
    better_high = METRICS[metric].higher_is_better
    ordered = sorted(known.values(), reverse=better_high)
    result = {}
    for key, value in known.items():
        rank = ordered.index(value) + 1
        result[key] = Standing(key, value, rank, len(ordered), math.ceil(100 * rank / len(ordered)))
    return result


def team_standings(teams: Sequence[TeamReport], metric: str) -> dict[str, Standing]:
    """Each reported team's place (by team id) for ``metric`` over the report's period."""
    return standings({t.id: metric_value(t.totals, metric) for t in teams}, metric)


def department_standings(
    departments: Sequence[DepartmentMetrics], metric: str
) -> dict[str, Standing]:
    """Each reported department's place (by name) among the others for ``metric``.

    Departments shown as "too few people to report" and ``(no department)`` are not ranked.
    """
    return standings(
        {
            d.name: metric_value(d.totals, metric)
            for d in departments
            if not d.suppressed and d.name != NO_DEPARTMENT
        },
        metric,
    )


@dataclass(frozen=True, slots=True)
class Groups:
    """People by group after the minimum size: ``shown`` groups (maybe "other", pooling the
    small ones) and the names of groups too small to show on their own."""

    shown: dict[str, frozenset[str]]
    suppressed: tuple[str, ...]


def group_people(group_of: Mapping[str, str | None], *, min_size: int = MIN_GROUP_SIZE) -> Groups:
    """Group user ids by their group (department); enforce ``min_size`` as described above.

    People without a group go to "other" too.
    """
    groups: dict[str, set[str]] = {}
    for user, group in group_of.items():
        groups.setdefault((group or "").strip() or OTHER, set()).add(user)
    shown = {g: frozenset(u) for g, u in groups.items() if len(u) >= min_size and g != OTHER}
    small = sorted(g for g in groups if g not in shown)
    pooled = frozenset(u for g in small for u in groups[g])
    if len(pooled) >= min_size:
        shown[OTHER] = pooled
    return Groups(shown, tuple(g for g in small if g != OTHER))


def group_metrics(
    threads: Iterable[ThreadFact], groups: Groups, start: datetime, end: datetime
) -> dict[str, WeekMetrics]:
    """Adoption's window measures per shown group over ``[start, end)``.

    Thread measures (posts, reply rate, first reply) are over the threads the group's
    people started; active posters and active share count only the group's own people who
    started or answered a conversation anywhere in the window.
    """
    threads = list(threads)
    activity = user_activity(threads, start, end)
    active = {u for u, a in activity.items() if a.posts + a.given + a.own_replies}
    found = {}
    for name, people in groups.shown.items():
        measured = window_metrics(
            [t for t in threads if t.root.author in people],
            start,
            end,
            member_count=len(people),
            label=name,
        )
        posters = len(active & people)
        found[name] = dataclasses.replace(
            measured, active_posters=posters, active_share=posters / len(people)
        )
    return found
