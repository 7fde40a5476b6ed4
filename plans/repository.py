"""Goals and the loop log in and out of the store (``plans.goals``, ``plans.loops``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from plans.goals import Goal
from plans.log import LoopEntry
from plans.ports import Documents

GOALS = "plans.goals"
LOOPS = "plans.loops"


class PlanRepository:
    """Async persistence of plans; no rules live here."""

    COLLECTIONS = (GOALS, LOOPS)

    def __init__(self, store: Documents) -> None:
        self.store = store

    async def next_goal_id(self) -> str:
        """A short id for `plan remove <id>`: ``g1``, ``g2``… (never reused while stored)."""
        used = {int(k[1:]) for k in await self.store.all(GOALS) if k[1:].isdigit()}
        return f"g{max(used, default=0) + 1}"

    async def add_goal(self, goal: Goal) -> bool:
        """Store a new goal; ``False`` when its id is already taken."""
        return await self.store.insert_if_absent(GOALS, goal.id, goal.to_doc())

    async def goals(self, team_id: str | None = None) -> list[Goal]:
        docs = (await self.store.all(GOALS)).values()
        goals = sorted((Goal.from_doc(d) for d in docs), key=lambda g: (g.due, g.id))
        return [g for g in goals if team_id is None or g.team_id == team_id]

    async def remove_goal(self, goal_id: str) -> bool:
        return await self.store.delete(GOALS, goal_id.strip().lower())

    async def set_celebrate(self, goal_id: str, on: bool) -> bool:
        """Switch a goal's celebration on or off; ``False`` when there is no such goal."""
        key = goal_id.strip().lower()

        def switch(doc: dict[str, Any] | None) -> dict[str, Any] | None:
            return None if doc is None else {**doc, "celebrate": on}

        return await self.store.change(GOALS, key, switch) is not None

    async def log_loop(self, entry: LoopEntry) -> bool:
        """Record a fired loop once; ``False`` when its key (team, kind, week) was logged."""
        return await self.store.insert_if_absent(LOOPS, entry.key, entry.to_doc())

    async def mark_acted(self, key: str, *, by: str, at: datetime) -> bool:
        """Record who acted on the loop ``key`` (the first one counts); ``False`` when the
        key was never logged or someone acted already."""
        first: list[bool] = []

        def act(doc: dict[str, Any] | None) -> dict[str, Any] | None:
            first.append(doc is not None and not doc.get("acted_by"))
            if doc is None or not first[-1]:
                return None
            return {**doc, "acted_by": by, "acted_at": at.isoformat()}

        await self.store.change(LOOPS, key, act)
        return first[-1]

    async def loops(self) -> list[LoopEntry]:
        docs = (await self.store.all(LOOPS)).values()
        return sorted((LoopEntry.from_doc(d) for d in docs), key=lambda e: e.fired_at)

    async def sent_keys(self) -> frozenset[str]:
        return frozenset(await self.store.all(LOOPS))
