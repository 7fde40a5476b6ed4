"""A random tenant for rollup equivalence tests, and a rollup in a comparable form."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from adoption.facts import ChannelFact, MessageFact, TeamFact, ThreadFact
from adoption.repository import AdoptionRepository
from adoption.rollups import TeamRollup

# Ten weeks around the end of summer time in Berlin (2026-10-25), Monday 2026-09-28 on.
ORIGIN = datetime(2026, 9, 27, 20, 0, tzinfo=UTC)
SPAN = timedelta(weeks=11)


def random_team(
    rng: random.Random, n: int, since: datetime | None = None
) -> tuple[TeamFact, list[ThreadFact]]:
    """A team with messy data: deleted roots, own replies, replies weeks later, former
    members, a channel the team no longer lists, and late-night posts at week edges."""
    members = [f"u{n}-{i}" for i in range(rng.randint(2, 9))]
    writers = [*members, f"gone-{n}", "shared-person"]  # not (or no longer) members
    channels = [f"c{n}-{c}" for c in range(rng.randint(1, 4))]
    team = TeamFact(
        id=f"team-{n}",
        name=rng.choice(["Alpha", "beta", "Gamma", "Ärger"]) + f" {n}",
        member_ids=tuple(members),
        channels=tuple(ChannelFact(c, rng.choice(["General", "general", "Z"])) for c in channels),
        collected_since=since,
    )
    facts = []
    for t in range(rng.randint(0, 40)):
        created = ORIGIN + timedelta(seconds=rng.randrange(int(SPAN.total_seconds())))
        author = rng.choice(writers)
        root = MessageFact(f"r{n}-{t}", author, created, rng.randrange(3), rng.randrange(4))
        replies = []
        when = created
        for r in range(rng.choice((0, 0, 1, 2, 3, 5))):
            when += timedelta(minutes=rng.choice((1, 7, 90, 600, 3000, 9000)) + rng.random())
            who = author if rng.random() < 0.2 else rng.choice(writers)
            replies.append(MessageFact(f"r{n}-{t}-{r}", who, when, rng.randrange(2), 0))
        channel = rng.choice([*channels, f"old-{n}"])
        post = rng.random() > 0.1  # a deleted or system-event root now and then
        if not post:
            root = MessageFact(root.id, "", created)
        facts.append(ThreadFact(team.id, channel, root, tuple(replies), root_is_post=post))
    return team, [f for f in facts if f.root_is_post or f.replies]


async def seed_random(repo: AdoptionRepository, seed: int, teams: int = 6) -> None:
    """``teams`` random teams (some collected only from the fourth week) with threads."""
    rng = random.Random(seed)
    for n in range(teams):
        since = ORIGIN + timedelta(weeks=3) if n % 3 == 0 else None
        team, facts = random_team(rng, n, since)
        await repo.save_team(team)
        await repo.save_threads(team.id, facts)


def canonical(rollup: TeamRollup) -> dict[str, Any]:
    """A rollup without its index order: what two equal rollups must agree on."""
    out: dict[str, Any] = {}
    for label, w in rollup.weeks.items():
        c, minutes, pairs = w.channels, list(w.minutes), list(w.channel_people)
        channels = {}
        m = p = 0
        for k in range(0, len(c), 7):
            answered, n_people = c[k + 2], c[k + 6]
            people = {rollup.people[pairs[j]]: pairs[j + 1] for j in range(p, p + 2 * n_people, 2)}
            channels[rollup.channels[c[k]]] = (
                tuple(c[k + 1 : k + 6]),
                sorted(minutes[m : m + answered]),
                people,
            )
            m += answered
            p += 2 * n_people
        q = w.people
        team = {rollup.people[q[j]]: tuple(q[j + 1 : j + 5]) for j in range(0, len(q), 5)}
        out[label] = (channels, team)
    return out
