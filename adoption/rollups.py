"""Weekly rollups per team and channel: what a report needs, without the messages.

:func:`week_tallies` counts threads into TALLYs by week label and channel id::

    TALLY = {"posts", "answered", "replies", "mentions", "reactions",
             "minutes": [first-reply minutes of the week's answered roots],
             "people": {user: [messages, posts, given, received, own_replies]}}

They hold exactly what :mod:`adoption.metrics` and :mod:`adoption.personas` count, in the
same weeks (a root's answer and the replies it *received* belong to the root's week, as
in those modules), so a report over whole weeks can read rollups instead of every
thread and give the same numbers (``tests/adoption/test_rollups.py`` and
``test_rollup_store.py`` check that).

The report reads them as a :class:`TeamRollup`: per team-week, flat arrays of small ints
indexed by the team's person and channel indexes (no per-person dicts, no id strings), so
reading and measuring 2,000 teams × 26 weeks costs teams × weeks, not messages.
:mod:`adoption.rollup_doc` stores them; the sync recomputes only the weeks its changed
threads touch (closed weeks stay frozen). Rollups are for one time zone; a report in
another zone, or over a period that is not whole weeks, reads the threads instead.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from adoption.facts import ThreadFact
from adoption.weeks import IsoWeek, local_date

ROLLUPS = "adoption.rollups"
MESSAGES, POSTS, GIVEN, RECEIVED, OWN = range(5)
Tally = dict[str, Any]


def _empty() -> Tally:
    return {
        "posts": 0,
        "answered": 0,
        "replies": 0,
        "mentions": 0,
        "reactions": 0,
        "minutes": [],
        "people": {},
    }


def _person(tally: Tally, user: str) -> list[int]:
    people: dict[str, list[int]] = tally["people"]
    found = people.get(user)
    if found is None:
        found = people[user] = [0, 0, 0, 0, 0]
    return found


def week_tallies(
    threads: Iterable[ThreadFact], tz: ZoneInfo, weeks: set[str] | None = None
) -> dict[str, dict[str, Tally]]:
    """Tallies by week label and channel id; only ``weeks`` when given."""
    out: dict[str, dict[str, Tally]] = {}
    # by local day: moments are nearly all distinct, a team's days are few
    cache: dict[date, str] = {}

    def tally(moment: datetime, channel: str) -> Tally | None:
        day = local_date(moment, tz)
        label = cache.get(day)
        if label is None:
            label = cache[day] = IsoWeek.of(day).label
        if weeks is not None and label not in weeks:
            return None
        by_channel = out.get(label)
        if by_channel is None:
            by_channel = out[label] = {}
        found = by_channel.get(channel)
        if found is None:  # not setdefault: that builds an empty tally for every message
            found = by_channel[channel] = _empty()
        return found

    for thread in threads:
        root = thread.root
        if thread.root_is_post:
            t = tally(root.created, thread.channel_id)
            if t is not None:
                t["posts"] += 1
                t["mentions"] += root.mentions
                t["reactions"] += root.reactions
                person = _person(t, root.author)
                person[MESSAGES] += 1
                person[POSTS] += 1
                others = [r for r in thread.replies if r.author != root.author]
                person[RECEIVED] += len(others)
                if others:
                    t["answered"] += 1
                    first = min(others, key=lambda r: r.created)
                    t["minutes"].append((first.created - root.created).total_seconds() / 60)
        for reply in thread.replies:
            t = tally(reply.created, thread.channel_id)
            if t is None:
                continue
            t["replies"] += 1
            t["mentions"] += reply.mentions
            t["reactions"] += reply.reactions
            person = _person(t, reply.author)
            person[MESSAGES] += 1
            own = thread.root_is_post and reply.author == root.author
            person[OWN if own else GIVEN] += 1
    return out


def touched_weeks(threads: Iterable[ThreadFact], tz: ZoneInfo) -> set[str]:
    """Labels of the weeks in which any of ``threads`` has its root or a reply."""
    days = {local_date(m.created, tz) for t in threads for m in (t.root, *t.replies)}
    return {IsoWeek.of(day).label for day in days}


def ints(values: Sequence[int]) -> array[int]:
    """``values`` in the narrowest unsigned array that holds them (counts are never negative)."""
    top = max(values, default=0)
    code = "B" if top < 1 << 8 else "H" if top < 1 << 16 else "I" if top < 1 << 32 else "Q"
    return array(code, values)


@dataclass(frozen=True, slots=True)
class WeekRollup:
    """One team-week, compact (see the port in ``/work/notes/rollup_port.md``).

    ``channels``: stride 7 per channel with activity — channel index, posts, answered,
    replies, mentions, reactions, n_people; ``minutes``: the answered roots' first-reply
    minutes, channel by channel in that order; ``channel_people``: stride 2 — person
    index, messages — ``n_people`` per channel in that order; ``people``: stride 5 for
    the whole team-week — person index, posts, given, received, own_replies.
    """

    channels: array[int]
    minutes: array[float]
    channel_people: array[int]
    people: array[int]


@dataclass(frozen=True, slots=True)
class TeamRollup:
    """A team's weekly rollups: what the report reads instead of threads.

    ``people`` and ``channels`` map the arrays' indexes to ids; ``weeks`` holds every
    stored week with activity by ISO week label (a week absent here had no message).
    """

    people: tuple[str, ...]
    channels: tuple[str, ...]
    weeks: Mapping[str, WeekRollup]

    @classmethod
    def from_tallies(cls, tallies: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> TeamRollup:
        """From ``{week label: {channel id: TALLY}}`` (the shape of :func:`week_tallies`)."""
        people: list[str] = []
        channels: list[str] = []
        weeks = build_weeks(tallies, people, channels)
        return cls(tuple(people), tuple(channels), weeks)


def build_weeks(
    tallies: Mapping[str, Mapping[str, Mapping[str, Any]]], people: list[str], channels: list[str]
) -> dict[str, WeekRollup]:
    """Compact weeks from tallies; new people and channels are appended to the indexes
    (existing indexes never change, so stored weeks that use them stay valid)."""
    person_at = {p: i for i, p in enumerate(people)}
    channel_at = {c: i for i, c in enumerate(channels)}

    def index(table: dict[str, int], ids: list[str], key: str) -> int:
        found = table.get(key)
        if found is None:
            found = table[key] = len(ids)
            ids.append(key)
        return found

    out: dict[str, WeekRollup] = {}
    for label, by_channel in tallies.items():
        rows: list[int] = []
        minutes: list[float] = []
        pairs: list[int] = []
        team: dict[int, list[int]] = {}
        for cid, t in by_channel.items():
            users: Mapping[str, Sequence[int]] = t["people"]
            rows += (index(channel_at, channels, cid), t["posts"], t["answered"], t["replies"])
            rows += (t["mentions"], t["reactions"], len(users))
            minutes += t["minutes"]
            for user, c in users.items():
                i = index(person_at, people, user)
                pairs += (i, c[MESSAGES])
                acc = team.get(i)
                if acc is None:
                    acc = team[i] = [0, 0, 0, 0]
                acc[0] += c[POSTS]
                acc[1] += c[GIVEN]
                acc[2] += c[RECEIVED]
                acc[3] += c[OWN]
        flat = [n for i in sorted(team) for n in (i, *team[i])]
        out[label] = WeekRollup(ints(rows), array("d", minutes), ints(pairs), ints(flat))
    return out
