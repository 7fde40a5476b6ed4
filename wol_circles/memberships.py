"""The membership index: the open circles each person holds a place in.

``circles.memberships`` holds one document per tenant and person, key ``<tenant>|<user id>``::

    {"tenant_id": …, "user_id": …, "places": {"<circle id>": {"at": iso, "token": hex}}}

It answers "which circles is this person in" without reading every circle, and it is
where "at most 5 open circles per person" is enforced across instances: a join or a
create first *claims a place* in the person's document with a conditional write (the
count is checked on the document actually replaced, so two joins at once on two
instances cannot both take the fifth place), then changes the circle; when the circle
refuses, the place is given back.

The index is a hint; the circle is the truth. A place whose circle does not list the
person is never shown. It is *dead*, and removed, when its circle is closed, or when it
is older than :data:`CLAIM_GRACE` (a join or create that crashed between its two writes,
or a leave that crashed before giving its place back); a younger one may be a join
still under way, so it counts towards the limit. Places are removed by token, so a
newer claim of the same circle is never taken away by an older release.

``circles.meta`` / ``memberships`` marks the index built: a store from before the index
gets it once, from the circles (``CircleRepository``), so an upgrade loses nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from wol_circles.model import Circle, from_iso, to_iso
from wol_circles.ports import Documents

MEMBERSHIPS = "circles.memberships"
META = "circles.meta"
INDEX_BUILT = "memberships"
#: how long a claimed place whose circle does not list the person may be a join under way
CLAIM_GRACE = timedelta(minutes=5)
BUILT_TOKEN = "built"


def membership_key(tenant_id: str, user_id: str) -> str:
    return f"{tenant_id}|{user_id}"


@dataclass(frozen=True)
class Place:
    """A person's place in one circle, claimed at ``at``; ``token`` tells claims apart."""

    circle_id: str
    at: datetime
    token: str

    @classmethod
    def new(cls, circle_id: str, now: datetime) -> Place:
        return cls(circle_id, now, secrets.token_hex(6))

    def to_doc(self) -> dict[str, Any]:
        return {"at": to_iso(self.at), "token": self.token}

    @classmethod
    def from_doc(cls, circle_id: str, doc: dict[str, Any]) -> Place:
        return cls(circle_id, from_iso(doc["at"]), str(doc["token"]))

    def is_held(self, circle: Circle | None, user_id: str) -> bool:
        """The circle is open and lists the person: the place is real."""
        return circle is not None and circle.state.is_open and circle.has_member(user_id)

    def is_dead(self, circle: Circle | None, user_id: str, now: datetime | None) -> bool:
        """Never to become real: its circle is closed, or it is too old to be a join under
        way (unknown without ``now``: kept)."""
        if self.is_held(circle, user_id):
            return False
        if circle is not None and not circle.state.is_open:
            return True
        return now is not None and now - self.at >= CLAIM_GRACE


class PlacesTaken(Exception):
    """Raised inside a claim: the person already holds the most places allowed."""

    def __init__(self, places: dict[str, Place]) -> None:
        super().__init__(f"{len(places)} places held")
        self.places = places


def _places(doc: dict[str, Any] | None) -> dict[str, Place]:
    held = (doc or {}).get("places", {})
    return {cid: Place.from_doc(cid, entry) for cid, entry in held.items()}


def _doc(tenant_id: str, user_id: str, places: dict[str, Place]) -> dict[str, Any]:
    return {
        "tenant_id": tenant_id,
        "user_id": user_id,
        "places": {cid: place.to_doc() for cid, place in places.items()},
    }


class MembershipIndex:
    """Reads and conditional writes of ``circles.memberships``; the circles decide."""

    COLLECTIONS = (MEMBERSHIPS, META)

    def __init__(self, store: Documents) -> None:
        self._store = store

    @staticmethod
    def entry_of(tenant_id: str, user_id: str) -> tuple[str, str]:
        """The ``(collection, key)`` of the person's index document (a turn reads it ahead)."""
        return MEMBERSHIPS, membership_key(tenant_id, user_id)

    async def places(self, tenant_id: str, user_id: str) -> dict[str, Place]:
        return _places(await self._store.get(*self.entry_of(tenant_id, user_id)))

    async def claim(self, tenant_id: str, user_id: str, place: Place, limit: int) -> None:
        """Hold ``place`` (replacing an older claim of its circle); :class:`PlacesTaken`
        when the person holds ``limit`` places in other circles."""

        def take(doc: dict[str, Any] | None) -> dict[str, Any]:
            held = _places(doc)
            if sum(cid != place.circle_id for cid in held) >= limit:
                raise PlacesTaken(held)
            return _doc(tenant_id, user_id, {**held, place.circle_id: place})

        await self._store.change(MEMBERSHIPS, membership_key(tenant_id, user_id), take)

    async def release(self, tenant_id: str, user_id: str, places: Iterable[Place]) -> None:
        """Give ``places`` back, each unless its circle was claimed again since."""
        gone = {p.circle_id: p.token for p in places}

        def drop(doc: dict[str, Any] | None) -> dict[str, Any] | None:
            held = _places(doc)
            kept = {cid: p for cid, p in held.items() if gone.get(cid) != p.token}
            return None if len(kept) == len(held) else _doc(tenant_id, user_id, kept)

        if gone:
            await self._store.change(MEMBERSHIPS, membership_key(tenant_id, user_id), drop)

    async def forget(self, tenant_id: str, user_id: str, circle_id: str) -> None:
        """Remove the place in a circle that closed (for good: no newer claim to keep)."""

        def drop(doc: dict[str, Any] | None) -> dict[str, Any] | None:
            held = _places(doc)
            if circle_id not in held:
                return None
            return _doc(tenant_id, user_id, {c: p for c, p in held.items() if c != circle_id})

        await self._store.change(MEMBERSHIPS, membership_key(tenant_id, user_id), drop)

    async def add(self, tenant_id: str, user_id: str, places: Iterable[Place]) -> None:
        """Add the places the person does not hold yet (building the index)."""
        new = {p.circle_id: p for p in places}

        def merge(doc: dict[str, Any] | None) -> dict[str, Any] | None:
            held = _places(doc)
            missing = {cid: p for cid, p in new.items() if cid not in held}
            return _doc(tenant_id, user_id, {**held, **missing}) if missing else None

        await self._store.change(MEMBERSHIPS, membership_key(tenant_id, user_id), merge)

    async def is_built(self) -> bool:
        return await self._store.get(META, INDEX_BUILT) is not None

    async def mark_built(self) -> None:
        await self._store.put(META, INDEX_BUILT, {"version": 1})
