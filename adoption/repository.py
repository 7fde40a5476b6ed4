"""Reading and writing adoption facts through the document store.

Layout: ``adoption.teams`` holds one document per team; each team's threads
live in their own collection (``adoption.threads.<team id>``) so that a team's
batch write touches only that team's file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from adoption.facts import TeamFact, ThreadFact
from adoption.ports import Documents

TEAMS = "adoption.teams"


def threads_collection(team_id: str) -> str:
    """Collection name for a team's threads (team ids are GUIDs; anything else is slugged)."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", team_id.lower()).strip("-")[:100] or "team"
    return f"adoption.threads.{slug}"


class AdoptionRepository:
    """Facts in and out of a :class:`Documents` store."""

    def __init__(self, store: Documents) -> None:
        self.store = store

    async def save_team(self, team: TeamFact) -> None:
        await self.store.put(TEAMS, team.id, team.to_doc())

    async def teams(self) -> list[TeamFact]:
        docs = await self.store.all(TEAMS)
        return sorted((TeamFact.from_doc(d) for d in docs.values()), key=lambda t: t.name.lower())

    async def team(self, team_id: str) -> TeamFact | None:
        doc = await self.store.get(TEAMS, team_id)
        return TeamFact.from_doc(doc) if doc else None

    async def save_threads(self, team_id: str, threads: Iterable[ThreadFact]) -> int:
        """Insert or replace threads in one batch write; returns how many."""
        batch = {t.key: t.to_doc() for t in threads}
        await self.store.put_many(threads_collection(team_id), batch)
        return len(batch)

    async def threads(self, team_id: str) -> list[ThreadFact]:
        docs = await self.store.all(threads_collection(team_id))
        return sorted((ThreadFact.from_doc(d) for d in docs.values()), key=lambda t: t.root.created)
