"""The champions feature's records: a registered champion and a nudge.

A registry document, keyed by lower-case AAD id (``champions.registry``)::

    {"aad_id", "name", "teams_id", "by", "at", "tenant_id"}

A nudge document, keyed ``<ISO time>|<champion>|<team id>`` (``champions.nudges``)::

    {"champion", "champion_name", "team_id", "team_name", "graph_id", "at", "day",
     "metric", "message", "custom", "status", "outcome", "detail", "activity_id", "tenant_id"}

``tenant_id`` is the organisation the record was made in; older records have none and
belong to the home tenant (:class:`champions.scope.TenantScope`).

``day`` is the local date in the configured zone; ``status`` is ``delivered``,
``duplicate`` or ``failed`` (``outcome`` keeps the delivery's own status).

A team's nudge slot of a local day, keyed ``<team id>|<day>`` (``champions.nudge_slots``),
claimed with an atomic insert before the nudge is posted (one nudge per team and day,
whoever sends it)::

    {"team_id", "day", "champion", "champion_name", "at", "tenant_id"}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

DELIVERED = "delivered"


@dataclass(frozen=True)
class Champion:
    """A registered champion."""

    aad_id: str
    name: str
    teams_id: str = ""
    by: str = ""
    at: str = ""
    tenant_id: str = ""

    def to_doc(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_doc(cls, key: str, doc: dict[str, Any]) -> Champion:
        return cls(
            aad_id=key.lower(),
            name=str(doc.get("name") or key),
            teams_id=str(doc.get("teams_id") or ""),
            by=str(doc.get("by") or ""),
            at=str(doc.get("at") or ""),
            tenant_id=str(doc.get("tenant_id") or ""),
        )


@dataclass(frozen=True)
class Nudge:
    """One nudge a champion sent (or tried to send) to a team's General channel."""

    champion: str
    team_id: str
    at: datetime
    status: str
    champion_name: str = ""
    team_name: str = ""
    graph_id: str | None = None
    day: str = ""
    metric: str | None = None
    message: str = ""
    custom: bool = False
    outcome: str = ""
    detail: str = ""
    activity_id: str = ""
    tenant_id: str = ""

    @property
    def key(self) -> str:
        return f"{self.at.isoformat()}|{self.champion}|{self.team_id}"

    @property
    def delivered(self) -> bool:
        return self.status == DELIVERED

    def to_doc(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat()}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Nudge | None:
        """The nudge in ``doc``; ``None`` when a needed field is missing or malformed."""
        try:
            at = datetime.fromisoformat(str(doc["at"]))
            champion, team_id = str(doc["champion"]).lower(), str(doc["team_id"])
        except (KeyError, ValueError):
            return None
        if at.tzinfo is None:
            return None
        return cls(
            champion=champion,
            team_id=team_id,
            at=at,
            status=str(doc.get("status", DELIVERED)),
            champion_name=str(doc.get("champion_name") or ""),
            team_name=str(doc.get("team_name") or team_id),
            graph_id=doc.get("graph_id") or None,
            day=str(doc.get("day") or at.date().isoformat()),
            metric=doc.get("metric"),
            message=str(doc.get("message") or ""),
            custom=bool(doc.get("custom")),
            outcome=str(doc.get("outcome") or ""),
            detail=str(doc.get("detail") or ""),
            activity_id=str(doc.get("activity_id") or ""),
            tenant_id=str(doc.get("tenant_id") or ""),
        )


@dataclass(frozen=True)
class NudgeClaim:
    """A champion's claim on a team's one nudge of a local day."""

    team_id: str
    day: str
    champion: str
    champion_name: str
    at: datetime
    tenant_id: str = ""

    @property
    def key(self) -> str:
        return slot_key(self.team_id, self.day)

    def to_doc(self) -> dict[str, Any]:
        return {**asdict(self), "at": self.at.isoformat()}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> NudgeClaim:
        return cls(
            team_id=str(doc["team_id"]),
            day=str(doc["day"]),
            champion=str(doc.get("champion") or "").lower(),
            champion_name=str(doc.get("champion_name") or ""),
            at=datetime.fromisoformat(str(doc["at"])),
            tenant_id=str(doc.get("tenant_id") or ""),
        )

    @classmethod
    def of(cls, nudge: Nudge) -> NudgeClaim:
        """The claim a delivered nudge recorded before slots existed stands for."""
        return cls(
            nudge.team_id, nudge.day, nudge.champion, nudge.champion_name, nudge.at, nudge.tenant_id
        )


def slot_key(team_id: str, day: str) -> str:
    return f"{team_id}|{day}"
