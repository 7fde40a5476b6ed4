"""Measure teams from their weekly rollups (:mod:`adoption.rollups`) instead of threads.

Used by :func:`adoption.report.build_report` when the period is whole weeks and every
team has a rollup in the report's time zone; the numbers are the same as measuring the
threads (see ``tests/adoption/test_rollups.py``), the cost grows with teams × weeks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from adoption.facts import TeamFact
from adoption.metrics import WeekMetrics
from adoption.personas import OBSERVER, classify, persona_counts
from adoption.rollups import GIVEN, OWN, POSTS, RECEIVED, Tally, merge, summarise
from adoption.weeks import IsoWeek

WeekDocs = Mapping[str, Mapping[str, Tally]]  # week label -> channel id -> tally


@dataclass(frozen=True, slots=True)
class Measured:
    """What a team report is made of, from threads or from rollups."""

    rows: list[WeekMetrics]
    totals: WeekMetrics
    channels: list[tuple[str, list[WeekMetrics], int]]  # channel id, rows, active people
    personas: dict[str, int]


def channel_ids(team: TeamFact, seen: Iterable[str]) -> list[str]:
    """The team's channels, then any other channel seen in its data, sorted by name."""
    names = {c.id: c.name for c in team.channels}
    ids = [c.id for c in team.channels] + [cid for cid in dict.fromkeys(seen) if cid not in names]
    return sorted(ids, key=lambda cid: (names.get(cid) or cid).casefold())


def measure_rollup(
    team: TeamFact,
    weeks_doc: WeekDocs,
    weeks: list[IsoWeek],
    collected: set[str],
    champions: frozenset[str],
) -> Measured:
    """``weeks`` of ``team`` from its rollup; weeks not in ``collected`` are "no data"."""
    members = len(team.member_ids)
    inside = [w.label for w in weeks if w.label in collected]

    def rows(pick: Any) -> list[WeekMetrics]:
        return [
            summarise(w.label, list(pick(weeks_doc.get(w.label, {}))), members, champions)
            if w.label in collected
            else WeekMetrics.no_data(w.label)
            for w in weeks
        ]

    period = [t for label in inside for t in weeks_doc.get(label, {}).values()]
    everything = merge(period)
    seen = [cid for week in weeks_doc.values() for cid in week]
    channels = []
    for cid in channel_ids(team, seen):
        people = set().union(
            *(weeks_doc[w][cid]["people"] for w in inside if cid in weeks_doc.get(w, {}))
        )

        def one(chans: Mapping[str, Tally], cid: str = cid) -> list[Tally]:
            return [chans[cid]] if cid in chans else []

        channels.append((cid, rows(one), len(people)))
    assigned = dict.fromkeys(team.member_ids, OBSERVER)
    for user, c in everything["people"].items():
        assigned[user] = classify(c[POSTS], c[GIVEN], c[RECEIVED], c[OWN])
    return Measured(
        rows=rows(lambda chans: chans.values()),
        totals=summarise("period", [everything], members, champions),
        channels=channels,
        personas=persona_counts(assigned),
    )


def tenant_rows(
    docs: list[WeekDocs],
    weeks: list[IsoWeek],
    collected: set[str],
    members: int,
    champions: frozenset[str],
) -> tuple[WeekMetrics, list[WeekMetrics]]:
    """Totals and weekly rows across all teams' rollups."""
    per_week = {w.label: [t for d in docs for t in d.get(w.label, {}).values()] for w in weeks}
    rows = [
        summarise(w.label, per_week[w.label], members, champions)
        if w.label in collected
        else WeekMetrics.no_data(w.label)
        for w in weeks
    ]
    inside = [t for w in weeks if w.label in collected for t in per_week[w.label]]
    return summarise("period", inside, members, champions), rows
