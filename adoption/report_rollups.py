"""Measure teams from their weekly rollups (:mod:`adoption.rollups`) instead of threads.

Used by :func:`adoption.report.build_report` when the period is whole weeks and every
team has a rollup in the report's time zone; the numbers are the same as measuring the
threads (see ``tests/adoption/test_rollups.py``), the cost grows with teams × weeks.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from adoption.facts import TeamFact
from adoption.metrics import WeekMetrics
from adoption.personas import OBSERVER, classify, persona_counts
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


def _row(
    label: str,
    counts: Sequence[int],  # posts, answered, replies, mentions, reactions
    minutes: Sequence[float],
    active: int,
    by_champions: int,
    members: int,
) -> WeekMetrics:
    """The measures of one window from its sums (the rules of :mod:`adoption.metrics`)."""
    posts, answered, replies, mentions, reactions = counts
    messages = posts + replies
    return WeekMetrics(
        week=label,
        posts=posts,
        replies=replies,
        reply_rate=answered / posts if posts else None,
        unanswered=posts - answered,
        median_first_reply_minutes=statistics.median(minutes) if minutes else None,
        active_posters=active,
        active_share=min(active / members, 1.0) if members else None,
        mentions=mentions,
        reactions=reactions,
        champion_share=by_champions / messages if messages else None,
    )


def _champions(people: Sequence[str], champions: frozenset[str]) -> frozenset[int]:
    return frozenset(i for i, p in enumerate(people) if p in champions)


def _week_sums(w: WeekRollup) -> list[int]:
    """posts, answered, replies, mentions, reactions of the whole team-week."""
    c = w.channels
    return [sum(c[1::7]), sum(c[2::7]), sum(c[3::7]), sum(c[4::7]), sum(c[5::7])]


def _champion_messages(people: Sequence[int], stride: int, champ: frozenset[int]) -> int:
    """Messages by champions in a strided person array (``people`` or ``channel_people``)."""
    if not champ:
        return 0
    if stride == 2:
        return sum(n for i, n in zip(people[0::2], people[1::2], strict=True) if i in champ)
    return sum(
        p + g + o
        for i, p, g, o in zip(people[0::5], people[1::5], people[2::5], people[4::5], strict=True)
        if i in champ
    )


class _Persons:
    """Per-person sums over the period, for personas."""

    def __init__(self, size: int) -> None:
        self.seen = bytearray(size)
        self.sums = [[0, 0, 0, 0] for _ in range(size)]

    def add(self, p: Sequence[int]) -> None:
        seen, sums = self.seen, self.sums
        for i, posts, given, received, own in zip(
            p[0::5], p[1::5], p[2::5], p[3::5], p[4::5], strict=True
        ):
            seen[i] = 1
            acc = sums[i]
            acc[0] += posts
            acc[1] += given
            acc[2] += received
            acc[3] += own

    def personas(self, people: Sequence[str], members: Iterable[str]) -> dict[str, int]:
        assigned = dict.fromkeys(members, OBSERVER)
        for i, flag in enumerate(self.seen):
            if flag:
                posts, given, received, own = self.sums[i]
                assigned[people[i]] = classify(posts, given, received, own)
        return persona_counts(assigned)


def measure_rollup(
    team: TeamFact,
    rollup: TeamRollup,
    weeks: list[IsoWeek],
    collected: set[str],
    champions: frozenset[str],
) -> Measured:
    """``weeks`` of ``team`` from its rollup; weeks not in ``collected`` are "no data"."""
    members = len(team.member_ids)
    champ = _champions(rollup.people, champions)
    present: set[int] = set()
    for stored in rollup.weeks.values():
        present.update(stored.channels[0::7])
    order = channel_ids(team, (c for i, c in enumerate(rollup.channels) if i in present))
    where = {cid: i for i, cid in enumerate(rollup.channels)}
    slots = [where.get(cid, -1) for cid in order]
    team_rows: list[WeekMetrics] = []
    channel_rows: list[list[WeekMetrics]] = [[] for _ in order]
    channel_people: list[set[int]] = [set() for _ in order]
    totals = [0, 0, 0, 0, 0]
    minutes: list[float] = []
    active: set[int] = set()
    by_champions = 0
    persons = _Persons(len(rollup.people))
    for week in weeks:
        label = week.label
        w = rollup.weeks.get(label) if label in collected else None
        if w is None:
            blank = _row(label, (0,) * 5, (), 0, 0, members) if label in collected else None
            row = blank or WeekMetrics.no_data(label)
            team_rows.append(row)
            for rows in channel_rows:
                rows.append(row)
            continue
        sums = _week_sums(w)
        champs = _champion_messages(w.people, 5, champ)
        team_rows.append(_row(label, sums, w.minutes, len(w.people) // 5, champs, members))
        totals = [a + b for a, b in zip(totals, sums, strict=True)]
        minutes += w.minutes
        active.update(w.people[0::5])
        by_champions += champs
        persons.add(w.people)
        _channel_rows(label, w, slots, channel_rows, channel_people, champ, members)
    return Measured(
        rows=team_rows,
        totals=_row("period", totals, minutes, len(active), by_champions, members),
        channels=[
            (cid, rows, len(people))
            for cid, rows, people in zip(order, channel_rows, channel_people, strict=True)
        ],
        personas=persons.personas(rollup.people, team.member_ids),
    )


def _channel_rows(
    label: str,
    w: WeekRollup,
    slots: list[int],
    channel_rows: list[list[WeekMetrics]],
    channel_people: list[set[int]],
    champ: frozenset[int],
    members: int,
) -> None:
    """Append each channel's row for week ``w`` (in ``slots`` order)."""
    c = w.channels
    at: dict[int, tuple[int, int, int]] = {}
    m = p = 0
    for k in range(0, len(c), 7):
        at[c[k]] = (k, m, p)
        m += c[k + 2]
        p += 2 * c[k + 6]
    blank: WeekMetrics | None = None
    for slot, rows, people in zip(slots, channel_rows, channel_people, strict=True):
        found = at.get(slot)
        if found is None:
            blank = blank or _row(label, (0,) * 5, (), 0, 0, members)
            rows.append(blank)
            continue
        k, m, p = found
        pairs = w.channel_people[p : p + 2 * c[k + 6]]
        people.update(pairs[0::2])
        rows.append(
            _row(
                label,
                c[k + 1 : k + 6],
                w.minutes[m : m + c[k + 2]],
                c[k + 6],
                _champion_messages(pairs, 2, champ),
                members,
            )
        )


def tenant_rows(
    docs: list[TeamRollup],
    weeks: list[IsoWeek],
    collected: set[str],
    members: int,
    champions: frozenset[str],
) -> tuple[WeekMetrics, list[WeekMetrics]]:
    """Totals and weekly rows across all teams' rollups (people united by id)."""
    champs = [_champions(d.people, champions) for d in docs]
    rows: list[WeekMetrics] = []
    totals = [0, 0, 0, 0, 0]
    minutes: list[float] = []
    active: set[str] = set()
    by_champions = 0
    for week in weeks:
        label = week.label
        if label not in collected:
            rows.append(WeekMetrics.no_data(label))
            continue
        sums = [0, 0, 0, 0, 0]
        week_minutes: list[float] = []
        week_active: set[str] = set()
        week_champions = 0
        for doc, champ in zip(docs, champs, strict=True):
            w = doc.weeks.get(label)
            if w is None:
                continue
            sums = [a + b for a, b in zip(sums, _week_sums(w), strict=True)]
            week_minutes += w.minutes
            week_active.update(map(doc.people.__getitem__, w.people[0::5]))
            week_champions += _champion_messages(w.people, 5, champ)
        rows.append(_row(label, sums, week_minutes, len(week_active), week_champions, members))
        totals = [a + b for a, b in zip(totals, sums, strict=True)]
        minutes += week_minutes
        active |= week_active
        by_champions += week_champions
    return _row("period", totals, minutes, len(active), by_champions, members), rows
