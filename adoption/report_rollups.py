"""Measure teams from their weekly rollups (:mod:`adoption.rollups`) instead of threads.

Used by :func:`adoption.report.build_report` when the period is whole weeks and every
team has a rollup in the report's time zone; the numbers are the same as measuring the
threads (see ``tests/adoption/test_rollups.py``), the cost grows with teams × weeks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from adoption.facts import TeamFact
from adoption.metrics import WeekMetrics
from adoption.personas import OBSERVER, classify, persona_counts
from adoption.rollup_rows import (
    blank,
    champion_messages,
    keeper,
    median,
    row,
    week_metrics,
    week_sums,
)
from adoption.rollups import TeamRollup, WeekRollup
from adoption.weeks import IsoWeek


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


def _champions(people: Sequence[str], champions: frozenset[str]) -> frozenset[int]:
    return frozenset(i for i, p in enumerate(people) if p in champions)


def _personas(flat: list[int], people: Sequence[str], members: Iterable[str]) -> dict[str, int]:
    """Persona counts from the period's team-week person arrays laid end to end (stride 5:
    person, posts, given, received, own replies); members without an entry are observers."""
    sums: dict[int, list[int]] = {}
    for i, posts, given, received, own in zip(
        flat[0::5], flat[1::5], flat[2::5], flat[3::5], flat[4::5], strict=True
    ):
        acc = sums.get(i)
        if acc is None:
            sums[i] = [posts, given, received, own]
        else:
            acc[0] += posts
            acc[1] += given
            acc[2] += received
            acc[3] += own
    assigned = dict.fromkeys(members, OBSERVER)
    for i, (posts, given, received, own) in sums.items():
        assigned[people[i]] = classify(posts, given, received, own)
    return persona_counts(assigned)


def measure_rollup(
    team: TeamFact,
    rollup: TeamRollup,
    weeks: list[IsoWeek],
    collected: set[str],
    champions: frozenset[str],
    tenant: TenantWeeks | None = None,
) -> Measured:
    """``weeks`` of ``team`` from its rollup; weeks not in ``collected`` are "no data".
    The team's weeks are also added to ``tenant``, when given."""
    members = len(team.member_ids)
    champ = _champions(rollup.people, champions)
    present: set[int] = set()
    for stored in rollup.weeks.values():
        present.update(stored.channels[0::7])
    order = channel_ids(team, (c for i, c in enumerate(rollup.channels) if i in present))
    where = {cid: i for i, cid in enumerate(rollup.channels)}
    slot = {where[cid]: n for n, cid in enumerate(order) if cid in where}
    team_rows: list[WeekMetrics] = []
    by_week: list[list[WeekMetrics]] = []  # per week, a row per channel in `order`
    channel_people: list[set[int]] = [set() for _ in order]
    totals = [0, 0, 0, 0, 0]
    minutes: list[float] = []
    active: set[int] = set()
    by_champions = 0
    persons: list[int] = []
    for week in weeks:
        label = week.label
        w = rollup.weeks.get(label) if label in collected else None
        if w is None:
            empty = blank(label, members) if label in collected else WeekMetrics.no_data(label)
            team_rows.append(empty)
            by_week.append([empty] * len(order))
            continue
        sums = week_sums(w.channels)
        champs = champion_messages(w.people, 5, champ)
        team_rows.append(row(label, sums, w.minutes, len(w.people) // 5, champs, members))
        totals = [a + b for a, b in zip(totals, sums, strict=True)]
        minutes += w.minutes
        ids = w.people[0::5]
        active.update(ids)
        by_champions += champs
        persons += w.people
        if tenant is not None and label in tenant.labels:
            tenant.add(label, sums, w.minutes, champs)
        by_week.append(_channel_rows(label, w, slot, len(order), channel_people, champ, members))
    per_channel = zip(*by_week, strict=True) if weeks else iter([() for _ in order])
    return Measured(
        rows=team_rows,
        totals=row("period", totals, minutes, len(active), by_champions, members),
        channels=[
            (cid, list(rows), len(people))
            for cid, rows, people in zip(order, per_channel, channel_people, strict=True)
        ],
        personas=_personas(persons, rollup.people, team.member_ids),
    )


def _channel_rows(
    label: str,
    w: WeekRollup,
    slot: dict[int, int],
    count: int,
    channel_people: list[set[int]],
    champ: frozenset[int],
    members: int,
) -> list[WeekMetrics]:
    """Each channel's row for week ``w``, in report order (``slot``: index -> position).

    The hot loop of a large report (a row per channel and week): :func:`row` inlined."""
    out = [blank(label, members)] * count
    c, minutes, pairs = w.channels, w.minutes, w.channel_people
    few = len(champ) <= 4
    keep = keeper()
    m = p = 0
    for ci, posts, answered, replies, mentions, reactions, people in zip(
        c[0::7], c[1::7], c[2::7], c[3::7], c[4::7], c[5::7], c[6::7], strict=True
    ):
        end = p + 2 * people
        ids = pairs[p:end:2]
        n = slot[ci]
        channel_people[n].update(ids)
        by = 0
        if few:  # champion_messages's look-up by index, on the ids already sliced above
            for x in champ:
                if x in ids:
                    by += pairs[p + 2 * ids.index(x) + 1]
        else:
            by = champion_messages(pairs[p:end], 2, champ)
        middle = minutes[m] if answered == 1 else median(minutes[m : m + answered])
        if middle is not None:
            middle = keep(middle, middle)
        rate = share = champion_share = None
        if posts:
            rate = keep(ratio := answered / posts, ratio)
        if members:
            share = keep(ratio := people / members, ratio) if people < members else 1.0
        if posts + replies:
            champion_share = keep(ratio := by / (posts + replies), ratio)
        out[n] = week_metrics(
            label,
            posts,
            replies,
            rate,
            posts - answered,
            middle,
            people,
            share,
            mentions,
            reactions,
            champion_share,
        )
        m += answered
        p = end
    return out


class TenantWeeks:
    """The tenant's weekly sums, added team-week by team-week while the teams are measured
    (:func:`measure_rollup`), so no team-week is summed twice.

    ``labels``: the tenant's collected weeks. They are collected for every team (the
    tenant's span starts at its latest team's), so each team adds all of them it has.
    Sums of teams measured apart (in other processes) add up with :meth:`merge`. Active
    people, united by id across the teams' rollups, are counted a week at a time by
    :meth:`rows` (a set per week kept for the whole run would cost 50 MB at 2,000 teams)."""

    def __init__(self, labels: set[str]) -> None:
        self.labels = labels
        self._sums: dict[str, list[int]] = {}
        self._minutes: dict[str, list[float]] = {}
        self._champions: dict[str, int] = {}

    def add(self, label: str, sums: list[int], minutes: Iterable[float], by: int) -> None:
        """One team-week: its sums (posts, answered, replies, mentions, reactions), first-
        reply minutes and messages by champions."""
        known = self._sums.get(label)
        if known is None:
            self._sums[label] = list(sums)
            self._minutes[label] = list(minutes)
            self._champions[label] = by
            return
        for i, n in enumerate(sums):
            known[i] += n
        self._minutes[label] += minutes
        self._champions[label] += by

    def merge(self, other: TenantWeeks) -> None:
        """Add ``other``'s team-weeks (the same ``labels``) to these."""
        for label, sums in other._sums.items():
            self.add(label, sums, other._minutes.get(label, ()), other._champions[label])

    @staticmethod
    def _active(label: str, rollups: Sequence[TeamRollup]) -> set[str]:
        found: set[str] = set()
        for doc in rollups:
            w = doc.weeks.get(label)
            if w is not None:
                found.update(map(doc.people.__getitem__, w.people[0::5]))
        return found

    def rows(
        self, weeks: list[IsoWeek], members: int, rollups: Sequence[TeamRollup]
    ) -> tuple[WeekMetrics, list[WeekMetrics]]:
        """The period's totals and a row per week ("no data" outside ``labels``); the
        minutes are handed over (a second call has none)."""
        out: list[WeekMetrics] = []
        totals = [0, 0, 0, 0, 0]
        minutes: list[float] = []
        active: set[str] = set()
        by_champions = 0
        for week in weeks:
            label = week.label
            if label not in self.labels:
                out.append(WeekMetrics.no_data(label))
                continue
            sums = self._sums.get(label, [0, 0, 0, 0, 0])
            week_minutes = self._minutes.pop(label, [])
            week_minutes.sort()  # in place: the period's sort then merges sorted runs
            week_active = self._active(label, rollups)
            by = self._champions.get(label, 0)
            out.append(row(label, sums, week_minutes, len(week_active), by, members))
            totals = [a + b for a, b in zip(totals, sums, strict=True)]
            minutes += week_minutes
            active |= week_active
            by_champions += by
        return row("period", totals, minutes, len(active), by_champions, members), out
