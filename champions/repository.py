"""The champions feature's stored data; each collection has exactly one owner here.

``ChampionRegistry`` owns ``champions.registry``; ``NudgeLog`` owns ``champions.nudges``.
Other features (roles, the admin summary) read them only through these classes. Every
read-modify-write goes through one method, so a store with conditional writes can make it
atomic in one place. Reads take a :class:`~champions.scope.TenantScope` (``None``: every
tenant, for jobs that work across them).
"""

from __future__ import annotations

from datetime import date

from champions.model import Champion, Nudge
from champions.ports import Documents
from champions.scope import TenantScope

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

    async def remove(self, aad_id: str, scope: TenantScope | None = None) -> bool:
        """Forget a champion of the scope's tenant; ``False`` when there was none."""
        if scope is not None and not await self.is_champion(aad_id, scope):
            return False
        return await self._store.delete(REGISTRY, aad_id.lower())

    async def is_champion(self, aad_id: str, scope: TenantScope | None = None) -> bool:
        doc = await self._store.get(REGISTRY, aad_id.lower())
        return doc is not None and (scope is None or scope.holds(doc.get("tenant_id")))

    async def all(self, scope: TenantScope | None = None) -> list[Champion]:
        """Every champion (of the scope's tenant), by name."""
        docs = await self._store.all(REGISTRY)
        found = [
            Champion.from_doc(key, doc)
            for key, doc in docs.items()
            if scope is None or scope.holds(doc.get("tenant_id"))
        ]
        return sorted(found, key=lambda c: c.name.casefold())


class NudgeLog:
    """Every nudge, delivered or not."""

    COLLECTIONS = (NUDGES,)

    def __init__(self, store: Documents) -> None:
        self._store = store

    async def record(self, nudge: Nudge) -> None:
        await self._store.put(NUDGES, nudge.key, nudge.to_doc())

    async def all(self, scope: TenantScope | None = None) -> list[Nudge]:
        """Every readable nudge (of the scope's tenant), oldest first; malformed ones skipped."""
        docs = (await self._store.all(NUDGES)).values()
        found = [n for n in (Nudge.from_doc(d) for d in docs) if n is not None]
        mine = [n for n in found if scope is None or scope.holds(n.tenant_id)]
        return sorted(mine, key=lambda n: n.at)

    async def delivered(self, scope: TenantScope | None = None) -> list[Nudge]:
        return [n for n in await self.all(scope) if n.delivered]

    async def by_champion(self, aad_id: str, scope: TenantScope | None = None) -> list[Nudge]:
        return [n for n in await self.all(scope) if n.champion == aad_id.lower()]

    async def delivered_on(
        self, champion: str, team_id: str, day: date, scope: TenantScope | None = None
    ) -> Nudge | None:
        """The champion's delivered nudge of ``team_id`` on local ``day``, if any."""
        for nudge in await self.by_champion(champion, scope):
            if nudge.team_id == team_id and nudge.day == day.isoformat() and nudge.delivered:
                return nudge
        return None
