"""Assemble what the admin surfaces show: reports for a period and the one before,
champions with their nudges' lift, circles.

The card builders (``cards.adoption_summary``, ``cards.digest``) and the dashboard
take the views made here. They share one period (:func:`shared_period`, from
:func:`adoption.comparison.comparison_period`): the last 4 full ISO weeks in
``TRIMTAB_TIMEZONE`` against the 4 before (the dashboard offers 8, 13 and 26 too), so
a team's band is the same on every surface, and each prints it (:func:`period_text`).
A half-finished week is never included: it would understate reply rates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from statistics import fmean

from adoption.comparison import DEFAULT_PERIOD_WEEKS, Comparison, comparison_period
from adoption.config import ConfigError, GraphSettings
from adoption.facts import ThreadFact
from adoption.lift import Lift
from adoption.report import AdoptionReport, TeamReport, compute_report, read_report_inputs
from adoption.repository import AdoptionRepository
from adoption.sync import pseudonymiser_for
from adoption.weeks import Period, local_date, parse_period
from bot.admin.sources import CircleRow, circle_activity, circle_rows
from bot.messages import admin as msg
from bot.services import Services
from cards.adoption_summary import (
    ChampionActivity,
    TeamLine,
    TeamView,
    TenantView,
    WeekLine,
)
from champions import Champion, Nudge, TenantScope, measured_lift

log = logging.getLogger(__name__)

SUMMARY_WEEKS = DEFAULT_PERIOD_WEEKS


@dataclass(frozen=True)
class NudgeLift:
    """One nudge in the period, its team (Graph id) and its lift once measurable."""

    nudge: Nudge
    team_id: str
    lift: Lift | None


@dataclass(frozen=True)
class AdminData:
    """Everything read for one period: the reports, champions, nudges, circles."""

    period: Period
    report: AdoptionReport
    previous: AdoptionReport
    champions: list[Champion]
    nudges: list[NudgeLift]
    circles: list[CircleRow]
    now: datetime


def last_weeks(now: datetime, services: Services, weeks: int) -> Period:
    """The last ``weeks`` full ISO weeks before ``now`` in the configured zone."""
    return parse_period(f"{weeks}w", today=local_date(now, services.settings.timezone))


def shared_period(
    now: datetime, services: Services, weeks: int = DEFAULT_PERIOD_WEEKS
) -> Comparison:
    """The period card, digest and dashboard show: the last ``weeks`` full weeks vs the
    ``weeks`` before (``ValueError`` for a length other than 4, 8, 13 or 26)."""
    return comparison_period(local_date(now, services.settings.timezone), weeks)


def before(period: Period) -> Period:
    """The period of the same length just before ``period``."""
    return Period(period.start - timedelta(days=period.days), period.start - timedelta(days=1))


def fact_ids(services: Services, aad_ids: Iterable[str]) -> frozenset[str]:
    """Champion AAD ids in the id space the facts use (pseudonymised when configured)."""
    ids = [i.lower() for i in aad_ids]
    if services.pseudonymiser is None:  # built once per app, on first use
        try:
            graph = GraphSettings.from_env(services.settings.env)
            services.pseudonymiser = pseudonymiser_for(graph, services.settings.data_dir)
        except (ConfigError, OSError):
            return frozenset(ids)
    return frozenset(services.pseudonymiser.apply(i) for i in ids)


async def graph_team_ids(services: Services, scope: TenantScope) -> dict[str, str]:
    """Bot team id (``19:…``) → Graph team id (the AAD group id), for the scope's teams."""
    return {
        doc["id"]: doc["aad_group_id"]
        for doc in await services.directory.teams(installed_only=False, scope=scope)
        if doc.get("aad_group_id")
    }


async def load(
    services: Services,
    period: Period,
    *,
    now: datetime,
    team: str | None = None,
    previous: Period | None = None,
) -> AdminData:
    """Read reports for ``period`` (and the one before), champions, nudges and circles.

    Adoption data is the home tenant's, so champions, nudges and circles are too.
    """
    tz = services.settings.timezone
    home = await services.tenancy.home_scope()
    repo = AdoptionRepository(services.store)
    registry = await services.champions.registry.all(home)
    ids = fact_ids(services, (c.aad_id for c in registry))
    prior = previous or before(period)
    size = services.settings.graph.min_group_size  # too few active people: withheld
    # only the weeks of both periods are decoded, in the compute lane: at 2,000 teams,
    # decoding all 26 on the event loop held it for about two seconds a page
    labels = {w.label for p in (period, prior) for w in p.weeks}

    async def measure() -> tuple[AdoptionReport, AdoptionReport, list[NudgeLift]]:
        current = await read_report_inputs(  # UnknownTeamError: worded by the router's error map
            repo, start=period.start, end=period.end, tz=tz, now=now, champions=ids, team=team,
            min_group_size=size, weeks=labels, offload=services.compute.run,
        )  # fmt: skip
        # The inputs hold every week of the teams: the period before is measured from the same
        # read unless it needs threads where the current one has rollups (or the other way).
        earlier = (
            replace(current, period=prior)
            if prior.whole_weeks == period.whole_weeks
            else await read_report_inputs(
                repo,
                start=prior.start,
                end=prior.end,
                tz=tz,
                now=now,
                champions=ids,
                team=team,
                min_group_size=size,
            )
        )
        start, end = period.bounds(tz)
        mapping = await graph_team_ids(services, home)
        reported = {t.id for t in current.teams}
        nudges: list[tuple[Nudge, str]] = []
        threads: dict[str, list[ThreadFact]] = {}
        for nudge in await services.champions.nudges.delivered(home):
            team_id = nudge.graph_id or mapping.get(nudge.team_id, nudge.team_id)
            if not start <= nudge.at < end or team_id not in reported:
                continue
            if team_id not in threads:
                threads[team_id] = await repo.threads(team_id)
            nudges.append((nudge, team_id))

        def compute() -> tuple[AdoptionReport, AdoptionReport, list[NudgeLift]]:
            lifts = [NudgeLift(n, t, measured_lift(threads[t], n, now=now)) for n, t in nudges]
            return compute_report(current), compute_report(earlier), lifts

        return await services.compute.run(compute)  # never on the event loop

    # a team's page reads one team; whole-tenant reports queue, and equal ones running are
    # shared (services.tenant_reports: the same period, champions and group size)
    if team is None:
        key = ("overview", period, prior, frozenset(ids), size)
        report, prior_report, lifts = await services.tenant_reports.run(key, measure)
    else:
        report, prior_report, lifts = await measure()
    circles = await circle_rows(services.store, now, home)
    return AdminData(period, report, prior_report, registry, lifts, circles, now)


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return fmean(known) if known else None


def champion_activity(data: AdminData, team_id: str | None = None) -> ChampionActivity:
    """Nudges in the period (one team's when ``team_id``) and their average lift."""
    chosen = [n for n in data.nudges if team_id is None or n.team_id == team_id]
    measured = [n.lift for n in chosen if n.lift is not None]
    return ChampionActivity(
        champions=len(data.champions),
        nudges=len(chosen),
        measured=len(measured),
        threads_change=_mean(m.threads_change for m in measured),
        replies_change=_mean(m.replies_change for m in measured),
        reply_rate_change=_mean(m.reply_rate_change for m in measured),
    )


def team_line(team: TeamReport) -> TeamLine:
    return TeamLine(
        name=team.name,
        score=team.health.score,
        band=team.health.band,
        direction=team.trend.direction if team.trend else "none",
        reply_rate=team.totals.reply_rate,
        active_share=team.totals.active_share,
    )


def ranked(teams: list[TeamReport]) -> list[TeamReport]:
    """Scored teams, healthiest first (ties by name)."""
    scored = [t for t in teams if t.health.score is not None]
    return sorted(scored, key=lambda t: (-(t.health.score or 0), t.name.casefold()))


def period_label(period: Period) -> str:
    return f"{period.start:%d %b} – {period.end:%d %b %Y}"


def period_text(data: AdminData) -> str:
    """What a surface prints for ``data``'s period, e.g. ``last 4 full weeks, 26 Oct –
    22 Nov 2026 (vs the 4 weeks before)``; other periods (a quarter) by their dates."""
    period = data.period
    if not period.whole_weeks:
        return period_label(period)
    return msg.PERIOD.format(
        weeks=period.days // 7, start=f"{period.start:%d %b}", end=f"{period.end:%d %b %Y}"
    )


def tenant_view(data: AdminData, *, top: int = 5, dashboard_url: str | None = None) -> TenantView:
    """The tenant card's view of ``data``."""
    order = ranked(data.report.teams)
    if len(order) >= 2 * top:
        healthiest, weakest = order[:top], order[::-1][:top]
    else:  # few teams: split them so none is listed twice
        half = (len(order) + 1) // 2
        healthiest, weakest = order[:half], order[half:][::-1]
    now_totals, then_totals = data.report.tenant.totals, data.previous.tenant.totals
    return TenantView(
        period=period_text(data),
        teams=data.report.tenant.teams,
        bands=dict(data.report.tenant.bands),
        healthiest=[team_line(t) for t in healthiest],
        weakest=[team_line(t) for t in weakest],
        reply_rate=now_totals.reply_rate,
        previous_reply_rate=then_totals.reply_rate,
        active_share=now_totals.active_share,
        previous_active_share=then_totals.active_share,
        champions=champion_activity(data),
        circles=circle_activity(data.circles),
        dashboard_url=dashboard_url,
    )


def no_data_note(team: TeamReport) -> str:
    """Says why some of the team's weeks are empty (before its collected span); else ``""``."""
    if team.collected_since is None or all(w.collected for w in team.weeks):
        return ""
    return msg.NO_DATA_NOTE.format(since=team.collected_since.isoformat())


def team_view(data: AdminData, team: TeamReport) -> TeamView:
    """One team's card view."""
    actions: Mapping[str, str] = msg.ACTIONS
    return TeamView(
        period=period_text(data),
        name=team.name,
        score=team.health.score,
        band=team.health.band,
        direction=team.trend.direction if team.trend else "none",
        weeks=[
            WeekLine(
                w.week,
                w.posts if w.collected else None,
                w.replies if w.collected else None,
                w.reply_rate,
                w.active_share,
                w.median_first_reply_minutes,
            )
            for w in team.weeks
        ],
        no_data_note=no_data_note(team),
        personas={k: v for k, v in team.personas.items() if v},
        champions=champion_activity(data, team.id),
        action=actions.get(team.health.action, team.health.action),
    )


async def summary_for(services: Services, now: datetime, team: str | None = None) -> AdminData:
    """The data behind ``adoption summary``: the shared period (the last four full weeks)."""
    shared = shared_period(now, services, SUMMARY_WEEKS)
    return await load(services, shared.current, now=now, team=team, previous=shared.previous)
