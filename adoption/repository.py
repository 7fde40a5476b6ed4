"""Reading and writing adoption facts through the document store.

Layout: ``adoption.teams`` holds one document per team; each team's threads
live in their own collection (``adoption.threads.<team id>``) so that a team's
batch write touches only that team's file. A sync also keeps ``adoption.cursors``
(delta links per channel), ``adoption.tenant`` (usage-report totals) and
``adoption.rollups`` (weekly tallies per team and channel, see :mod:`adoption.rollups`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from adoption.facts import TeamFact, ThreadFact
from adoption.ports import Documents
from adoption.rollups import ROLLUPS, Tally, touched_weeks, week_tallies

TEAMS = "adoption.teams"
# Delta cursors, one document per team: {"channels": {channel id: delta link}}.
CURSORS = "adoption.cursors"
# Usage-report totals, one document per report period (D7, D30).
TENANT = "adoption.tenant"


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

    async def cursors(self, team_id: str) -> dict[str, str]:
        """The team's stored delta links by channel id (empty before the first sync)."""
        doc = await self.store.get(CURSORS, team_id)
        return dict(doc.get("channels", {})) if doc else {}

    async def save_cursors(
        self, team_id: str, cursors: dict[str, str], *, since: dict[str, str] | None = None
    ) -> None:
        """Store the team's delta links; call only after their facts are stored.

        ``since``: the links this sync started from. A channel whose stored link is no
        longer that one was advanced by another sync meanwhile (another instance): its
        newer link stays. The write is conditional and retried on conflict, so two syncs
        never lose each other's channels."""

        def merge(doc: dict[str, Any] | None) -> dict[str, Any]:
            if since is None:
                return {"channels": dict(cursors)}
            stored = dict(doc.get("channels", {})) if doc else {}
            for channel, link in cursors.items():
                if stored.get(channel) == since.get(channel):
                    stored[channel] = link
            return {"channels": stored}

        await self.store.change(CURSORS, team_id, merge)

    async def delete_threads(self, team_id: str, keys: Iterable[str]) -> int:
        """Remove threads whose root was deleted or is no longer a human post."""
        collection = threads_collection(team_id)
        return sum([await self.store.delete(collection, key) for key in keys])

    async def save_tenant_usage(self, period: str, doc: dict[str, object]) -> None:
        """Store the usage-report totals for ``period`` (counts and pseudonymised ids only)."""
        await self.store.put(TENANT, period, doc)

    async def tenant_usage(self) -> dict[str, dict[str, object]]:
        """Usage documents by period (``D7``, ``D30``)."""
        return await self.store.all(TENANT)

    async def update_rollup(
        self,
        team_id: str,
        changed: Iterable[ThreadFact],
        tz: ZoneInfo,
        *,
        rebuild: bool = False,
        complete: bool = False,
    ) -> None:
        """Recompute the weeks ``changed`` threads touch (all weeks when ``rebuild``, when
        the zone changed, or when the team has no rollup yet) from the team's threads.

        ``complete``: ``changed`` is every thread of the team (a first sync), so the rollup
        is built from it without reading the threads back."""
        if complete:
            weeks = week_tallies(changed, tz)
            await self.store.put(ROLLUPS, team_id, {"tz": tz.key, "weeks": weeks})
            return
        doc = await self.store.get(ROLLUPS, team_id)
        if rebuild or doc is None or doc.get("tz") != tz.key:
            weeks_doc: dict[str, Any] = {}
            only: set[str] | None = None
        else:
            weeks_doc = dict(doc["weeks"])
            only = touched_weeks(changed, tz)
            if not only:
                return
        fresh = week_tallies(await self.threads(team_id), tz, only)
        for label in only or ():
            weeks_doc.pop(label, None)
        weeks_doc.update(fresh)
        await self.store.put(ROLLUPS, team_id, {"tz": tz.key, "weeks": weeks_doc})

    async def rollups(
        self, tz: ZoneInfo, teams: list[TeamFact]
    ) -> dict[str, dict[str, dict[str, Tally]]] | None:
        """Weekly tallies by team id, or ``None`` unless every team has one in ``tz``."""
        docs = await self.store.all(ROLLUPS)
        out = {}
        for team in teams:
            doc = docs.get(team.id)
            if doc is None or doc.get("tz") != tz.key:
                return None
            out[team.id] = doc["weeks"]
        return out
