"""Hand-made adoption facts for tests: short helpers so expected values stay readable."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from adoption.facts import ChannelFact, MessageFact, TeamFact, ThreadFact
from adoption.ports import Documents
from adoption.report import AdoptionReport, build_report
from adoption.repository import AdoptionRepository

_ids = itertools.count(1)


def at(text: str, tz: str = "UTC") -> datetime:
    """``at("2026-11-02 09:00")`` → aware datetime in ``tz`` (UTC by default)."""
    zone = UTC if tz == "UTC" else ZoneInfo(tz)
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def msg(
    author: str, when: str, *, mentions: int = 0, reactions: int = 0, tz: str = "UTC"
) -> MessageFact:
    return MessageFact(f"m{next(_ids)}", author, at(when, tz), mentions, reactions)


def thread(
    root: MessageFact, *replies: MessageFact, channel: str = "general", team: str = "t1"
) -> ThreadFact:
    return ThreadFact(team, channel, root, tuple(replies))


def team(
    team_id: str = "t1",
    name: str = "Team One",
    members: tuple[str, ...] = (),
    channels: tuple[str, ...] = ("general",),
    targets: dict[str, float] | None = None,
) -> TeamFact:
    return TeamFact(
        id=team_id,
        name=name,
        member_ids=members,
        channels=tuple(ChannelFact(c, c.title()) for c in channels),
        targets=targets or {},
    )


B = "Europe/Berlin"


def scenario() -> list[ThreadFact]:
    """Six threads over two weeks, members a-e, champion c; times are Berlin wall clock."""
    t1 = thread(
        msg("a", "2026-10-26 09:00", mentions=1, reactions=2, tz=B),
        msg("a", "2026-10-26 09:05", tz=B),  # own reply: not an answer
        msg("b", "2026-10-26 09:30", reactions=1, tz=B),  # first answer: 30 min
        msg("c", "2026-10-26 10:00", tz=B),
    )
    t2 = thread(
        msg("b", "2026-10-27 14:00", tz=B),
        msg("a", "2026-10-28 14:00", tz=B),  # first answer: 1440 min
        msg("c", "2026-11-02 10:00", tz=B),  # a W45 reply to a W44 thread
    )
    t3 = thread(msg("c", "2026-10-29 10:00", mentions=2, tz=B))  # never answered
    t4 = thread(
        msg("a", "2026-11-01 23:30", tz=B),  # Sunday night: W44 in Berlin
        msg("b", "2026-11-02 00:10", tz=B),  # Monday 00:10: W45 in Berlin; 40 min
    )
    t5 = thread(
        msg("d", "2026-11-02 08:00", tz=B), msg("d", "2026-11-02 08:30", tz=B), channel="design"
    )
    t6 = thread(
        msg("b", "2026-11-04 12:00", tz=B),
        msg("e", "2026-11-04 12:20", reactions=3, tz=B),  # 20 min
        msg("a", "2026-11-04 13:00", tz=B),
        channel="design",
    )
    return [t1, t2, t3, t4, t5, t6]


# A small tenant for report tests: two teams, usage totals, a champion.
BERLIN = ZoneInfo("Europe/Berlin")
START, END = date(2026, 10, 26), date(2026, 11, 8)  # ISO weeks 2026-W44 and W45
NOW = at("2026-11-23 08:00")
CHAMPIONS = frozenset({"c"})


async def seed(store: Documents, *, usage: bool = True) -> AdoptionRepository:
    """Team One (members a-e, the six scenario threads) and Design Ops (x, y, no threads)."""
    repo = AdoptionRepository(store)
    await repo.save_team(team("t1", "Team One", ("a", "b", "c", "d", "e"), ("general", "design")))
    await repo.save_team(team("t2", "Design Ops", ("x", "y")))
    await repo.save_threads("t1", scenario())
    if usage:
        await store.put(
            "adoption.tenant",
            "D30",
            {
                "period": "D30",
                "refreshed": "2026-11-20",
                "users": 9,
                "team_chat": 120,
                "private_chat": 280,
                "posts": 50,
                "replies": 70,
                "per_user": {"p_1": {"team_chat": 1}},
            },
        )
        await store.put("adoption.tenant", "D7", {"team_chat": 10, "private_chat": 30})
        await store.put("adoption.tenant", "junk", {"whatever": True})
    return repo


async def sample_report(store: Documents, **kwargs: object) -> AdoptionReport:
    repo = await seed(store)
    return await build_report(
        repo,
        start=START,
        end=END,
        tz=BERLIN,
        now=NOW,
        champions=CHAMPIONS,
        **kwargs,  # type: ignore[arg-type]
    )
