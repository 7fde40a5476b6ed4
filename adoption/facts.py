"""Facts the tracker keeps: ids, timestamps and counts only, never message content.

A :class:`ThreadFact` is one channel conversation: its root post and the human
replies to it. Messages that are not human (system events, bots, deleted) never
become facts of their own. A thread whose root is not a post (deleted, a system
event, a bot's or an excluded user's) but which has human replies is kept with
``root_is_post=False``: its replies count in the weeks they were written, its root
counts nowhere (and keeps no author).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def _ts(value: datetime) -> str:
    return value.isoformat()


def _parse_ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


@dataclass(frozen=True, slots=True)
class MessageFact:
    """One human message: who wrote it (a user id or its pseudonym), when, and its counts."""

    id: str
    author: str
    created: datetime
    mentions: int = 0
    reactions: int = 0

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "author": self.author,
            "created": _ts(self.created),
            "mentions": self.mentions,
            "reactions": self.reactions,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> MessageFact:
        return cls(
            id=doc["id"],
            author=doc["author"],
            created=_parse_ts(doc["created"]),
            mentions=int(doc.get("mentions", 0)),
            reactions=int(doc.get("reactions", 0)),
        )


@dataclass(frozen=True, slots=True)
class ThreadFact:
    """A channel thread: the root post and its human replies, oldest first."""

    team_id: str
    channel_id: str
    root: MessageFact
    replies: tuple[MessageFact, ...] = ()
    root_is_post: bool = True

    @property
    def key(self) -> str:
        """Store key: unique per thread within a team."""
        return f"{self.channel_id}|{self.root.id}"

    @property
    def first_reply_by_other(self) -> MessageFact | None:
        """The earliest reply written by someone other than the root's author."""
        others = [r for r in self.replies if r.author != self.root.author]
        return min(others, key=lambda r: r.created) if others else None

    @property
    def repliers(self) -> frozenset[str]:
        return frozenset(r.author for r in self.replies)

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "team_id": self.team_id,
            "channel_id": self.channel_id,
            "root": self.root.to_doc(),
            "replies": [r.to_doc() for r in self.replies],
        }
        if not self.root_is_post:
            doc["root_is_post"] = False
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ThreadFact:
        return cls(
            team_id=doc["team_id"],
            channel_id=doc["channel_id"],
            root=MessageFact.from_doc(doc["root"]),
            replies=tuple(MessageFact.from_doc(r) for r in doc.get("replies", [])),
            root_is_post=bool(doc.get("root_is_post", True)),
        )


@dataclass(frozen=True, slots=True)
class ChannelFact:
    """A channel of a team (its display name is metadata, not message content)."""

    id: str
    name: str
    membership_type: str = "standard"

    def to_doc(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "membership_type": self.membership_type}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ChannelFact:
        return cls(doc["id"], doc["name"], doc.get("membership_type", "standard"))


@dataclass(frozen=True, slots=True)
class TeamFact:
    """A team as last seen by a sync: its name, channels and member ids."""

    id: str
    name: str
    member_ids: tuple[str, ...] = ()
    channels: tuple[ChannelFact, ...] = ()
    synced_at: datetime | None = None
    targets: dict[str, float] = field(default_factory=dict)
    # Start of the span this team has been collected for; weeks before it are "no data".
    collected_since: datetime | None = None

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "member_ids": list(self.member_ids),
            "channels": [c.to_doc() for c in self.channels],
            "synced_at": _ts(self.synced_at) if self.synced_at else None,
            "targets": dict(self.targets),
            "collected_since": _ts(self.collected_since) if self.collected_since else None,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> TeamFact:
        synced = doc.get("synced_at")
        since = doc.get("collected_since")
        return cls(
            id=doc["id"],
            name=doc["name"],
            member_ids=tuple(doc.get("member_ids", [])),
            channels=tuple(ChannelFact.from_doc(c) for c in doc.get("channels", [])),
            synced_at=_parse_ts(synced) if synced else None,
            targets=dict(doc.get("targets", {})),
            collected_since=_parse_ts(since) if since else None,
        )


def by_name(teams: Iterable[TeamFact]) -> list[TeamFact]:
    """``teams`` in the facts port's order: by name ignoring case."""
    return sorted(teams, key=lambda t: t.name.lower())
