"""Goals as the bot's surfaces show them: each goal's trajectory at the last full week.

One place for the `plans` command, the team card, the digest and the dashboard's Plan
page, so they all judge a goal the same way (``plans.series.evaluate`` at the last full
ISO week in ``TRIMTAB_TIMEZONE``), and the tenant benchmark line for a team.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from adoption.config import GraphSettings
from adoption.ports import Offload, inline
from adoption.report import TeamReport, compute_report, read_report_inputs
from adoption.repository import AdoptionRepository
from adoption.weeks import IsoWeek, Period
from bot.admin.summary import AdminData, fact_ids
from bot.messages import plans as msg
from bot.services import Services
from bot.storage import DocumentStore
from cards.adoption_summary import TeamView, TenantView
from plans.percentiles import Standing, team_standings
from plans.periods import ReviewPeriod
from plans.ports import StoredChampionActivity
from plans.repository import PlanRepository
from plans.review import GoalStatus, Review, build_review
from plans.series import evaluate, goal_scope
from wol_circles.repository import CircleRepository

BENCHMARK_METRIC = "reply_rate"


def judged_week(services: Services, now: datetime) -> IsoWeek:
    """The last full ISO week before ``now`` in the configured zone."""
    return IsoWeek.of_datetime(now, services.settings.timezone).previous()


async def goal_statuses(
    services: Services, now: datetime, *, team_id: str | None = None
) -> list[GoalStatus]:
    """Every goal (or one team's, tenant goals left out) with its trajectory and series."""
    goals = await PlanRepository(services.store).goals(team_id)
    if not goals:
        return []
    adoption = AdoptionRepository(services.store)
    facts = await adoption.teams()
    wanted = {g.team_id for g in goals}
    threads = {t.id: await adoption.threads(t.id) for t in facts if "*" in wanted or t.id in wanted}
    at, tz = judged_week(services, now), services.settings.timezone

    def judge() -> list[GoalStatus]:
        found = []
        for goal in goals:
            scope, members = goal_scope(goal.team_id, facts, threads)
            result, series = evaluate(goal, scope, members, tz, at=at)
            found.append(GoalStatus(goal, result, series))
        return found

    return await services.compute.run(judge)  # measuring never runs on the event loop


def standing_of(teams: list[TeamReport], team_id: str) -> Standing | None:
    """Where ``team_id`` stands among ``teams`` for :data:`BENCHMARK_METRIC` (no data: None)."""
    return team_standings(teams, BENCHMARK_METRIC).get(team_id)


async def tenant_standing(
    services: Services, period: Period, now: datetime, team_id: str
) -> Standing | None:
    """Where ``team_id`` stands among all the tenant's teams over ``period``."""
    registry = await services.champions.registry.all()
    # every team's rollup is decoded (only the period's weeks) in the compute lane: decoding
    # 2,000 on the event loop held a team page's /healthz for up to ten seconds
    champions = fact_ids(services, (c.aad_id for c in registry))
    size = services.settings.graph.min_group_size

    async def measure() -> dict[str, Standing]:
        inputs = await read_report_inputs(
            AdoptionRepository(services.store), start=period.start, end=period.end,
            tz=services.settings.timezone, now=now, champions=champions, min_group_size=size,
            weeks={w.label for w in period.weeks}, offload=services.compute.run,
        )  # fmt: skip

        def standings() -> dict[str, Standing]:  # ranking 2,000 teams: not on the loop either
            return team_standings(compute_report(inputs).teams, BENCHMARK_METRIC)

        return await services.compute.run(standings)

    # queued with the other whole-tenant reports; team pages opened together share one
    key = ("standing", period, frozenset(champions), size)
    return (await services.tenant_reports.run(key, measure)).get(team_id)


async def with_plan(services: Services, data: AdminData, view: TeamView, team_id: str) -> TeamView:
    """The team card's view with the team's goals and its tenant benchmark."""
    statuses = await goal_statuses(services, data.now, team_id=team_id)
    standing = await tenant_standing(services, data.period, data.now, team_id)
    return replace(
        view, goals=[msg.goal_line(s) for s in statuses], benchmark=msg.benchmark_line(standing)
    )


async def with_goals(services: Services, now: datetime, view: TenantView) -> TenantView:
    """The digest's view with every goal's status."""
    return replace(view, goals=[msg.goal_line(s) for s in await goal_statuses(services, now)])


async def review_from_store(
    store: DocumentStore, review: ReviewPeriod, *, tz: ZoneInfo, now: datetime,
    champions: frozenset[str], graph: GraphSettings | None = None,
    offload: Offload = inline,
) -> Review:  # fmt: skip
    """The review of ``review`` read from ``store`` (for `trimtab review` and the dashboard);
    ``champions`` are champion ids as the facts store them; ``graph`` settings with
    ``TRIMTAB_GROUP_BY=department`` add the table by department; ``offload`` runs the
    measuring (the dashboard: ``services.compute.run``, off the event loop)."""
    return await build_review(
        AdoptionRepository(store),
        PlanRepository(store),
        StoredChampionActivity(store),
        CircleRepository(store),
        review=review,
        tz=tz,
        now=now,
        champions=champions,
        by_department=graph is not None and graph.by_department,
        min_group_size=graph.min_group_size if graph is not None else 0,
        offload=offload,
    )
