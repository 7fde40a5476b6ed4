"""Reading and writing adoption facts through the document store.

Layout: ``adoption.teams`` holds one document per team; each team's threads
live in their own collection (``adoption.threads.<team id>``) so that a team's
batch write touches only that team's file. A sync also keeps ``adoption.cursors``
(delta links per channel), ``adoption.tenant`` (usage-report totals) and one weekly
rollup per team in ``adoption.rollup.<team id>`` (see :mod:`adoption.rollup_doc`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from adoption.facts import TeamFact, ThreadFact
from adoption.ports import Documents
from adoption.rollup_doc import (
    RollupDocError,
    decode,
    is_current,
    legacy_rollup,
    new_doc,
    replace_weeks,
)
from adoption.rollups import ROLLUPS, TeamRollup, touched_weeks, week_tallies

log = logging.getLogger(__name__)

TEAMS = "adoption.teams"
# Delta cursors, one document per team: {"channels": {channel id: delta link}}.
CURSORS = "adoption.cursors"
# Usage-report totals, one document per report period (D7, D30).
TENANT = "adoption.tenant"


def _slug(team_id: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", team_id.lower()).strip("-")[:100] or "team"


def threads_collection(team_id: str) -> str:
    """Collection name for a team's threads (team ids are GUIDs; anything else is slugged)."""
    return f"adoption.threads.{_slug(team_id)}"


def rollup_collection(team_id: str) -> str:
    """Collection name for a team's weekly rollup (one document, key = team id)."""
    return f"adoption.rollup.{_slug(team_id)}"


class AdoptionRepository:
    """Facts in and out of a :class:`Documents` store."""

    def __init__(self, store: Documents) -> None:
        self.store = store

    async def save_team(self, team: TeamFact) -> None:
        await self.store.put(TEAMS, team.id, team.to_doc())

    async def save_teams(self, teams: Iterable[TeamFact]) -> None:
        """Insert or replace several team documents in one batch write."""
        await self.store.put_many(TEAMS, {t.id: t.to_doc() for t in teams})

    async def teams(self) -> list[TeamFact]:
        docs = await self.store.read_all(TEAMS)
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
        the zone changed, or when the team has no current rollup yet) from the team's
        threads; closed weeks no changed thread touches are kept as stored.

        ``complete``: ``changed`` is every thread of the team (a first sync), so the rollup
        is built from it without reading the threads back."""
        collection = rollup_collection(team_id)
        if complete:
            await self._write_rollup(team_id, new_doc(tz.key, week_tallies(changed, tz)))
            return
        doc = await self.store.get(collection, team_id)
        if rebuild or not is_current(doc, tz.key):
            tallies = week_tallies(await self.threads(team_id), tz)
            await self._write_rollup(team_id, new_doc(tz.key, tallies))
            return
        assert doc is not None  # is_current
        only = touched_weeks(changed, tz)
        if not only:
            return
        fresh = week_tallies(await self.threads(team_id), tz, only)
        await self.store.put(collection, team_id, replace_weeks(doc, only, fresh))

    async def _write_rollup(self, team_id: str, doc: dict[str, Any]) -> None:
        """Store a rollup built from scratch and drop the team's old-format one, if any."""
        await self.store.put(rollup_collection(team_id), team_id, doc)
        await self.store.delete(ROLLUPS, team_id)

    async def rollups(
        self,
        tz: ZoneInfo,
        teams: Sequence[TeamFact],
        *,
        weeks: Collection[str] | None = None,
    ) -> dict[str, TeamRollup] | None:
        """Weekly rollups by team id, or ``None`` unless every team has a readable one in
        ``tz`` (the report then measures the threads). ``weeks``: the week labels needed.

        The report's port (``/work/notes/rollup_port.md``). An old-format rollup (before
        version 2) is converted in memory; the team's next sync stores the new format."""
        out: dict[str, TeamRollup] = {}
        legacy: dict[str, dict[str, Any]] | None = None
        for team in teams:
            doc = (await self.store.read_all(rollup_collection(team.id))).get(team.id)
            try:
                if doc is not None:
                    if not is_current(doc, tz.key):
                        return None
                    out[team.id] = decode(doc, weeks)
                    continue
                if legacy is None:
                    legacy = await self.store.read_all(ROLLUPS)
                old = legacy.get(team.id)
                if old is None or old.get("tz") != tz.key:
                    return None
                out[team.id] = legacy_rollup(old)
            except RollupDocError as exc:
                log.warning("rollup of team %s unreadable, reading threads: %s", team.id, exc)
                return None
        return out
