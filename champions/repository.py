"""The champions feature's stored data; each collection has exactly one owner here.

``ChampionRegistry`` owns ``champions.registry``; ``NudgeLog`` owns ``champions.nudges`` and
``champions.nudge_slots`` (the one nudge a team may get per local day, claimed atomically).
Other features (roles, the admin summary) read them only through these classes. Every
read-modify-write goes through one method, so a store with conditional writes can make it
atomic in one place. Reads take a :class:`~champions.scope.TenantScope` (``None``: every
tenant, for jobs that work across them).
"""

from __future__ import annotations

from datetime import date

from champions.model import Champion, Nudge, NudgeClaim, slot_key
from champions.ports import Documents
from champions.scope import TenantScope

REGISTRY = "champions.registry"
NUDGES = "champions.nudges"
SLOTS = "champions.nudge_slots"
#: rounds of "claim, else read the holder" when a holder releases in between
_CLAIM_ROUNDS = 3


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

    @staticmethod
    def entry_of(aad_id: str) -> tuple[str, str]:
        """The ``(collection, key)`` :meth:`is_champion` reads for ``aad_id``."""
        return REGISTRY, aad_id.lower()

    async def is_champion(self, aad_id: str, scope: TenantScope | None = None) -> bool:
        doc = await self._store.get(*self.entry_of(aad_id))
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

    COLLECTIONS = (NUDGES, SLOTS)

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

    async def claim(self, claim: NudgeClaim) -> NudgeClaim | None:
        """Take the team's nudge slot of ``claim.day`` atomically (two champions on two
        instances at once: one wins). ``None`` when taken; else the claim that holds it."""
        for _ in range(_CLAIM_ROUNDS):
            if await self._store.insert_if_absent(SLOTS, claim.key, claim.to_doc()):
                return None
            held = await self._store.get(SLOTS, claim.key)
            if held is not None:
                return NudgeClaim.from_doc(held)
        return claim  # released and re-taken again and again: treat as held (nothing posted)

    async def release(self, claim: NudgeClaim) -> None:
        """Give the slot back after a post that did not happen, so a retry may take it.

        Only the holder releases, and nobody can replace a held slot (it is taken by an
        atomic insert), so reading and then deleting cannot remove someone else's claim."""
        held = await self._store.get(SLOTS, claim.key)
        if held is not None and NudgeClaim.from_doc(held) == claim:
            await self._store.delete(SLOTS, claim.key)

    async def holder(
        self, team_id: str, day: date, scope: TenantScope | None = None
    ) -> NudgeClaim | None:
        """Who has nudged (or is nudging) ``team_id`` on local ``day``: the slot's claim, or a
        delivered nudge recorded before slots existed."""
        held = await self._store.get(SLOTS, slot_key(team_id, day.isoformat()))
        if held is not None:
            return NudgeClaim.from_doc(held)
        for nudge in await self.all(scope):
            if nudge.team_id == team_id and nudge.day == day.isoformat() and nudge.delivered:
                return NudgeClaim.of(nudge)
        return None
