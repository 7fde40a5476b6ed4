"""One team's week for the loop rules: band and goal statuses now and a week earlier.

The entry point phase 2's weekly job will call: :func:`team_signal` builds a
:class:`plans.loops.TeamSignal` from adoption's facts, and :func:`week_cards` turns it
into the cards due this week. The band is adoption's health band over the
:data:`HEALTH_WEEKS` full weeks ending with the evaluated week (as the coaching numbers
use), computed by :func:`adoption.report.team_report`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from adoption.facts import TeamFact, ThreadFact
from adoption.health import Health
from adoption.report import team_report
from adoption.weeks import IsoWeek, Period
from plans.goals import Goal
from plans.loops import (
    ALL_ON,
    GoalSignal,
    LoopCard,
    LoopSettings,
    TeamSignal,
    loops_for,
    most_active,
)
from plans.series import evaluate

HEALTH_WEEKS = 4


def health_at(
    team: TeamFact, threads: Sequence[ThreadFact], week: IsoWeek, tz: ZoneInfo,
    champions: frozenset[str],
) -> Health:  # fmt: skip
    """The team's health over the :data:`HEALTH_WEEKS` weeks ending with ``week``."""
    first = week.monday - timedelta(weeks=HEALTH_WEEKS - 1)
    return team_report(team, list(threads), Period(first, week.sunday), tz, champions).health


def team_signal(
    team: TeamFact,
    threads: Sequence[ThreadFact],
    goals: Sequence[Goal],
    *,
    week: IsoWeek,
    tz: ZoneInfo,
    champions: frozenset[str],
) -> TeamSignal:
    """Band and goal statuses at ``week`` and the week before; the team's champions are
    the registered champions among its members."""
    now = health_at(team, threads, week, tz, champions)
    before = health_at(team, threads, week.previous(), tz, champions)
    members = len(team.member_ids)
    signals = tuple(
        GoalSignal(
            goal.id,
            goal.metric,
            evaluate(goal, threads, members, tz, at=week.previous())[0].status,
            evaluate(goal, threads, members, tz, at=week)[0].status,
            goal.celebrate,
        )
        for goal in goals
        if goal.team_id == team.id
    )
    start = (week.monday - timedelta(weeks=HEALTH_WEEKS - 1), week.sunday)
    window = Period(*start).bounds(tz)
    return TeamSignal(
        team_id=team.id,
        team_name=team.name,
        band_before=before.band,
        band_now=now.band,
        action=now.action,
        champions=tuple(sorted(champions & set(team.member_ids))),
        most_active=most_active(threads, *window),
        goals=signals,
    )


def week_cards(
    team: TeamFact,
    threads: Sequence[ThreadFact],
    goals: Sequence[Goal],
    *,
    week: IsoWeek,
    tz: ZoneInfo,
    champions: frozenset[str],
    sent: Collection[str] = (),
    settings: LoopSettings = ALL_ON,
) -> list[LoopCard]:
    """The loop cards due for ``team`` in ``week``, minus the keys already ``sent``."""
    signal = team_signal(team, threads, goals, week=week, tz=tz, champions=champions)
    return loops_for(signal, week, settings=settings, sent=sent)
