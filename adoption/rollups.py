"""Weekly rollups per team and channel: what a report needs, without the messages.

A rollup is one document per team (``adoption.rollups``, key = team id)::

    {"tz": "Europe/Berlin", "weeks": {"2026-W45": {"<channel id>": TALLY, ...}, ...}}

    TALLY = {"posts", "answered", "replies", "mentions", "reactions",
             "minutes": [first-reply minutes of the week's answered roots],
             "people": {user: [messages, posts, given, received, own_replies]}}

It holds exactly what :mod:`adoption.metrics` and :mod:`adoption.personas` count, in the
same weeks (a root's answer and the replies it *received* belong to the root's week, as
in those modules), so a report over whole weeks reads these documents instead of every
thread and gives the same numbers (``tests/adoption/test_rollups.py`` checks that).

The sync recomputes only the weeks its changed threads touch (closed weeks with no
changed thread stay frozen); rollups are for one time zone, and a report in another
zone, or over a period that is not whole weeks, reads the threads instead.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from adoption.facts import ThreadFact
from adoption.metrics import WeekMetrics
from adoption.weeks import IsoWeek

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
    cache: dict[object, str] = {}

    def tally(moment: Any, channel: str) -> Tally | None:
        label = cache.get(moment)
        if label is None:
            label = cache[moment] = IsoWeek.of_datetime(moment, tz).label
        if weeks is not None and label not in weeks:
            return None
        return out.setdefault(label, {}).setdefault(channel, _empty())

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
    moments = (m.created for t in threads for m in (t.root, *t.replies))
    return {IsoWeek.of_datetime(m, tz).label for m in moments}


def merge(tallies: Iterable[Mapping[str, Any]]) -> Tally:
    """One tally for several weeks and/or channels (authors and people united)."""
    total = _empty()
    for t in tallies:
        for key in ("posts", "answered", "replies", "mentions", "reactions"):
            total[key] += t[key]
        total["minutes"].extend(t["minutes"])
        for user, counts in t["people"].items():
            person = _person(total, user)
            for i, n in enumerate(counts):
                person[i] += n
    return total


def summarise(
    label: str, tallies: Sequence[Mapping[str, Any]], member_count: int, champions: frozenset[str]
) -> WeekMetrics:
    """The :class:`WeekMetrics` of several tallies taken together (same rules as
    :mod:`adoption.metrics`). Cheaper than :func:`merge`: people are only united as keys."""
    posts = answered = replies = mentions = reactions = by_champions = 0
    minutes: list[float] = []
    for t in tallies:
        posts += t["posts"]
        answered += t["answered"]
        replies += t["replies"]
        mentions += t["mentions"]
        reactions += t["reactions"]
        minutes += t["minutes"]
        people: Mapping[str, Sequence[int]] = t["people"]
        if champions:
            if len(champions) < len(people):
                by_champions += sum(people[c][MESSAGES] for c in champions if c in people)
            else:
                by_champions += sum(n[MESSAGES] for u, n in people.items() if u in champions)
    if len(tallies) == 1:
        active = len(tallies[0]["people"])
    else:
        active = len(set().union(*(t["people"] for t in tallies)))
    messages = posts + replies
    return WeekMetrics(
        week=label,
        posts=posts,
        replies=replies,
        reply_rate=answered / posts if posts else None,
        unanswered=posts - answered,
        median_first_reply_minutes=statistics.median(minutes) if minutes else None,
        active_posters=active,
        active_share=min(active / member_count, 1.0) if member_count else None,
        mentions=mentions,
        reactions=reactions,
        champion_share=by_champions / messages if messages else None,
    )
