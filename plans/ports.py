"""What plans needs from the outside world, as small protocols it owns.

- :class:`Documents`: the store subset for ``plans.goals`` and ``plans.loops``.
- :class:`AdoptionSource`: teams and threads; :class:`adoption.repository.AdoptionRepository`
  satisfies it.
- :class:`CircleSource`: circles; :class:`wol_circles.repository.CircleRepository`
  satisfies it.
- :class:`ChampionActivity`: champions and their delivered nudges;
  :class:`StoredChampionActivity` reads them through the champions package's owners of
  the two collections (:class:`champions.ChampionRegistry`, :class:`champions.NudgeLog`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from adoption.facts import TeamFact, ThreadFact
from champions import ChampionRegistry, NudgeLog
from champions import Nudge as ChampionNudge
from wol_circles.model import Circle

#: A pure function from the stored document (``None``: absent) to the one to write
#: (``None``: leave it as it is). It may run several times.
Change = Callable[[dict[str, Any] | None], Mapping[str, Any] | None]


class Updates(Protocol):
    """A safe read-modify-write of one document: a conditional write retried on conflict."""

    async def change(self, collection: str, key: str, fn: Change) -> dict[str, Any] | None: ...


class Documents(Updates, Protocol):
    """The subset of Trimtab's document store plans uses."""

    async def get(self, collection: str, key: str) -> dict[str, Any] | None: ...

    async def put(self, collection: str, key: str, doc: Mapping[str, Any]) -> None: ...

    async def put_many(
        self, collection: str, docs: Mapping[str, Mapping[str, Any]], *, owned: bool = False
    ) -> None: ...

    async def insert_if_absent(self, collection: str, key: str, doc: Mapping[str, Any]) -> bool: ...

    async def delete(self, collection: str, key: str) -> bool: ...

    async def all(self, collection: str) -> dict[str, dict[str, Any]]: ...

    async def read_all(self, collection: str) -> dict[str, dict[str, Any]]: ...

    async def read_all_many(
        self, collections: Iterable[str]
    ) -> dict[str, dict[str, dict[str, Any]]]: ...


class AdoptionSource(Protocol):
    """Adoption's facts, read through its repository."""

    async def teams(self) -> list[TeamFact]: ...

    async def threads(self, team_id: str) -> list[ThreadFact]: ...


class CircleSource(Protocol):
    """Every Working Out Loud circle."""

    async def all(self) -> list[Circle]: ...


@dataclass(frozen=True, slots=True)
class Nudge:
    """A delivered champion nudge: who, which team (its Graph id) and when; ``record`` is
    the champions package's own record (for its one lift rule)."""

    champion: str
    champion_name: str
    team_id: str  # the tracker's (Graph) team id; "" when the team was never synced
    team_name: str
    at: datetime
    record: ChampionNudge


class ChampionActivity(Protocol):
    """Champions and their delivered nudges."""

    async def champion_ids(self) -> frozenset[str]: ...

    async def nudges(self) -> list[Nudge]: ...


class StoredChampionActivity:
    """:class:`ChampionActivity` read through the champions package's repositories."""

    def __init__(self, store: Documents) -> None:
        self._registry = ChampionRegistry(store)
        self._nudges = NudgeLog(store)

    async def champion_ids(self) -> frozenset[str]:
        return frozenset(c.aad_id for c in await self._registry.all())

    async def nudges(self) -> list[Nudge]:
        """Delivered nudges, oldest first (the log skips malformed records)."""
        return [
            Nudge(n.champion, n.champion_name, n.graph_id or "", n.team_name, n.at, n)
            for n in await self._nudges.delivered()
        ]
