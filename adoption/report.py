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

import difflib
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from adoption.coverage import collected_labels, collected_window, covered_weeks
from adoption.facts import TeamFact, ThreadFact
from adoption.health import NONE, Health, health_inputs, score_health
from adoption.metrics import (
    Trend,
    WeekMetrics,
    by_channel,
    week_over_week,
    weekly_metrics,
    window_metrics,
)
from adoption.personas import persona_counts, personas
from adoption.report_rollups import Measured, channel_ids, measure_rollup, tenant_rows
from adoption.report_tenant import TenantUsage, best_usage
from adoption.repository import AdoptionRepository
from adoption.weeks import Period

TOO_FEW_PEOPLE = "too few people to report"


class UnknownTeamError(ValueError):
    """``--team`` matched no team; the message lists the closest names."""


@dataclass(frozen=True, slots=True)
class ChannelReport:
    id: str
    name: str
    weeks: list[WeekMetrics]

    suppressed: bool = False

    def to_json(self) -> dict[str, Any]:
        if self.suppressed:
            return {"id": self.id, "name": self.name, "suppressed": TOO_FEW_PEOPLE}
        return {"id": self.id, "name": self.name, "weeks": [w.to_dict() for w in self.weeks]}


@dataclass(frozen=True, slots=True)
class TeamReport:
    """One team over the period: weekly rows, period totals, health, trend and personas."""

    id: str
    name: str
    members: int
    health: Health
    weeks: list[WeekMetrics]
    totals: WeekMetrics
    trend: Trend | None
    personas: dict[str, int]
    channels: list[ChannelReport]
    # First local day of the team's collected span; weeks before it are "no data".
    collected_since: date | None = None
    # Fewer active people than TRIMTAB_MIN_GROUP_SIZE: no metrics or personas shown.
    suppressed: bool = False

    def to_json(self) -> dict[str, Any]:
        coverage = {"since": self.collected_since.isoformat() if self.collected_since else None}
        if self.suppressed:
            return {
                "id": self.id,
                "name": self.name,
                "members": self.members,
                "coverage": coverage,
                "suppressed": TOO_FEW_PEOPLE,
            }
        return {
            "id": self.id,
            "name": self.name,
            "members": self.members,
            "coverage": coverage,
            "health": self.health.to_dict(),
            "weeks": [w.to_dict() for w in self.weeks],
            "totals": _totals(self.totals),
            "trend": self.trend.to_dict() if self.trend else None,
            "weakest_metric": self.health.weakest,
            "suggested_action": self.health.action,
            "personas": self.personas,
            "channels": [c.to_json() for c in self.channels],
        }


@dataclass(frozen=True, slots=True)
class TenantSummary:
    """Totals across the reported teams, plus the chat vs channel balance when collected."""

    teams: int
    members: int
    totals: WeekMetrics
    weeks: list[WeekMetrics]
    bands: dict[str, int]
    usage: TenantUsage | None
    collected_since: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "coverage": {
                "since": self.collected_since.isoformat() if self.collected_since else None
            },
            "teams": self.teams,
            "members": self.members,
            **_totals(self.totals),
            "health_bands": self.bands,
            "weeks": [w.to_dict() for w in self.weeks],
            "chat_vs_channel": self.usage.to_json() if self.usage else None,
        }


@dataclass(frozen=True, slots=True)
class AdoptionReport:
    """Everything a report format needs; build it with :func:`build_report`."""

    start: date
    end: date
    timezone: str
    generated: datetime
    tenant: TenantSummary
    teams: list[TeamReport]
    #: Optional top-level sections by name, JSON-ready (e.g. ``departments``, added by
    #: :func:`adoption.departments.with_departments`); rendered after the teams.
    sections: dict[str, Any] = field(default_factory=dict)

    @property
    def week_labels(self) -> list[str]:
        return [w.week for w in self.tenant.weeks]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict in the documented shape (extra keys are additions)."""
        return {
            "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
            "timezone": self.timezone,
            "generated": self.generated.isoformat(),
            "tenant": self.tenant.to_json(),
            "teams": [t.to_json() for t in self.teams],
            **self.sections,
        }


def _totals(m: WeekMetrics) -> dict[str, Any]:
    doc = m.to_dict()
    doc.pop("week")
    return doc


def resolve_team(teams: list[TeamFact], wanted: str) -> list[TeamFact]:
    """Teams whose id equals ``wanted`` or whose name equals it ignoring case.

    No match raises :class:`UnknownTeamError` naming up to five close matches.
    """
    needle = wanted.strip().casefold()
    found = [t for t in teams if t.id == wanted.strip() or t.name.casefold() == needle]
    if found:
        return found
    names = {t.name.casefold(): t.name for t in teams}
    close = difflib.get_close_matches(needle, list(names), n=5, cutoff=0.5)
    close += [k for k in names if needle and needle in k and k not in close]
    if close:
        hint = "did you mean: " + ", ".join(names[k] for k in close[:5])
    elif teams:
        hint = "known teams include: " + ", ".join(t.name for t in teams[:5])
    else:
        hint = "no teams have been collected yet (run `trimtab sync`)"
    raise UnknownTeamError(f"no team named {wanted!r}; {hint}")


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
    in the team (or a channel) marks it suppressed."""
    names = {c.id: c.name for c in team.channels}
    collected = [w for w in measured.rows if w.collected]
    since = team.collected_since
    if measured.totals.active_posters < min_group_size:
        return withheld(team, measured, since.astimezone(tz).date() if since else None)
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
        collected_since=since.astimezone(tz).date() if since else None,
        suppressed=measured.totals.active_posters < min_group_size,
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


@dataclass(frozen=True, slots=True)
class ReportInputs:
    """What :func:`compute_report` needs, read from the store by :func:`read_report_inputs`."""

    period: Period
    tz: ZoneInfo
    now: datetime
    champions: frozenset[str]
    min_group_size: int
    teams: list[TeamFact]
    # Weekly rollups by team id when the period is whole weeks and every team has one;
    # otherwise ``threads`` holds every team's threads.
    rollups: dict[str, Any] | None
    threads: dict[str, list[ThreadFact]]
    usage: TenantUsage | None


async def read_report_inputs(
    repo: AdoptionRepository,
    *,
    start: date,
    end: date,
    tz: ZoneInfo,
    now: datetime,
    champions: frozenset[str] = frozenset(),
    team: str | None = None,
    min_group_size: int = 0,
) -> ReportInputs:
    """Store reads only (no measuring): the teams, their rollups or threads, the usage rows.

    Raises :class:`UnknownTeamError` for a ``team`` that matches none, ``ValueError``
    when ``end`` is before ``start``.
    """
    if end < start:
        raise ValueError(f"report period ends ({end}) before it starts ({start})")
    period = Period(start, end)
    teams = await repo.teams()
    if team is not None:
        teams = resolve_team(teams, team)
    docs = await repo.rollups(tz, teams) if period.whole_weeks else None
    threads = {} if docs is not None else {t.id: await repo.threads(t.id) for t in teams}
    usage = best_usage(await repo.tenant_usage())
    return ReportInputs(
        period, tz, now, champions, min_group_size, teams, docs, threads, usage
    )  # fmt: skip


def compute_report(inputs: ReportInputs) -> AdoptionReport:
    """Measure every team of ``inputs`` (pure and CPU-bound: callers on an event loop run
    it in a worker thread). Teams and channels with fewer than ``min_group_size`` active
    people are suppressed."""
    period, tz, teams, champions = inputs.period, inputs.tz, inputs.teams, inputs.champions
    min_group_size, docs, threads = inputs.min_group_size, inputs.rollups, inputs.threads
    # The tenant's weeks are collected only where every team's are (no false growth).
    spans = [t.collected_since for t in teams if t.collected_since is not None]
    since = max(spans) if spans else None
    members = len({m for t in teams for m in t.member_ids})
    weeks = period.weeks
    if docs is not None:
        reports = [
            assemble(
                t,
                measure_rollup(
                    t, docs[t.id], weeks, collected_labels(weeks, tz, t.collected_since), champions
                ),
                tz,
                min_group_size,
            )
            for t in teams
        ]
        totals, rows = tenant_rows(
            [docs[t.id] for t in teams],
            weeks,
            collected_labels(weeks, tz, since),
            members,
            champions,
        )
    else:
        reports = [
            team_report(t, threads[t.id], period, tz, champions, min_group_size) for t in teams
        ]
        everything = list(itertools.chain.from_iterable(threads.values()))
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
    bands = dict.fromkeys(("green", "amber", "red", "none"), 0)
    for r in reports:
        bands[r.health.band] += 1
    tenant = TenantSummary(
        teams=len(teams),
        members=members,
        totals=totals,
        weeks=rows,
        bands=bands,
        usage=inputs.usage,
        collected_since=since.astimezone(tz).date() if since else None,
    )
    return AdoptionReport(period.start, period.end, tz.key, inputs.now, tenant, reports)


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
