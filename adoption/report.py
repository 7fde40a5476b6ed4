"""The adoption report: per team and week, for a period, from the stored facts.

``await build_report(repo, start=..., end=..., tz=..., now=...)`` reads every team
(or one) and its threads once, and returns an :class:`AdoptionReport` whose
:meth:`~AdoptionReport.to_json` has the documented shape (issue 5)::

    {"period": {"start", "end"}, "tenant": {...},
     "teams": [{"id", "name", "health": {"score", "band", ...},
                "weeks": [{"week", "posts", "replies", "reply_rate", ...}], ...}]}

Renderers for CSV and HTML live in :mod:`adoption.report_formats`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache, partial
from zoneinfo import ZoneInfo

from adoption.coverage import collected_labels, collected_window, covered_weeks
from adoption.facts import TeamFact, ThreadFact
from adoption.health import NONE, Health, health_inputs, score_health
from adoption.metrics import (
    WeekMetrics,
    by_channel,
    week_over_week,
    weekly_metrics,
    window_metrics,
)
from adoption.personas import persona_counts, personas
from adoption.report_inputs import ReportInputs, read_report_inputs, resolve_team
from adoption.report_model import (
    TOO_FEW_PEOPLE,
    AdoptionReport,
    ChannelReport,
    TeamReport,
    TenantSummary,
    UnknownTeamError,
)
from adoption.report_rollups import Measured, TenantWeeks, channel_ids, measure_rollup
from adoption.repository import AdoptionRepository
from adoption.weeks import Period

__all__ = [
    "TOO_FEW_PEOPLE",
    "AdoptionReport",
    "ChannelReport",
    "ReportInputs",
    "TeamReport",
    "TenantSummary",
    "UnknownTeamError",
    "build_report",
    "compute_report",
    "read_report_inputs",
    "resolve_team",
]


def measure_threads(
    team: TeamFact,
    threads: list[ThreadFact],
    period: Period,
    tz: ZoneInfo,
    champions: frozenset[str],
) -> Measured:
    """The team's weekly rows, totals, channels and personas from its threads."""
    weeks = period.weeks
    since = team.collected_since
    window = collected_window(period.bounds(tz), weeks, tz, since)
    members = len(team.member_ids)

    def measured(items: list[ThreadFact]) -> list[WeekMetrics]:
        rows = weekly_metrics(
            items, weeks, tz, member_count=members, champions=champions, window=window
        )
        return covered_weeks(rows, weeks, tz, since)

    groups = by_channel(threads)
    channels = []
    for cid in channel_ids(team, groups):
        items = groups.get(cid, [])
        active = window_metrics(items, *window, member_count=members).active_posters
        channels.append((cid, measured(items), active))
    return Measured(
        rows=measured(threads),
        totals=window_metrics(threads, *window, member_count=members, champions=champions),
        channels=channels,
        personas=persona_counts(personas(threads, *window, members=team.member_ids)),
    )


def assemble(team: TeamFact, measured: Measured, tz: ZoneInfo, min_group_size: int) -> TeamReport:
    """A :class:`TeamReport` from measures; fewer than ``min_group_size`` active people
    in the team withholds it (:func:`withheld`), in a channel marks the channel suppressed."""
    names = {c.id: c.name for c in team.channels}
    collected = [w for w in measured.rows if w.collected]
    since = team.collected_since
    local_since = since.astimezone(tz).date() if since else None
    if measured.totals.active_posters < min_group_size:
        return withheld(team, measured, local_since)
    return TeamReport(
        id=team.id,
        name=team.name,
        members=len(team.member_ids),
        health=score_health(health_inputs(measured.totals, collected), team.targets),
        weeks=measured.rows,
        totals=measured.totals,
        trend=week_over_week(collected),
        personas=measured.personas,
        channels=[
            ChannelReport(cid, names.get(cid) or cid, rows, suppressed=active < min_group_size)
            for cid, rows, active in measured.channels
        ],
        collected_since=local_since,
    )


def withheld(team: TeamFact, measured: Measured, since: date | None) -> TeamReport:
    """A team with too few active people: no measure, band or persona reaches any surface
    (weeks are "no data", the suggested action is :data:`TOO_FEW_PEOPLE`)."""
    return TeamReport(
        id=team.id,
        name=team.name,
        members=len(team.member_ids),
        health=Health(None, NONE, (), None, TOO_FEW_PEOPLE),
        weeks=[WeekMetrics.no_data(w.week) for w in measured.rows],
        totals=WeekMetrics.no_data(measured.totals.week),
        trend=None,
        personas={},
        channels=[],
        collected_since=since,
        suppressed=True,
    )


def team_report(
    team: TeamFact,
    threads: list[ThreadFact],
    period: Period,
    tz: ZoneInfo,
    champions: frozenset[str],
    min_group_size: int = 0,
) -> TeamReport:
    """Measure one team over ``period`` (pure: no store access).

    Weeks before the team's collected span are "no data"; a team (or channel) with
    fewer than ``min_group_size`` active people in the period is marked suppressed.
    """
    return assemble(team, measure_threads(team, threads, period, tz, champions), tz, min_group_size)


def tenant_span(teams: list[TeamFact]) -> datetime | None:
    """Where the tenant's collected weeks start: only where every team's are (no false
    growth from a team whose collecting started later)."""
    spans = [t.collected_since for t in teams if t.collected_since is not None]
    return max(spans) if spans else None


class RollupMeasure:
    """Measures teams of ``inputs`` from their rollups one by one, adding each team's
    weeks to :attr:`tenant` (the tenant's rows are :meth:`TenantWeeks.rows` at the end)."""

    def __init__(self, inputs: ReportInputs) -> None:
        assert inputs.rollups is not None, "a rollup measure needs rollups"
        self.inputs, self.rollups = inputs, inputs.rollups
        weeks, tz = inputs.period.weeks, inputs.tz
        self.tenant = TenantWeeks(collected_labels(weeks, tz, tenant_span(inputs.teams)))
        self._labels = lru_cache(maxsize=None)(partial(collected_labels, weeks, tz))

    def team(self, team: TeamFact) -> TeamReport:
        """One team's report (its weeks added to :attr:`tenant`)."""
        i = self.inputs
        measured = measure_rollup(
            team, self.rollups[team.id], i.period.weeks, self._labels(team.collected_since),
            i.champions, self.tenant,
        )  # fmt: skip
        return assemble(team, measured, i.tz, i.min_group_size)


def count_bands(reports: Iterable[TeamReport]) -> dict[str, int]:
    """Teams per health band (``none``: no score), in the report's order of bands."""
    bands = dict.fromkeys(("green", "amber", "red", "none"), 0)
    for r in reports:
        bands[r.health.band] += 1
    return bands


def finish_report(
    inputs: ReportInputs,
    reports: list[TeamReport],
    bands: dict[str, int],
    tenant: TenantWeeks | None = None,
) -> AdoptionReport:
    """The report of measured ``reports`` (or none, for its frame): the tenant's rows
    from ``tenant`` (a rollup measure's) or else from every team's threads."""
    period, tz, teams, champions = inputs.period, inputs.tz, inputs.teams, inputs.champions
    since = tenant_span(teams)
    members = len({m for t in teams for m in t.member_ids})
    weeks = period.weeks
    if tenant is not None and inputs.rollups is not None:
        totals, rows = tenant.rows(weeks, members, [inputs.rollups[t.id] for t in teams])
    else:
        everything = list(itertools.chain.from_iterable(inputs.threads.values()))
        window = collected_window(period.bounds(tz), weeks, tz, since)
        totals = window_metrics(everything, *window, member_count=members, champions=champions)
        rows = covered_weeks(
            weekly_metrics(
                everything, weeks, tz, member_count=members, champions=champions, window=window
            ),
            weeks,
            tz,
            since,
        )
    summary = TenantSummary(
        teams=len(teams),
        members=members,
        totals=totals,
        weeks=rows,
        bands=bands,
        usage=inputs.usage,
        collected_since=since.astimezone(tz).date() if since else None,
    )
    return AdoptionReport(period.start, period.end, tz.key, inputs.now, summary, reports)


def compute_report(inputs: ReportInputs) -> AdoptionReport:
    """Measure every team of ``inputs`` (pure and CPU-bound: callers on an event loop run
    it in a worker thread). Teams and channels with fewer than ``min_group_size`` active
    people are suppressed."""
    if inputs.rollups is not None:
        measure = RollupMeasure(inputs)
        reports = [measure.team(t) for t in inputs.teams]
        return finish_report(inputs, reports, count_bands(reports), measure.tenant)
    reports = [
        team_report(t, inputs.threads[t.id], inputs.period, inputs.tz, inputs.champions,
                    inputs.min_group_size)
        for t in inputs.teams
    ]  # fmt: skip
    return finish_report(inputs, reports, count_bands(reports))


async def build_report(
    repo: AdoptionRepository,
    *,
    start: date,
    end: date,
    tz: ZoneInfo,
    now: datetime,
    champions: frozenset[str] = frozenset(),
    team: str | None = None,
    min_group_size: int = 0,
) -> AdoptionReport:
    """Read the store and measure every team (or the one named ``team``) from ``start``
    to ``end`` inclusive, in weeks of ``tz``: :func:`read_report_inputs` then
    :func:`compute_report`, in the caller's thread (the CLI; the bot runs the compute
    in a worker thread). ``now`` stamps the report.
    """
    inputs = await read_report_inputs(
        repo, start=start, end=end, tz=tz, now=now, champions=champions, team=team,
        min_group_size=min_group_size,
    )  # fmt: skip
    return compute_report(inputs)
