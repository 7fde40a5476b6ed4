"""The loop log: every loop that fired, who acted on it, and the lift after 7 days.

The lift is the champions' one lift rule (:data:`champions.LIFT_DAYS`, adoption's
:func:`adoption.lift.lift`): the 7 days after the card against the 7 days before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adoption.facts import ThreadFact
from adoption.lift import Lift, lift
from champions import LIFT_DAYS
from plans.loops import LoopCard


@dataclass(frozen=True, slots=True)
class LoopEntry:
    """One fired loop."""

    key: str
    kind: str
    team_id: str
    team_name: str
    fired_at: datetime
    audience: str
    recipients: tuple[str, ...]
    reasons: tuple[str, ...]
    acted_by: str = ""
    acted_at: datetime | None = None

    @classmethod
    def fired(cls, card: LoopCard, at: datetime) -> LoopEntry:
        return cls(card.key, card.kind, card.team_id, card.team_name, at, card.audience,
                   card.recipients, card.reasons)  # fmt: skip

    def lift(self, threads: Sequence[ThreadFact], *, now: datetime) -> Lift:
        """Activity in the team 7 days after the loop fired against the 7 days before."""
        return lift(threads, self.fired_at, now=now, days=LIFT_DAYS)

    def to_doc(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "team_id": self.team_id,
            "team_name": self.team_name,
            "fired_at": self.fired_at.isoformat(),
            "audience": self.audience,
            "recipients": list(self.recipients),
            "reasons": list(self.reasons),
            "acted_by": self.acted_by,
            "acted_at": self.acted_at.isoformat() if self.acted_at else None,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> LoopEntry:
        acted = doc.get("acted_at")
        return cls(
            key=str(doc["key"]),
            kind=str(doc["kind"]),
            team_id=str(doc["team_id"]),
            team_name=str(doc.get("team_name", "")),
            fired_at=datetime.fromisoformat(doc["fired_at"]),
            audience=str(doc.get("audience", "")),
            recipients=tuple(doc.get("recipients", ())),
            reasons=tuple(doc.get("reasons", ())),
            acted_by=str(doc.get("acted_by", "")),
            acted_at=datetime.fromisoformat(acted) if acted else None,
        )
