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
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wol_circles.errors import UnknownCircle
from wol_circles.model import CheckIn, Circle, Goal, checkin_key, fold_name
from wol_circles.ports import Documents

CIRCLES = "circles.circles"
NAMES = "circles.names"
CHECKINS = "circles.checkins"
GOALS = "circles.goals"


def name_key(tenant_id: str, name: str) -> str:
    return f"{tenant_id}|{fold_name(name)}"


class CircleRepository:
    """Async persistence of the circles package; no rules live here."""

    COLLECTIONS = (CIRCLES, NAMES, CHECKINS, GOALS)

    def __init__(self, store: Documents) -> None:
        self.store = store

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
        self, tenant_id: str, user_id: str, *, open_only: bool = True
    ) -> list[Circle]:
        """The circles ``user_id`` is a member of (open ones unless told otherwise)."""
        found = await self.circles(tenant_id, open_only=open_only)
        return [c for c in found if c.has_member(user_id)]

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

    async def checkins(self, circle_id: str) -> list[CheckIn]:
        docs = await self.store.all(CHECKINS)
        found = (CheckIn.from_doc(d) for d in docs.values() if d["circle_id"] == circle_id)
        return sorted(found, key=lambda c: (c.week, c.user_id))

    async def save_goal(self, goal: Goal) -> None:
        await self.store.put(GOALS, f"{goal.circle_id}|{goal.user_id}", goal.to_doc())

    async def goals(self, circle_id: str) -> list[Goal]:
        docs = await self.store.all(GOALS)
        return [Goal.from_doc(d) for d in docs.values() if d["circle_id"] == circle_id]
