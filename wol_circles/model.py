"""Circle records: immutable values with a JSON document form for the store.

Datetimes are aware; documents hold them as ISO-8601 UTC strings.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time
from typing import Any

MAX_MEMBERS = 5
"""Members per circle, the facilitator included."""
MAX_OPEN_CIRCLES_PER_PERSON = 5
"""Open (forming or active) circles one person may be in at once: keeps lists and cards small."""
MIN_MEMBERS_TO_START = 2


class CircleState(enum.StrEnum):
    """forming → active → completed, or → ended (ended early by the facilitator)."""

    FORMING = "forming"
    ACTIVE = "active"
    COMPLETED = "completed"
    ENDED = "ended"

    @property
    def is_open(self) -> bool:
        """Forming or active: the name is taken and members can act."""
        return self in (CircleState.FORMING, CircleState.ACTIVE)


class OriginKind(enum.StrEnum):
    """Where ``circle create`` was typed."""

    GROUP_CHAT = "groupChat"
    CHANNEL = "channel"
    PERSONAL = "personal"


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def fold_name(name: str) -> str:
    """The case- and space-insensitive form used to compare circle names."""
    return re.sub(r"\s+", " ", name).strip().casefold()


def to_iso(moment: datetime) -> str:
    """UTC ISO-8601 string with offset; ``ValueError`` for naive datetimes."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).isoformat()


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@dataclass(frozen=True)
class Slot:
    """The weekly meeting slot: weekday (0 = Monday), local wall time, IANA zone.

    ``each_local``: prompts and reminders go at the slot's weekday and wall time in *each
    member's own zone* (``zone`` when a member's is unknown); the circle's conversation and
    the completion keep ``zone``.
    """

    weekday: int
    at: time
    zone: str
    each_local: bool = False

    @property
    def weekday_name(self) -> str:
        return WEEKDAYS[self.weekday]

    def in_zone(self, zone: str | None) -> Slot:
        """The same weekday and wall time in ``zone`` (this slot when ``None``)."""
        return replace(self, zone=zone) if zone else self

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "weekday": self.weekday,
            "time": self.at.strftime("%H:%M"),
            "zone": self.zone,
        }
        if self.each_local:
            doc["each_local"] = True
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Slot:
        return cls(
            doc["weekday"],
            time.fromisoformat(doc["time"]),
            doc["zone"],
            bool(doc.get("each_local", False)),
        )


@dataclass(frozen=True)
class Member:
    """A member: the bot's user id (Teams/AAD id) and a display name."""

    user_id: str
    name: str
    joined_at: datetime

    def to_doc(self) -> dict[str, Any]:
        return {"user_id": self.user_id, "name": self.name, "joined_at": to_iso(self.joined_at)}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Member:
        return cls(doc["user_id"], doc["name"], from_iso(doc["joined_at"]))


@dataclass(frozen=True)
class Origin:
    """The conversation where the circle was created; group notes go back there."""

    kind: OriginKind
    conversation_key: str

    def to_doc(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "conversation_key": self.conversation_key}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Origin:
        return cls(OriginKind(doc["kind"]), doc["conversation_key"])


@dataclass(frozen=True)
class Circle:
    """A circle. ``handled`` holds the schedule markers already dealt with (see schedule);
    ``former`` the user ids of members who left (their check-ins and goals stay stored)."""

    id: str
    tenant_id: str
    name: str
    facilitator: str
    members: tuple[Member, ...]
    origin: Origin
    slot: Slot
    state: CircleState
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    handled: frozenset[str] = field(default_factory=frozenset)
    former: tuple[str, ...] = ()

    @property
    def folded_name(self) -> str:
        return fold_name(self.name)

    @property
    def member_ids(self) -> tuple[str, ...]:
        return tuple(m.user_id for m in self.members)

    def has_member(self, user_id: str) -> bool:
        return user_id in self.member_ids

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone who may have check-ins or a goal in the circle: members, then former."""
        return tuple(dict.fromkeys((*self.member_ids, *self.former)))

    def to_doc(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenant_id": self.tenant_id,
            "name": self.name,
            "folded_name": self.folded_name,
            "facilitator": self.facilitator,
            "members": [m.to_doc() for m in self.members],
            "member_ids": list(self.member_ids),
            "origin": self.origin.to_doc(),
            "slot": self.slot.to_doc(),
            "state": self.state.value,
            "created_at": to_iso(self.created_at),
            "started_at": to_iso(self.started_at) if self.started_at else None,
            "finished_at": to_iso(self.finished_at) if self.finished_at else None,
            "handled": sorted(self.handled),
            "former_member_ids": list(self.former),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Circle:
        return cls(
            id=doc["id"],
            tenant_id=doc["tenant_id"],
            name=doc["name"],
            facilitator=doc["facilitator"],
            members=tuple(Member.from_doc(m) for m in doc["members"]),
            origin=Origin.from_doc(doc["origin"]),
            slot=Slot.from_doc(doc["slot"]),
            state=CircleState(doc["state"]),
            created_at=from_iso(doc["created_at"]),
            started_at=from_iso(doc["started_at"]) if doc.get("started_at") else None,
            finished_at=from_iso(doc["finished_at"]) if doc.get("finished_at") else None,
            handled=frozenset(doc.get("handled", ())),
            former=tuple(doc.get("former_member_ids", ())),
        )


@dataclass(frozen=True)
class CheckIn:
    """One member's check-in for one week; a second check-in replaces it."""

    circle_id: str
    week: int
    user_id: str
    text: str
    rating: int | None
    at: datetime

    @property
    def key(self) -> str:
        return checkin_key(self.circle_id, self.week, self.user_id)

    def to_doc(self) -> dict[str, Any]:
        return {
            "circle_id": self.circle_id,
            "week": self.week,
            "user_id": self.user_id,
            "text": self.text,
            "rating": self.rating,
            "at": to_iso(self.at),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> CheckIn:
        return cls(
            doc["circle_id"], doc["week"], doc["user_id"], doc["text"], doc["rating"],
            from_iso(doc["at"]),
        )  # fmt: skip


def checkin_key(circle_id: str, week: int, user_id: str) -> str:
    return f"{circle_id}|{week:02d}|{user_id}"


def goal_key(circle_id: str, user_id: str) -> str:
    return f"{circle_id}|{user_id}"


@dataclass(frozen=True)
class Goal:
    """A member's goal for one circle."""

    circle_id: str
    user_id: str
    text: str
    set_at: datetime

    def to_doc(self) -> dict[str, Any]:
        return {
            "circle_id": self.circle_id,
            "user_id": self.user_id,
            "text": self.text,
            "set_at": to_iso(self.set_at),
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Goal:
        return cls(doc["circle_id"], doc["user_id"], doc["text"], from_iso(doc["set_at"]))
