"""The champions feature's stored data; each collection has exactly one owner here.

``ChampionRegistry`` owns ``champions.registry``; ``NudgeLog`` owns ``champions.nudges``.
Other features (roles, the admin summary) read them only through these classes. Every
read-modify-write goes through one method, so a store with conditional writes can make it
atomic in one place.
"""

from __future__ import annotations

from datetime import date

from champions.model import Champion, Nudge
from champions.ports import Documents

REGISTRY = "champions.registry"
NUDGES = "champions.nudges"


class ChampionRegistry:
    """Who the champions are."""

    COLLECTIONS = (REGISTRY,)

    def __init__(self, store: Documents) -> None:
        self._store = store

    async def add(self, champion: Champion) -> bool:
        """Record ``champion``; ``False`` when they already were one."""
        doc = champion.to_doc()
        return await self._store.insert_if_absent(REGISTRY, champion.aad_id.lower(), doc)

    async def remove(self, aad_id: str) -> bool:
        return await self._store.delete(REGISTRY, aad_id.lower())

    async def is_champion(self, aad_id: str) -> bool:
        return await self._store.get(REGISTRY, aad_id.lower()) is not None

    async def all(self) -> list[Champion]:
        """Every champion, by name."""
        docs = await self._store.all(REGISTRY)
        found = [Champion.from_doc(key, doc) for key, doc in docs.items()]
        return sorted(found, key=lambda c: c.name.casefold())


class NudgeLog:
    """Every nudge, delivered or not."""

    COLLECTIONS = (NUDGES,)

    def __init__(self, store: Documents) -> None:
        self._store = store

    async def record(self, nudge: Nudge) -> None:
        await self._store.put(NUDGES, nudge.key, nudge.to_doc())

    async def all(self) -> list[Nudge]:
        """Every readable nudge, oldest first (malformed documents are skipped)."""
        docs = (await self._store.all(NUDGES)).values()
        found = [n for n in (Nudge.from_doc(d) for d in docs) if n is not None]
        return sorted(found, key=lambda n: n.at)

    async def delivered(self) -> list[Nudge]:
        return [n for n in await self.all() if n.delivered]

    async def by_champion(self, aad_id: str) -> list[Nudge]:
        return [n for n in await self.all() if n.champion == aad_id.lower()]

    async def delivered_on(self, champion: str, team_id: str, day: date) -> Nudge | None:
        """The champion's delivered nudge of ``team_id`` on local ``day``, if any."""
        for nudge in await self.by_champion(champion):
            if nudge.team_id == team_id and nudge.day == day.isoformat() and nudge.delivered:
                return nudge
        return None
