"""Roles: one mechanism for every command's permission check.

Roles are ranked: an admin may do what a champion may, a champion what a
member may. Admins come from ``TRIMTAB_ADMINS`` (AAD object ids or UPNs) and
from ``admin add``; champions from ``champion add`` (read through
:class:`champions.ChampionRegistry`, the owner of ``champions.registry``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from bot.storage import DocumentStore
from champions import ChampionRegistry

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

    def __init__(self, store: DocumentStore, configured_admins: frozenset[str]) -> None:
        self._store = store
        self._champions = ChampionRegistry(store)
        self._configured = configured_admins

    async def role_of(self, user: UserRef) -> Role:
        if self.is_configured_admin(user) or await self._store.get(ADMINS, user.aad_id.lower()):
            return Role.ADMIN
        if await self._champions.is_champion(user.aad_id):
            return Role.CHAMPION
        return Role.MEMBER

    def is_configured_admin(self, user: UserRef) -> bool:
        ids = {user.aad_id.lower(), user.upn.lower()} - {""}
        return bool(ids & self._configured)

    async def grant_admin(self, user: UserRef, *, by: UserRef, now: datetime) -> bool:
        """Record ``user`` as admin; ``False`` when they already were one."""
        doc = {"aad_id": user.aad_id, "name": user.name, "by": by.aad_id, "at": now.isoformat()}
        return await self._store.insert_if_absent(ADMINS, user.aad_id.lower(), doc)

    async def revoke_admin(self, user: UserRef) -> bool:
        """Forget an admin added in chat; ``False`` when there was none to forget.

        Admins from ``TRIMTAB_ADMINS`` are not stored here and stay admins. The role is read
        on every turn and every dashboard request, so the revoked admin's dashboard links
        and sessions stop working at once.
        """
        return await self._store.delete(ADMINS, user.aad_id.lower())

    async def admins(self) -> list[dict[str, str]]:
        return sorted((await self._store.all(ADMINS)).values(), key=lambda d: d["name"].lower())
