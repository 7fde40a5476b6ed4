"""The use cases phase 2's `plan add` / `plans` / `plan remove` handlers call.

Each reads adoption through :class:`plans.ports.AdoptionSource` and stores through
:class:`plans.repository.PlanRepository`; the caller passes ``now`` and the zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from adoption.weeks import IsoWeek, weeks_between
from plans.goals import Goal, GoalDraft, TeamRef, parse_plan_add
from plans.ports import AdoptionSource
from plans.repository import PlanRepository
from plans.series import BASELINE_WEEKS, baseline, goal_scope, metric_series


async def known_teams(adoption: AdoptionSource) -> list[TeamRef]:
    """Every collected team as a :class:`TeamRef` for :func:`plans.goals.parse_plan_add`."""
    return [TeamRef(t.id, t.name) for t in await adoption.teams()]


async def add_goal(
    text: str,
    adoption: AdoptionSource,
    plans: PlanRepository,
    *,
    tz: ZoneInfo,
    now: datetime,
    by: str,
    celebrate: bool = True,
) -> Goal:
    """Parse ``plan add`` arguments, measure the baseline, store and return the goal.

    The baseline is the mean of the :data:`BASELINE_WEEKS` full weeks with data before
    today's week (``None`` without data). Parsing errors come from :mod:`plans.errors`.
    """
    today = now.astimezone(tz).date()
    draft: GoalDraft = parse_plan_add(text, await known_teams(adoption), today=today)
    teams = await adoption.teams()
    chosen = [t for t in teams if draft.team_id in ("*", t.id)]
    threads = {t.id: await adoption.threads(t.id) for t in chosen}
    scope, members = goal_scope(draft.team_id, chosen, threads)
    start = IsoWeek.of(today)
    weeks = weeks_between(start.monday - timedelta(weeks=BASELINE_WEEKS), start.sunday)
    series = metric_series(scope, draft.metric, weeks, tz, member_count=members)
    while True:
        goal = Goal(
            id=await plans.next_goal_id(),
            team_id=draft.team_id,
            team_name=draft.team_name,
            metric=draft.metric,
            target=draft.target,
            due=draft.due,
            start=today,
            baseline=baseline(series, start),
            use_case=draft.use_case,
            celebrate=celebrate,
            created_by=by,
            created_at=now,
        )
        if await plans.add_goal(goal):  # another admin may have taken the id meanwhile
            return goal
