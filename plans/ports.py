"""What plans needs from the outside world, as small protocols it owns.

- :class:`Documents`: the store subset for ``plans.goals`` and ``plans.loops``.
- :class:`AdoptionSource`: teams and threads; :class:`adoption.repository.AdoptionRepository`
  satisfies it.
- :class:`CircleSource`: circles; :class:`wol_circles.repository.CircleRepository`
  satisfies it.
- :class:`ChampionActivity`: champions and their nudges. Implemented here over the stored
  ``champions.registry`` / ``champions.nudges`` collections (:class:`StoredChampionActivity`)
  until the champions package exposes its own reader; then only the adapter changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from adoption.facts import TeamFact, ThreadFact
from wol_circles.model import Circle

CHAMPION_REGISTRY = "champions.registry"
CHAMPION_NUDGES = "champions.nudges"
DELIVERED = "delivered"


class Documents(Protocol):
    """The subset of Trimtab's document store plans uses."""

    async def get(self, collection: str, key: str) -> dict[str, Any] | None: ...

    async def put(self, collection: str, key: str, doc: Mapping[str, Any]) -> None: ...

    async def insert_if_absent(self, collection: str, key: str, doc: Mapping[str, Any]) -> bool: ...

    async def delete(self, collection: str, key: str) -> bool: ...

    async def all(self, collection: str) -> dict[str, dict[str, Any]]: ...


class AdoptionSource(Protocol):
    """Adoption's facts, read through its repository."""

    async def teams(self) -> list[TeamFact]: ...

    async def threads(self, team_id: str) -> list[ThreadFact]: ...


class CircleSource(Protocol):
    """Every Working Out Loud circle."""

    async def all(self) -> list[Circle]: ...


@dataclass(frozen=True, slots=True)
class Nudge:
    """A delivered champion nudge: who, which team (its Graph id) and when."""

    champion: str
    champion_name: str
    team_id: str  # the tracker's (Graph) team id; "" when the team was never synced
    team_name: str
    at: datetime


class ChampionActivity(Protocol):
    """Champions and their delivered nudges."""

    async def champion_ids(self) -> frozenset[str]: ...

    async def nudges(self) -> list[Nudge]: ...


class StoredChampionActivity:
    """:class:`ChampionActivity` over the champions' stored collections (read only)."""

    def __init__(self, store: Documents) -> None:
        self._store = store

    async def champion_ids(self) -> frozenset[str]:
        return frozenset(await self._store.all(CHAMPION_REGISTRY))

    async def nudges(self) -> list[Nudge]:
        found = []
        for doc in (await self._store.all(CHAMPION_NUDGES)).values():
            if doc.get("status") != DELIVERED or not isinstance(doc.get("at"), str):
                continue
            try:
                at = datetime.fromisoformat(doc["at"])
            except ValueError:
                continue
            found.append(
                Nudge(
                    champion=str(doc.get("champion", "")),
                    champion_name=str(doc.get("champion_name", "")),
                    team_id=str(doc.get("graph_id") or ""),
                    team_name=str(doc.get("team_name", "")),
                    at=at,
                )
            )
        return sorted(found, key=lambda n: n.at)
