"""The dashboard's Plan page and the review document it serves.

Plan page: one chart per goal (actual, plan line, projection: ``plans.review_html.goal_chart``)
with its status, and the loop log — what fired, for whom, who acted, and the lift 7 days
after (the champions' one lift rule). Review: ``plans.review.build_review`` rendered by
``plans.review_html.to_html``, as ``trimtab review`` writes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adoption.repository import AdoptionRepository
from bot.admin.summary import AdminData, fact_ids
from bot.dashboard.tables import Table, signed
from bot.messages import plans as msg
from bot.plan_status import goal_statuses, judged_week, review_from_store, tenant_standing
from bot.services import Services
from plans.loops import CELEBRATION
from plans.periods import ReviewPeriod
from plans.repository import PlanRepository
from plans.review_html import LOOP_TEXT, goal_chart, to_html


async def plan_page(services: Services, now: datetime) -> dict[str, Any]:
    """Context of ``plan.html.j2``: goal charts and tables, the loop log."""
    statuses = await goal_statuses(services, now)
    goals = Table("goals", "Goals", ["Goal", "Team", "Metric", "Target", "Due", "Status",
                                     "Latest", "Projected", "Use case"])  # fmt: skip
    for s in statuses:
        g, t = s.goal, s.trajectory
        goals.rows.append([g.id, g.team_name, g.metric, msg.value_text(g.metric, g.target),
                           g.due.isoformat(), msg.STATUS_TEXT.get(t.status, t.status),
                           msg.value_text(g.metric, t.latest),
                           msg.value_text(g.metric, t.projected), g.use_case])  # fmt: skip
    adoption = AdoptionRepository(services.store)
    headers = ["When", "Team", "Loop", "Why", "To", "Who acted", "Lift after 7 days"]
    log = Table("loops", "Feedback loops that fired", headers)
    tz = services.settings.timezone
    for entry in reversed(await PlanRepository(services.store).loops()):
        lifted = entry.lift(await adoption.threads(entry.team_id), now=now)
        change = lifted.threads_change + lifted.replies_change
        shown = signed(change) if lifted.complete else "measuring"
        log.rows.append([f"{entry.fired_at.astimezone(tz):%Y-%m-%d %H:%M}", entry.team_name,
                         LOOP_TEXT.get(entry.kind, entry.kind), ", ".join(entry.reasons),
                         entry.audience, entry.acted_by or ("–" if entry.kind != CELEBRATION
                                                            else "posted"),
                         shown])  # fmt: skip
    return {
        "title": "Plan",
        "period": f"goals judged at {judged_week(services, now).label}",
        "charts": [goal_chart(s) for s in statuses],
        "kpis": [
            (msg.STATUS_TEXT[k], str(sum(s.trajectory.status == k for s in statuses)), "")
            for k in ("on_track", "at_risk", "off_track", "met")
        ],
        "tables": [goals, log],
        "empty": msg.PLANS_NONE,
    }


async def review_html(services: Services, review: ReviewPeriod, now: datetime) -> str:
    """The review document of ``review`` (a month or quarter) as ``trimtab review`` makes it."""
    registry = await services.champions.registry.all()
    champions = fact_ids(services, (c.aad_id for c in registry))
    built = await review_from_store(
        services.store, review, tz=services.settings.timezone, now=now, champions=champions,
        graph=services.settings.graph,
    )  # fmt: skip
    return to_html(built)


async def with_team_plan(
    services: Services, data: AdminData, team_id: str, context: dict[str, Any]
) -> dict[str, Any]:
    """The team page's context plus the team's goal charts and its tenant benchmark."""
    statuses = await goal_statuses(services, data.now, team_id=team_id)
    standing = await tenant_standing(services, data.period, data.now, team_id)
    kpis = list(context["kpis"])
    if standing is not None:
        note = f"of {standing.ranked} teams for reply rate"
        kpis.append(("Benchmark", f"top {standing.top_percent}%", note))
    charts = [*context["charts"], *(goal_chart(s) for s in statuses)]
    return {**context, "kpis": kpis, "charts": charts}
