"""A person's delivery preferences (zone, mutes), stored under ``audience.preferences``.

The audience package is the only writer of that collection; other features read a person's
preferences through :class:`PreferencesRepository`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from audience.mutes import Feature, Mute, Target
from audience.ports import Documents

PREFERENCES = "audience.preferences"


class ZoneSource(StrEnum):
    SET = "set"
    """Typed with ``my timezone``: a client's zone never overrides it."""
    CLIENT = "client"
    """Read from the person's Teams client (``clientInfo``)."""


@dataclass(frozen=True)
class Preferences:
    tenant_id: str
    user_id: str
    zone: str | None = None
    zone_source: ZoneSource | None = None
    mutes: tuple[Mute, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.tenant_id}:{self.user_id}"

    def zone_or(self, default: str) -> str:
        """The person's zone, else ``default`` (the configured zone)."""
        return self.zone or default

    def with_client_zone(self, zone: str | None) -> Preferences:
        """The zone the client reports, unless the person set one themselves."""
        if zone is None or self.zone_source is ZoneSource.SET or zone == self.zone:
            return self
        return replace(self, zone=zone, zone_source=ZoneSource.CLIENT)

    def with_zone(self, zone: str) -> Preferences:
        return replace(self, zone=zone, zone_source=ZoneSource.SET)

    def to_doc(self) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant_id,
            "user_id": self.user_id,
            "zone": self.zone,
            "zone_source": self.zone_source.value if self.zone_source else None,
            "mutes": [
                {
                    "feature": m.target.feature.value,
                    "circle": m.target.circle,
                    "until": m.until.isoformat() if m.until else None,
                }
                for m in self.mutes
            ],
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Preferences:
        return cls(
            tenant_id=doc["tenant_id"],
            user_id=doc["user_id"],
            zone=doc.get("zone"),
            zone_source=ZoneSource(doc["zone_source"]) if doc.get("zone_source") else None,
            mutes=tuple(
                Mute(
                    Target(Feature(m["feature"]), m.get("circle")),
                    datetime.fromisoformat(m["until"]) if m.get("until") else None,
                )
                for m in doc.get("mutes") or ()
            ),
        )


class PreferencesRepository:
    """Typed access to ``audience.preferences``; a person without a record has defaults."""

    COLLECTIONS = (PREFERENCES,)

    def __init__(self, store: Documents) -> None:
        self.store = store

    async def get(self, tenant_id: str, user_id: str) -> Preferences:
        doc = await self.store.get(PREFERENCES, f"{tenant_id}:{user_id}")
        return Preferences.from_doc(doc) if doc else Preferences(tenant_id, user_id)

    @staticmethod
    def keys_of(tenant_id: str, user_ids: Iterable[str]) -> list[tuple[str, str]]:
        """The ``(collection, key)`` documents :meth:`get_many` reads."""
        return [(PREFERENCES, f"{tenant_id}:{user_id}") for user_id in user_ids]

    async def get_many(self, tenant_id: str, user_ids: Iterable[str]) -> dict[str, Preferences]:
        """Several people's preferences in one read, by user id."""
        keys = {user_id: f"{tenant_id}:{user_id}" for user_id in user_ids}
        found = await self.store.get_many((PREFERENCES, key) for key in keys.values())
        return {
            user_id: Preferences.from_doc(doc) if doc else Preferences(tenant_id, user_id)
            for user_id, key in keys.items()
            for doc in (found.get((PREFERENCES, key)),)
        }

    async def save(self, prefs: Preferences) -> None:
        """Replace the person's record (only for a record nobody else changes: tests, imports)."""
        await self.store.put(PREFERENCES, prefs.key, prefs.to_doc())

    async def change(
        self, tenant_id: str, user_id: str, fn: Callable[[Preferences], Preferences]
    ) -> Preferences:
        """The one read-modify-write of a person's record: ``fn`` runs on the stored one
        (defaults when none) and its result is written conditionally, retried on conflict,
        so a mute and a zone learnt on another instance at once both stay. ``fn`` returning
        its argument unchanged writes nothing; it may raise (checked on the fresh record)."""

        def apply(doc: dict[str, Any] | None) -> dict[str, Any] | None:
            before = Preferences.from_doc(doc) if doc else Preferences(tenant_id, user_id)
            after = fn(before)
            return None if after is before else after.to_doc()

        doc = await self.store.change(PREFERENCES, f"{tenant_id}:{user_id}", apply)
        return Preferences.from_doc(doc) if doc else Preferences(tenant_id, user_id)

    async def all(self, tenant_id: str | None = None) -> list[Preferences]:
        found = [Preferences.from_doc(d) for d in (await self.store.all(PREFERENCES)).values()]
        return [p for p in found if tenant_id is None or p.tenant_id == tenant_id]
