"""What a report reads: :func:`read_report_inputs` gathers the teams, their rollups (or
threads) and the usage rows for :func:`adoption.report.compute_report`, which measures
them without touching the store."""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from adoption.facts import TeamFact, ThreadFact
from adoption.ports import Offload, inline
from adoption.report_model import UnknownTeamError
from adoption.report_tenant import TenantUsage, best_usage
from adoption.repository import AdoptionRepository
from adoption.weeks import Period

__all__ = ["ReportInputs", "read_report_inputs", "resolve_team"]


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
    weeks: Collection[str] | None = None,
    offload: Offload = inline,
) -> ReportInputs:
    """Store reads only (no measuring): the teams, their rollups or threads, the usage rows.

    ``weeks``: the week labels of the rollups to decode (default: all stored); a caller on
    the event loop passes what it measures, decoding being most of the read, and
    ``offload``, its worker lane, for the decoding.

    Raises :class:`UnknownTeamError` for a ``team`` that matches none, ``ValueError``
    when ``end`` is before ``start``.
    """
    if end < start:
        raise ValueError(f"report period ends ({end}) before it starts ({start})")
    period = Period(start, end)
    teams = await repo.teams(offload)
    if team is not None:
        teams = resolve_team(teams, team)
    docs = (
        await repo.rollups(tz, teams, weeks=weeks, offload=offload) if period.whole_weeks else None
    )
    threads = {} if docs is not None else {t.id: await repo.threads(t.id) for t in teams}
    usage = best_usage(await repo.tenant_usage())
    return ReportInputs(
        period, tz, now, champions, min_group_size, teams, docs, threads, usage
    )  # fmt: skip
