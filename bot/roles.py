"""Roles: one mechanism for every command's permission check.

Roles are ranked: an admin may do what a champion may, a champion what a
member may. Admins come from ``TRIMTAB_ADMINS`` (AAD object ids or UPNs, admins in
every tenant) and from ``admin add`` (an admin of the tenant they were added in);
champions from ``champion add`` (read through :class:`champions.ChampionRegistry`,
the owner of ``champions.registry``). A role is read for a tenant scope; without one,
for the home tenant (the dashboard's view, which shows the home tenant's data).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from bot.storage import DocumentStore
from bot.tenancy import Tenancy
from champions import ChampionRegistry, TenantScope

ADMINS = "bot.admins"


class Role(IntEnum):
    """What a user may do; higher includes lower."""

    MEMBER = 0
    CHAMPION = 1
    ADMIN = 2

    @property
    def label(self) -> str:
        return {Role.MEMBER: "member", Role.CHAMPION: "champion", Role.ADMIN: "admin"}[self]


@dataclass(frozen=True)
class UserRef:
    """Who is talking: AAD object id (the stable key), Teams user id and display name."""

    aad_id: str
    teams_id: str
    name: str
    upn: str = ""


class RoleDirectory:
    """Answers "what role has this user" and records granted roles (owns ``bot.admins``)."""

    COLLECTIONS = (ADMINS,)

    def __init__(
        self, store: DocumentStore, configured_admins: frozenset[str], tenancy: Tenancy
    ) -> None:
        self._store = store
        self._champions = ChampionRegistry(store)
        self._configured = configured_admins
        self._tenancy = tenancy

    @staticmethod
    def entries_of(aad_id: str) -> list[tuple[str, str]]:
        """The ``(collection, key)`` documents :meth:`role_of` reads for ``aad_id``."""
        return [(ADMINS, aad_id.lower()), ChampionRegistry.entry_of(aad_id)]

    async def role_of(self, user: UserRef, scope: TenantScope | None = None) -> Role:
        """The user's role in the scope's tenant (``None``: the home tenant)."""
        scope = scope or await self._tenancy.home_scope()
        if self.is_configured_admin(user) or await self._added_admin(user, scope):
            return Role.ADMIN
        if await self._champions.is_champion(user.aad_id, scope):
            return Role.CHAMPION
        return Role.MEMBER

    async def _added_admin(self, user: UserRef, scope: TenantScope) -> bool:
        doc = await self._store.get(ADMINS, user.aad_id.lower())
        return doc is not None and scope.holds(doc.get("tenant_id"))

    def is_configured_admin(self, user: UserRef) -> bool:
        ids = {user.aad_id.lower(), user.upn.lower()} - {""}
        return bool(ids & self._configured)

    async def grant_admin(
        self, user: UserRef, *, by: UserRef, now: datetime, scope: TenantScope
    ) -> bool:
        """Record ``user`` as admin of the scope's tenant; ``False`` when they already were."""
        doc = {
            "aad_id": user.aad_id,
            "name": user.name,
            "by": by.aad_id,
            "at": now.isoformat(),
            "tenant_id": scope.tenant_id,
        }
        return await self._store.insert_if_absent(ADMINS, user.aad_id.lower(), doc)

    async def revoke_admin(self, user: UserRef, scope: TenantScope) -> bool:
        """Forget an admin added in chat; ``False`` when there was none to forget.

        Admins from ``TRIMTAB_ADMINS`` are not stored here and stay admins. The role is read
        on every turn and every dashboard request, so the revoked admin's dashboard links
        and sessions stop working at once.
        """
        if not await self._added_admin(user, scope):
            return False
        return await self._store.delete(ADMINS, user.aad_id.lower())

    async def admins(self, scope: TenantScope) -> list[dict[str, str]]:
        """The admins added in chat in the scope's tenant, by name."""
        docs = (await self._store.all(ADMINS)).values()
        mine = [d for d in docs if scope.holds(d.get("tenant_id"))]
        return sorted(mine, key=lambda d: str(d.get("name", "")).lower())
