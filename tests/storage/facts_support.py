"""Adoption facts shared by the PostgreSQL facts tests: hand-made cases and a generated tenant.

The hand-made cases sit on the edges the weekly aggregation must get right: a deleted
root with replies (0 posts, the replies in their own weeks), replies written weeks after
their root, own replies, the two DST changes of 2026 in Europe/Berlin (a Sunday-night
message and a Monday-00:10 one on each side), and a team whose collected span starts
inside the period.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from adoption.facts import ChannelFact, MessageFact, TeamFact, ThreadFact
from adoption.repository import AdoptionRepository
from tests.adoption.factories import at, scenario

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # the reports' "generated"
B = "Europe/Berlin"
USAGE = {
    "period": "D30",
    "refreshed": "2026-11-20",
    "users": 9,
    "team_chat": 120,
    "private_chat": 280,
    "per_user": {"p_1": {"team_chat": 1}},
}


def m(mid: str, author: str, when: str, tz: str = B, mentions: int = 0, reactions: int = 0):
    return MessageFact(mid, author, at(when, tz), mentions, reactions)


def edge_threads(team_id: str) -> list[ThreadFact]:
    """Deleted roots, late replies and DST week boundaries (times in Berlin unless UTC)."""
    return [
        # a deleted root (no author) with three replies in the week after it
        ThreadFact(team_id, "general", m("d1", "", "2026-10-20 09:00"),
                   (m("d1a", "a", "2026-10-27 10:00"), m("d1b", "b", "2026-10-27 11:00"),
                    m("d1c", "c", "2026-10-28 11:00", reactions=2)), root_is_post=False),
        # autumn DST (Sunday 25 Oct 2026): the last hour of W43 and the first minutes of W44
        ThreadFact(team_id, "general", m("x1", "a", "2026-10-25 23:30", mentions=1),
                   (m("x1a", "b", "2026-10-26 00:10"), m("x1b", "a", "2026-10-26 00:20"))),
        # 23:30 UTC on Sunday is already Monday in Berlin: W44, not W43
        ThreadFact(team_id, "design", m("x2", "c", "2026-10-25 23:30", "UTC"),
                   (m("x2a", "d", "2026-11-16 09:00"),)),  # answered three weeks later
        # spring DST (Sunday 29 Mar 2026) around the week boundary
        ThreadFact(team_id, "design", m("s1", "b", "2026-03-29 23:59"),
                   (m("s1a", "a", "2026-03-30 00:01"),)),
        ThreadFact(team_id, "general", m("s2", "e", "2026-03-29 02:30", "UTC")),
        # a reply in the period to a root from long before it
        ThreadFact(team_id, "general", m("old", "e", "2026-09-01 12:00"),
                   (m("olda", "a", "2026-11-03 12:00", mentions=3),)),
    ]  # fmt: skip


def hand_made() -> list[tuple[TeamFact, list[ThreadFact]]]:
    """Team One (the scenario of ``tests.adoption.factories`` plus the edges), a team with
    a span collected since inside the period, and a team with no threads."""
    since = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    one = TeamFact("t1", "Team One", ("a", "b", "c", "d", "e"),
                   (ChannelFact("general", "General"), ChannelFact("design", "Design")),
                   targets={"reply_rate": 0.6})  # fmt: skip
    late = TeamFact("t3", "Late Starters", ("a", "f", "g"),
                    (ChannelFact("general", "General", "private"),),
                    collected_since=since)  # fmt: skip
    late_threads = [
        ThreadFact("t3", "general", m("l1", "f", "2026-10-28 10:00"),
                   (m("l1a", "g", "2026-11-04 10:00"),)),
        ThreadFact("t3", "general", m("l2", "g", "2026-11-05 10:00"),
                   (m("l2a", "f", "2026-11-05 10:30"),)),
    ]  # fmt: skip
    empty = TeamFact("t2", "design ops", ("x", "y"), (ChannelFact("general", "General"),))
    return [(one, scenario() + edge_threads("t1")), (late, late_threads), (empty, [])]


def generated(teams: int, seed: int = 7) -> list[tuple[TeamFact, list[ThreadFact]]]:
    """``teams`` random teams over 2026 (both DST changes), with deleted roots and own replies."""
    rng = random.Random(seed)
    origin = datetime(2026, 2, 1, tzinfo=UTC)
    out = []
    for n in range(teams):
        members = tuple(f"u{n}-{i}" for i in range(rng.randrange(2, 9)))
        channels = tuple(ChannelFact(f"c{n}-{c}", f"Channel {c}") for c in range(3))
        since = origin + timedelta(days=rng.choice((0, 0, 200, 280)))
        team = TeamFact(f"g{n}", f"Gen {n}", members, channels, collected_since=since)
        threads = []
        for t in range(rng.randrange(0, 40)):
            created = origin + timedelta(minutes=rng.randrange(300 * 24 * 60))
            post = rng.random() > 0.1
            root = MessageFact(f"g{n}-{t}", rng.choice(members) if post else "", created,
                               rng.randrange(3), rng.randrange(3))  # fmt: skip
            replies, when = [], created
            for r in range(rng.choice((0, 0, 1, 2, 3, 5))):
                when += timedelta(minutes=rng.randrange(1, 20000))
                replies.append(MessageFact(f"g{n}-{t}-{r}", rng.choice(members), when,
                                           rng.randrange(2), rng.randrange(2)))  # fmt: skip
            threads.append(ThreadFact(team.id, rng.choice(channels).id, root, tuple(replies), post))
        out.append((team, threads))
    return out


async def load(repo: AdoptionRepository, facts: list[tuple[TeamFact, list[ThreadFact]]]) -> None:
    """Save teams and threads, usage totals, and the weekly rollups in Berlin where kept."""
    for team, threads in facts:
        await repo.save_team(team)
        await repo.save_threads(team.id, threads)
        await repo.update_rollup(team.id, threads, BERLIN, rebuild=True)
    await repo.save_tenant_usage("D30", dict(USAGE))
    await repo.save_tenant_usage("D7", {"team_chat": 10, "private_chat": 30})
