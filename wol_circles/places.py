"""A person's place in a circle: claimed in their membership index before the circle is
written, given back when the circle refuses, freed when the person leaves or the circle
closes (see :mod:`wol_circles.memberships` for why the index is only a hint)."""

from __future__ import annotations

from datetime import datetime

from wol_circles.errors import TooManyCircles
from wol_circles.memberships import Place, PlacesTaken
from wol_circles.model import MAX_OPEN_CIRCLES_PER_PERSON, Circle
from wol_circles.repository import CircleRepository

#: rounds of "claim a place, else give back the dead ones" before refusing
_CLAIM_ROUNDS = 3


class Places:
    """The place bookkeeping of joins, creates, leaves and closes."""

    def __init__(self, repo: CircleRepository) -> None:
        self._repo = repo
        self._index = repo.memberships

    async def take(self, tenant_id: str, user_id: str, circle_id: str, now: datetime) -> Place:
        """Claim the person's place in the circle before writing the circle;
        :class:`TooManyCircles` when they are in the most open circles allowed (places that
        will never be real, left by a crash, are given back and the claim tried again)."""
        await self._repo.ensure_index()
        place = Place.new(circle_id, now)
        names: tuple[str, ...] = ()
        for _ in range(_CLAIM_ROUNDS):
            try:
                await self._index.claim(tenant_id, user_id, place, MAX_OPEN_CIRCLES_PER_PERSON)
                return place
            except PlacesTaken as taken:
                others = {cid: p for cid, p in taken.places.items() if cid != circle_id}
                held, claimed, dead = await self._repo.sort_places(tenant_id, user_id, others, now)
                names = tuple(c.name for c in (*held, *claimed))
                if not dead:
                    break
        raise TooManyCircles(MAX_OPEN_CIRCLES_PER_PERSON, names)

    async def give_back(self, tenant_id: str, user_id: str, place: Place) -> None:
        """The circle refused (or its write failed): free the place unless the person is in
        the circle after all (already a member)."""
        circle = await self._repo.get(place.circle_id)
        if not place.is_held(circle, user_id):
            await self._index.release(tenant_id, user_id, [place])

    async def held(self, tenant_id: str, user_id: str, circle_id: str) -> Place | None:
        """The person's place in the circle, read before a leave."""
        return (await self._index.places(tenant_id, user_id)).get(circle_id)

    async def left(self, tenant_id: str, user_id: str, place: Place | None) -> None:
        """Free the place read before a leave, unless a new join claimed it since."""
        if place is not None:
            await self._index.release(tenant_id, user_id, [place])

    async def closed(self, circle: Circle) -> None:
        """A closed circle frees its members' places (closed for good: no newer claim)."""
        for user_id in circle.member_ids:
            await self._index.forget(circle.tenant_id, user_id, circle.id)
