"""Three recommendations derived from the numbers by fixed rules (never free text).

Rules, in order (docs/plans.md, "Recommendations"); each yields exactly one item, with a
fallback when its condition does not hold:

1. **Weakest metric**: the health measure with the lowest mean score across scored teams
   → adoption's action key for it (``answer_open_threads``…); all on target →
   ``keep_going``; no scored team → ``start_conversations``.
2. **Teams turning red**: teams red now that were not red in the previous period →
   ``rescue_red_teams`` naming them; else teams still red → ``support_red_teams``; else
   ``share_green_practice`` naming the healthiest teams.
3. **Champion coverage**: share of teams with at least one champion among their members.
   Under :data:`COVERAGE_TARGET` → ``recruit_champions`` naming the uncovered teams (most
   members first); else goals off track → ``revisit_goals``; else no goals → ``set_goals``;
   else ``keep_plans``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from adoption.health import ACTION_KEEP_GOING, ACTION_START, ACTIONS
from adoption.report import TeamReport
from plans.trajectory import OFF_TRACK

COVERAGE_TARGET = 0.5
NAMED = 3  # teams named per recommendation


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One recommendation: a rule id, an action key and the facts behind it."""

    rule: str
    action: str
    measure: str | None = None
    value: float | None = None
    teams: tuple[str, ...] = ()


def weakest_metric(teams: Sequence[TeamReport]) -> Recommendation:
    scores: dict[str, list[float]] = {}
    for team in teams:
        for c in team.health.components:
            scores.setdefault(c.measure, []).append(c.score)
    if not scores:
        return Recommendation("weakest_metric", ACTION_START)
    means = {m: sum(v) / len(v) for m, v in scores.items()}
    measure = min(means, key=lambda m: (means[m], m))
    if means[measure] >= 1.0:
        return Recommendation("weakest_metric", ACTION_KEEP_GOING, measure, means[measure])
    return Recommendation("weakest_metric", ACTIONS[measure], measure, means[measure])


def red_teams(teams: Sequence[TeamReport], before: Mapping[str, str]) -> Recommendation:
    """``before``: team id → band in the previous period."""
    red = [t for t in teams if t.health.band == "red"]
    turned = [t.name for t in red if before.get(t.id) != "red"]
    if turned:
        return Recommendation("teams_red", "rescue_red_teams", teams=tuple(turned[:NAMED]))
    if red:
        return Recommendation(
            "teams_red", "support_red_teams", teams=tuple(t.name for t in red[:NAMED])
        )
    best = sorted(
        (t for t in teams if t.health.score is not None), key=lambda t: -(t.health.score or 0)
    )
    return Recommendation(
        "teams_red", "share_green_practice", teams=tuple(t.name for t in best[:NAMED])
    )


def champion_coverage(
    teams: Sequence[TeamReport],
    members: Mapping[str, frozenset[str]],
    champions: frozenset[str],
    goal_statuses: Sequence[str],
) -> Recommendation:
    """``members``: team id → member ids; ``goal_statuses``: every goal's current status."""
    if not teams:
        return Recommendation("champion_coverage", "set_goals")
    uncovered = [t for t in teams if not (members.get(t.id, frozenset()) & champions)]
    coverage = 1 - len(uncovered) / len(teams)
    if coverage < COVERAGE_TARGET:
        named = sorted(uncovered, key=lambda t: (-t.members, t.name))[:NAMED]
        return Recommendation("champion_coverage", "recruit_champions", value=coverage,
                              teams=tuple(t.name for t in named))  # fmt: skip
    if OFF_TRACK in goal_statuses:
        return Recommendation("champion_coverage", "revisit_goals", value=coverage)
    if not goal_statuses:
        return Recommendation("champion_coverage", "set_goals", value=coverage)
    return Recommendation("champion_coverage", "keep_plans", value=coverage)


def recommend(
    teams: Sequence[TeamReport],
    *,
    bands_before: Mapping[str, str],
    members: Mapping[str, frozenset[str]],
    champions: frozenset[str],
    goal_statuses: Sequence[str],
) -> tuple[Recommendation, Recommendation, Recommendation]:
    """The three recommendations for a review."""
    return (
        weakest_metric(teams),
        red_teams(teams, bands_before),
        champion_coverage(teams, members, champions, goal_statuses),
    )
