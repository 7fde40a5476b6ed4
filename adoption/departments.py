"""Metrics by department (``TRIMTAB_GROUP_BY=department``), for a report period.

The same measures as per team (:mod:`adoption.metrics`, ``docs/metrics.md``), computed from
the activity *of the people of each department*, wherever they wrote:

- a root counts for its author's department (posts, reply rate, unanswered, median first
  reply — an answer from anyone, of any department, answers it);
- a reply counts for its author's department (replies);
- ``active_posters``: the department's distinct authors; ``active_share``: that over the
  department's people known to the tracker (capped at 1); mentions, reactions and
  champion share over the department's own messages.

An author with no stored department (no department in the profile, or not measured at
the last sync) counts under :data:`NO_DEPARTMENT`. A department with fewer active people
than ``TRIMTAB_MIN_GROUP_SIZE`` shows "too few people to report" instead of numbers,
exactly like a team. :func:`department_metrics` is pure; :func:`build_department_report`
reads the store.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from adoption.coverage import collected_window
from adoption.department_store import DepartmentRepository
from adoption.department_sync import NO_DEPARTMENT
from adoption.facts import ThreadFact
from adoption.metrics import WeekMetrics, _Tally
from adoption.ports import Offload, inline
from adoption.report import TOO_FEW_PEOPLE, AdoptionReport
from adoption.repository import AdoptionRepository
from adoption.weeks import Period


@dataclass(frozen=True, slots=True)
class DepartmentMetrics:
    """One department over the period."""

    name: str
    members: int  # people of the department known to the tracker
    totals: WeekMetrics
    suppressed: bool = False

    def to_json(self) -> dict[str, Any]:
        """JSON-ready; a suppressed department keeps only its name and size."""
        head = {"name": self.name, "members": self.members}
        if self.suppressed:
            return {**head, "suppressed": TOO_FEW_PEOPLE}
        measures = self.totals.to_dict()
        measures.pop("week")
        return {**head, **measures}


@dataclass(frozen=True, slots=True)
class DepartmentReport:
    """Every department of the tenant over ``start``..``end`` (inclusive local dates)."""

    start: date
    end: date
    min_group_size: int
    departments: list[DepartmentMetrics]

    def to_json(self) -> dict[str, Any]:
        return {
            "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
            "min_group_size": self.min_group_size,
            "departments": [d.to_json() for d in self.departments],
        }


def _order(name: str) -> tuple[bool, str]:
    return (name == NO_DEPARTMENT, name.casefold())


def department_metrics(
    threads: Iterable[ThreadFact],
    departments: Mapping[str, str],
    start: datetime,
    end: datetime,
    *,
    champions: frozenset[str] = frozenset(),
    min_group_size: int = 0,
) -> list[DepartmentMetrics]:
    """Each department's measures over the aware window ``[start, end)``.

    ``departments`` maps stored user ids to department names. Every department with
    people or activity is listed (alphabetically, :data:`NO_DEPARTMENT` last); one with
    fewer than ``min_group_size`` active people is marked suppressed.
    """
    members = Counter(departments.values())
    tallies: dict[str, _Tally] = {}

    def tally(author: str) -> _Tally:
        name = departments.get(author, NO_DEPARTMENT)
        found = tallies.get(name)
        if found is None:
            found = tallies[name] = _Tally()
        return found

    for thread in threads:
        if thread.root_is_post and start <= thread.root.created < end:
            tally(thread.root.author).root(thread, champions)
        for reply in thread.replies:
            if start <= reply.created < end:
                tally(reply.author).reply(reply, champions)
    found = []
    for name in sorted(set(members) | set(tallies), key=_order):
        totals = tallies.get(name, _Tally()).result("period", members[name])
        suppressed = totals.active_posters < min_group_size
        found.append(DepartmentMetrics(name, members[name], totals, suppressed))
    return found


async def build_department_report(
    repo: AdoptionRepository,
    *,
    start: date,
    end: date,
    tz: ZoneInfo,
    champions: frozenset[str] = frozenset(),
    min_group_size: int = 0,
    offload: Offload = inline,
) -> DepartmentReport:
    """Read every team's threads and the stored departments, and measure ``start``..``end``.

    The window is the tenant's collected one (as for the tenant totals of the report):
    weeks before the latest team's collected span are left out. ``offload`` runs the
    measuring (pure, CPU-bound) off the caller's event loop, e.g. in a worker thread.
    """
    period = Period(start, end)
    teams = await repo.teams()
    spans = [t.collected_since for t in teams if t.collected_since is not None]
    window = collected_window(period.bounds(tz), period.weeks, tz, max(spans) if spans else None)
    threads = itertools.chain.from_iterable([await repo.threads(t.id) for t in teams])
    departments = await DepartmentRepository(repo.store).all()

    def measure() -> list[DepartmentMetrics]:
        return department_metrics(
            threads, departments, *window, champions=champions, min_group_size=min_group_size
        )

    measured = await offload(measure)
    return DepartmentReport(start, end, min_group_size, measured)


async def with_departments(
    report: AdoptionReport,
    repo: AdoptionRepository,
    *,
    tz: ZoneInfo,
    champions: frozenset[str] = frozenset(),
    min_group_size: int = 0,
) -> AdoptionReport:
    """``report`` with a ``departments`` section over its own period."""
    departments = await build_department_report(
        repo, start=report.start, end=report.end, tz=tz, champions=champions,
        min_group_size=min_group_size,
    )  # fmt: skip
    return replace(report, sections={**report.sections, "departments": departments.to_json()})
