"""Collaboration personas per user over a period.

After the collaboration-analytics convention (SWOOP-style personas for enterprise social
networks), each person in a team is placed by how they give and receive in conversations.
For one user over the period:

- ``posts`` (p): thread roots they started;
- ``given`` (g): replies they wrote in other people's threads;
- ``received`` (r): replies other people wrote in their threads (roots in the period,
  replies at any time up to the sync).

Rules, first match wins (thresholds are the constants below):

1. **observer**: p + g = 0 — a member who did not post or reply.
2. **responder**: g >= 2·p — mostly replies to others (includes someone who only replies).
3. **broadcaster**: r < 0.5·p — posts that rarely get replies (under one reply per two posts).
4. **catalyst**: r >= 2·p — starts threads that draw many replies (two or more each on average).
5. **engager**: everyone else — posts and replies in proportion, and their posts get answered:
   gives and receives about equally.

Replies to one's own thread count as activity (they are not observers) but neither as
given nor received. Users who posted but are not (or no longer) listed as members still
get a persona; members who did nothing are observers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from adoption.facts import ThreadFact

ENGAGER = "engager"
CATALYST = "catalyst"
RESPONDER = "responder"
BROADCASTER = "broadcaster"
OBSERVER = "observer"
PERSONAS: tuple[str, ...] = (ENGAGER, CATALYST, RESPONDER, BROADCASTER, OBSERVER)

RESPONDER_GIVEN_PER_POST = 2.0
"""A responder writes at least this many replies to others per thread they start."""
BROADCASTER_RECEIVED_PER_POST = 0.5
"""A broadcaster's threads draw fewer than this many replies from others per thread."""
CATALYST_RECEIVED_PER_POST = 2.0
"""A catalyst's threads draw at least this many replies from others per thread."""


@dataclass(slots=True)
class UserActivity:
    """What one user gave and received in a period."""

    user: str
    posts: int = 0
    given: int = 0
    received: int = 0
    own_replies: int = 0

    @property
    def persona(self) -> str:
        return classify(self.posts, self.given, self.received, self.own_replies)


def classify(posts: int, given: int, received: int, own_replies: int = 0) -> str:
    """The persona for one user's counts (see the module docstring for the rules)."""
    if posts == 0 and given == 0 and own_replies == 0:
        return OBSERVER
    if given >= RESPONDER_GIVEN_PER_POST * posts:
        return RESPONDER
    if received < BROADCASTER_RECEIVED_PER_POST * posts:
        return BROADCASTER
    if received >= CATALYST_RECEIVED_PER_POST * posts:
        return CATALYST
    return ENGAGER


def user_activity(
    threads: Iterable[ThreadFact],
    start: datetime,
    end: datetime,
    *,
    members: Iterable[str] = (),
) -> dict[str, UserActivity]:
    """Counts per user for roots and replies created in the aware window ``[start, end)``.

    Every id in ``members`` appears (as an observer when inactive).
    """
    users: dict[str, UserActivity] = {m: UserActivity(m) for m in members}

    def of(user: str) -> UserActivity:
        found = users.get(user)
        if found is None:
            found = users[user] = UserActivity(user)
        return found

    for thread in threads:
        author = thread.root.author
        root_in = thread.root_is_post and start <= thread.root.created < end
        if not thread.root_is_post:
            for reply in thread.replies:
                if start <= reply.created < end:
                    of(reply.author).given += 1
            continue
        if root_in:
            of(author).posts += 1
        for reply in thread.replies:
            if reply.author == author:
                if start <= reply.created < end:
                    of(author).own_replies += 1
                continue
            if root_in:
                of(author).received += 1
            if start <= reply.created < end:
                of(reply.author).given += 1
    return users


def personas(
    threads: Iterable[ThreadFact],
    start: datetime,
    end: datetime,
    *,
    members: Iterable[str] = (),
) -> dict[str, str]:
    """Persona per user id over ``[start, end)``."""
    return {
        user: act.persona
        for user, act in user_activity(threads, start, end, members=members).items()
    }


def persona_counts(assigned: dict[str, str]) -> dict[str, int]:
    """How many users per persona, every persona present (0 when nobody)."""
    counts = Counter(assigned.values())
    return {name: counts.get(name, 0) for name in PERSONAS}
