"""Measure teams from their weekly rollups (:mod:`adoption.rollups`) instead of threads.

Used by :func:`adoption.report.build_report` when the period is whole weeks and every
team has a rollup in the report's time zone; the numbers are the same as measuring the
threads (see ``tests/adoption/test_rollups.py``), the cost grows with teams × weeks.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from adoption.facts import TeamFact
from adoption.metrics import MEASURES, WeekMetrics
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


# A frozen dataclass's __init__ sets each field through object.__setattr__, twice the cost
# of the slot descriptors' own setters; a 2,000-team report builds 570k rows, so they are
# built here through those setters (same class, same fields; checked at import and tested).
_FIELDS = tuple(f.name for f in dataclasses.fields(WeekMetrics))
_SETTERS = tuple(getattr(WeekMetrics, name).__set__ for name in _FIELDS)
(_WEEK, _POSTS, _REPLIES, _RATE, _UNANSWERED, _MEDIAN) = _SETTERS[:6]
(_ACTIVE, _SHARE, _MENTIONS, _REACTIONS, _CHAMPIONS, _COLLECTED) = _SETTERS[6:]
_new = object.__new__


def week_metrics(
    week: str,
    posts: int,
    replies: int,
    reply_rate: float | None,
    unanswered: int,
    median: float | None,
    active: int,
    share: float | None,
    mentions: int,
    reactions: int,
    champion_share: float | None,
) -> WeekMetrics:
    """``WeekMetrics(week, posts, ...)`` (a collected week) at half the cost."""
    row = _new(WeekMetrics)
    _WEEK(row, week)
    _POSTS(row, posts)
    _REPLIES(row, replies)
    _RATE(row, reply_rate)
    _UNANSWERED(row, unanswered)
    _MEDIAN(row, median)
    _ACTIVE(row, active)
    _SHARE(row, share)
    _MENTIONS(row, mentions)
    _REACTIONS(row, reactions)
    _CHAMPIONS(row, champion_share)
    _COLLECTED(row, True)
    return row


if ("week", *MEASURES, "collected") != _FIELDS:
    week_metrics = WeekMetrics  # type: ignore[assignment]  # fields changed: the plain way


def _median(values: Sequence[float]) -> float | None:
    """``statistics.median`` (same result), ``None`` for no values; inlined for speed."""
    n = len(values)
    if n < 2:
        return values[0] if n else None
    ordered = sorted(values)
    half = n // 2
    return ordered[half] if n % 2 else (ordered[half - 1] + ordered[half]) / 2


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
    return week_metrics(
        label,
        posts,
        replies,
        answered / posts if posts else None,  # reply_rate
        posts - answered,  # unanswered
        _median(minutes),
        active,
        min(active / members, 1.0) if members else None,  # active_share
        mentions,
        reactions,
        by_champions / messages if messages else None,  # champion_share
    )


@functools.lru_cache(maxsize=4096)
def _blank(label: str, members: int) -> WeekMetrics:
    """A collected week without a message (shared: rows are immutable)."""
    return _row(label, (0,) * 5, (), 0, 0, members)


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
) -> Measured:
    """``weeks`` of ``team`` from its rollup; weeks not in ``collected`` are "no data"."""
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
            blank = _blank(label, members) if label in collected else None
            row = blank or WeekMetrics.no_data(label)
            team_rows.append(row)
            by_week.append([row] * len(order))
            continue
        sums = _week_sums(w)
        champs = _champion_messages(w.people, 5, champ)
        team_rows.append(_row(label, sums, w.minutes, len(w.people) // 5, champs, members))
        totals = [a + b for a, b in zip(totals, sums, strict=True)]
        minutes += w.minutes
        active.update(w.people[0::5])
        by_champions += champs
        persons += w.people
        by_week.append(_channel_rows(label, w, slot, len(order), channel_people, champ, members))
    per_channel = zip(*by_week, strict=True) if weeks else iter([() for _ in order])
    return Measured(
        rows=team_rows,
        totals=_row("period", totals, minutes, len(active), by_champions, members),
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

    The hot loop of a large report (a row per channel and week): :func:`_row` inlined."""
    out = [_blank(label, members)] * count
    c, minutes, pairs = w.channels, w.minutes, w.channel_people
    few = len(champ) <= 4
    m = p = 0
    for k in range(0, len(c), 7):
        ci, posts, answered, replies, mentions, reactions, people = c[k : k + 7]
        end = p + 2 * people
        ids = pairs[p:end:2]
        n = slot[ci]
        channel_people[n].update(ids)
        by = 0
        if few:
            for x in champ:
                if x in ids:
                    by += pairs[p + 2 * ids.index(x) + 1]
        else:
            by = _champion_messages(pairs[p:end], 2, champ)
        if answered > 1:
            median: float | None = _median(minutes[m : m + answered])
        else:
            median = minutes[m] if answered else None
        messages = posts + replies
        out[n] = week_metrics(
            label,
            posts,
            replies,
            answered / posts if posts else None,
            posts - answered,
            median,
            people,
            min(people / members, 1.0) if members else None,
            mentions,
            reactions,
            by / messages if messages else None,
        )
        m += answered
        p = end
    return out


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
        week_minutes.sort()  # in place: the period's sort then merges sorted runs
        rows.append(_row(label, sums, week_minutes, len(week_active), week_champions, members))
        totals = [a + b for a, b in zip(totals, sums, strict=True)]
        minutes += week_minutes
        active |= week_active
        by_champions += week_champions
    return _row("period", totals, minutes, len(active), by_champions, members), rows
