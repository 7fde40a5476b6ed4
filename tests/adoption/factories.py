"""Hand-made adoption facts for tests: short helpers so expected values stay readable."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from adoption.facts import ChannelFact, MessageFact, TeamFact, ThreadFact

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
