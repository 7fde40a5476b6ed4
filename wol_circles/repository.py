"""Circles, check-ins and goals in and out of a :class:`Documents` store.

Collections:

* ``circles.circles`` — one document per circle, keyed by circle id. Every change of a
  stored circle goes through :meth:`CircleRepository.change` (a conditional write retried
  on conflict), so two instances joining one circle at once never lose a member.
* ``circles.names`` — ``<tenant>|<folded name>`` → ``{"circle_id"}`` for open circles;
  claimed with ``insert_if_absent`` so two concurrent creates cannot share a name,
  released when the circle completes or ends.
* ``circles.checkins`` — ``<circle id>|<NN>|<user id>`` (one per member per week),
  written conditionally too so the answer knows whether it replaced one.
* ``circles.goals`` — ``<circle id>|<user id>``.
* ``circles.memberships`` and ``circles.meta`` — the per-person index of open circles
  (:mod:`wol_circles.memberships`).

A circle's check-ins and goals are read by key (weeks × members and former members, one
``get_many``), never by reading the whole collection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from wol_circles.errors import UnknownCircle
from wol_circles.memberships import BUILT_TOKEN, MembershipIndex, Place
from wol_circles.model import CheckIn, Circle, Goal, checkin_key, fold_name, goal_key
from wol_circles.ports import Documents
from wol_circles.programme import WEEKS_IN_PROGRAMME

CIRCLES = "circles.circles"
NAMES = "circles.names"
CHECKINS = "circles.checkins"
GOALS = "circles.goals"


def name_key(tenant_id: str, name: str) -> str:
    return f"{tenant_id}|{fold_name(name)}"


class CircleRepository:
    """Async persistence of the circles package; no rules live here."""

    COLLECTIONS = (CIRCLES, NAMES, CHECKINS, GOALS, *MembershipIndex.COLLECTIONS)

    def __init__(self, store: Documents) -> None:
        self.store = store
        self.memberships = MembershipIndex(store)
        self._indexed = False
        self._indexing = asyncio.Lock()

    async def save(self, circle: Circle) -> None:
        """Store a new circle (its id is fresh: nobody else writes it yet)."""
        await self.store.put(CIRCLES, circle.id, circle.to_doc())

    async def change(self, circle_id: str, fn: Callable[[Circle], Circle | None]) -> Circle:
        """Apply ``fn`` to the stored circle and write the result if nobody wrote meanwhile;
        on a conflict ``fn`` runs again on the fresh circle. ``fn`` may raise a
        :class:`~wol_circles.errors.CircleError` (checked on the fresh circle) or return
        ``None`` to leave it as it is. :class:`UnknownCircle` when there is no such circle."""

        def apply(doc: dict[str, Any] | None) -> dict[str, Any] | None:
            if doc is None:
                raise UnknownCircle(circle_id)
            changed = fn(Circle.from_doc(doc))
            return None if changed is None else changed.to_doc()

        stored = await self.store.change(CIRCLES, circle_id, apply)
        assert stored is not None  # apply raised for an absent circle
        return Circle.from_doc(stored)

    async def get(self, circle_id: str) -> Circle | None:
        doc = await self.store.get(CIRCLES, circle_id)
        return Circle.from_doc(doc) if doc else None

    async def get_many(self, circle_ids: Iterable[str]) -> dict[str, Circle | None]:
        """Each circle by id (``None``: no such circle), in one read."""
        found = await self.store.get_many((CIRCLES, cid) for cid in circle_ids)
        return {key: Circle.from_doc(doc) if doc else None for (_, key), doc in found.items()}

    async def all(self) -> list[Circle]:
        """Every circle of every tenant, oldest first."""
        docs = await self.store.all(CIRCLES)
        return sorted((Circle.from_doc(d) for d in docs.values()), key=lambda c: c.created_at)

    async def circles(self, tenant_id: str, *, open_only: bool = False) -> list[Circle]:
        return [
            c
            for c in await self.all()
            if c.tenant_id == tenant_id and (c.state.is_open or not open_only)
        ]

    async def by_name(self, tenant_id: str, name: str) -> Circle | None:
        """The open circle called ``name`` (case-insensitive) in the tenant."""
        claim = await self.store.get(NAMES, name_key(tenant_id, name))
        return await self.get(claim["circle_id"]) if claim else None

    async def claim_name(self, circle: Circle) -> bool:
        """Reserve the circle's name; ``False`` when an open circle already holds it."""
        key = name_key(circle.tenant_id, circle.name)
        return await self.store.insert_if_absent(NAMES, key, {"circle_id": circle.id})

    async def take_name(self, circle: Circle) -> None:
        """Point the name at ``circle`` unconditionally (only to replace a stale claim)."""
        key = name_key(circle.tenant_id, circle.name)
        await self.store.put(NAMES, key, {"circle_id": circle.id})

    async def release_name(self, circle: Circle) -> None:
        key = name_key(circle.tenant_id, circle.name)
        claim = await self.store.get(NAMES, key)
        if claim and claim["circle_id"] == circle.id:
            await self.store.delete(NAMES, key)

    async def circles_of(
        self, tenant_id: str, user_id: str, now: datetime | None = None
    ) -> list[Circle]:
        """The open circles ``user_id`` is a member of, oldest first: the person's index
        document and those circles. Places that will never be real are removed (those of
        crashed joins only when ``now`` tells their age)."""
        await self.ensure_index()
        places = await self.memberships.places(tenant_id, user_id)
        return (await self.sort_places(tenant_id, user_id, places, now))[0]

    async def sort_places(
        self, tenant_id: str, user_id: str, places: dict[str, Place], now: datetime | None
    ) -> tuple[list[Circle], list[Circle], list[Place]]:
        """``places`` as (circles held, circles only claimed so far, oldest first; dead
        places, which are given back)."""
        if not places:
            return [], [], []
        circles = await self.get_many(places)
        held: list[Circle] = []
        claimed: list[Circle] = []
        dead: list[Place] = []
        for cid, place in places.items():
            circle = circles.get(cid)
            if circle is not None and circle.tenant_id != tenant_id:
                circle = None  # never another organisation's circle
            if circle is not None and place.is_held(circle, user_id):
                held.append(circle)
            elif place.is_dead(circle, user_id, now):
                dead.append(place)
            elif circle is not None:
                claimed.append(circle)
        await self.memberships.release(tenant_id, user_id, dead)
        return _oldest_first(held), _oldest_first(claimed), dead

    async def ensure_index(self) -> None:
        """Build the membership index once per store (a store from before it has none)."""
        if self._indexed:
            return
        async with self._indexing:
            if not self._indexed and not await self.memberships.is_built():
                await self._build_index()
            self._indexed = True

    async def _build_index(self) -> None:
        circles = await self.all()
        if not circles:
            return  # nothing to index, and nothing is stored (a new store stays empty)
        # check-ins and goals of people who left before circles recorded who left
        authors: dict[str, set[str]] = {}
        for collection in (CHECKINS, GOALS):
            for doc in (await self.store.all(collection)).values():
                authors.setdefault(doc["circle_id"], set()).add(doc["user_id"])
        for circle in circles:
            if authors.get(circle.id, set()) - set(circle.people):
                await self.change(circle.id, lambda c: _with_former(c, authors[c.id]))
        places: dict[tuple[str, str], list[Place]] = {}
        for circle in circles:
            if circle.state.is_open:
                for user_id in circle.member_ids:
                    place = Place(circle.id, circle.created_at, BUILT_TOKEN)
                    places.setdefault((circle.tenant_id, user_id), []).append(place)
        for (tenant_id, user_id), held in places.items():
            await self.memberships.add(tenant_id, user_id, held)
        await self.memberships.mark_built()

    async def save_checkin(self, checkin: CheckIn) -> bool:
        """Store ``checkin``; ``True`` when it replaced the member's check-in of that week."""
        replaced: list[bool] = []

        def apply(doc: dict[str, Any] | None) -> dict[str, Any]:
            replaced.append(doc is not None)  # the last attempt is the one written
            return checkin.to_doc()

        await self.store.change(CHECKINS, checkin.key, apply)
        return replaced[-1]

    async def checkin(self, circle_id: str, week: int, user_id: str) -> CheckIn | None:
        doc = await self.store.get(CHECKINS, checkin_key(circle_id, week, user_id))
        return CheckIn.from_doc(doc) if doc else None

    @staticmethod
    def progress_keys(circle: Circle) -> list[tuple[str, str]]:
        """The ``(collection, key)`` documents :meth:`progress` reads: every week's possible
        check-in and the goal of each member and former member."""
        goals = [(GOALS, goal_key(circle.id, u)) for u in circle.people]
        return [*_checkin_keys(circle), *goals]

    async def progress(self, circle: Circle) -> tuple[list[CheckIn], list[Goal]]:
        """The circle's check-ins (by week, then user) and goals, of its members and of
        members who left, in one read of their keys (never the whole collections)."""
        await self.ensure_index()  # a store from before ``former`` learns who left first
        found = await self.store.get_many(self.progress_keys(circle))
        done = [CheckIn.from_doc(d) for (c, _), d in found.items() if d and c == CHECKINS]
        set_ = [Goal.from_doc(d) for (c, _), d in found.items() if d and c == GOALS]
        return sorted(done, key=_by_week), set_

    async def checkins_of(self, circles: Iterable[Circle]) -> dict[str, list[CheckIn]]:
        """Each circle's check-ins (by week, then user), of members and former members,
        all in one read of their keys."""
        wanted = list(circles)
        if not wanted:
            return {}
        await self.ensure_index()
        by_circle: dict[str, list[CheckIn]] = {c.id: [] for c in wanted}
        keys = [key for c in wanted for key in _checkin_keys(c)]
        for doc in (await self.store.get_many(keys)).values():
            if doc:
                by_circle[doc["circle_id"]].append(CheckIn.from_doc(doc))
        return {cid: sorted(found, key=_by_week) for cid, found in by_circle.items()}

    async def checkins(self, circle: Circle) -> list[CheckIn]:
        return (await self.checkins_of([circle]))[circle.id]

    async def all_checkins(self) -> dict[str, list[CheckIn]]:
        """Every check-in by circle id, in one read of the collection (for a report over
        every circle; a turn reads one circle's by key)."""
        by_circle: dict[str, list[CheckIn]] = {}
        for doc in (await self.store.all(CHECKINS)).values():
            by_circle.setdefault(doc["circle_id"], []).append(CheckIn.from_doc(doc))
        return {cid: sorted(found, key=_by_week) for cid, found in by_circle.items()}

    async def save_goal(self, goal: Goal) -> None:
        await self.store.put(GOALS, goal_key(goal.circle_id, goal.user_id), goal.to_doc())

    async def goals(self, circle: Circle) -> list[Goal]:
        return (await self.progress(circle))[1]


def _checkin_keys(circle: Circle) -> list[tuple[str, str]]:
    weeks = range(1, WEEKS_IN_PROGRAMME + 1)
    return [(CHECKINS, checkin_key(circle.id, w, u)) for u in circle.people for w in weeks]


def _by_week(checkin: CheckIn) -> tuple[int, str]:
    return checkin.week, checkin.user_id


def _oldest_first(circles: list[Circle]) -> list[Circle]:
    return sorted(circles, key=lambda c: c.created_at)


def _with_former(circle: Circle, authors: set[str]) -> Circle | None:
    missing = sorted(authors - set(circle.people))
    return replace(circle, former=(*circle.former, *missing)) if missing else None
