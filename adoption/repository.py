"""Reading and writing adoption facts: the repository and its document implementation.

:class:`AdoptionRepository` is what the tracker, the report and the bot use; it reads and
writes through an :class:`~adoption.ports.AdoptionFacts`: the store's own when it offers
one (PostgreSQL: tables, weeks aggregated in SQL), else :class:`DocumentFacts`.

Document layout (TinyDB, memory): ``adoption.teams`` holds one document per team; each
team's threads live in their own collection (``adoption.threads.<team id>``) so that a team's
batch write touches only that team's file. A sync also keeps each team's delta links per
channel in ``adoption.cursors.<team id>`` (see :mod:`adoption.cursor_doc`; the shared
``adoption.cursors`` of earlier releases is still read), ``adoption.tenant`` (usage-report
totals) and one weekly rollup per team in ``adoption.rollup.<team id>`` (see
:mod:`adoption.rollup_doc`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from adoption import cursor_doc
from adoption.cursor_doc import slug
from adoption.facts import TeamFact, ThreadFact, by_name
from adoption.ports import AdoptionFacts, Documents, FactsProvider, Offload, inline
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
# Usage-report totals, one document per report period (D7, D30).
TENANT = "adoption.tenant"


def threads_collection(team_id: str) -> str:
    """Collection name for a team's threads (team ids are GUIDs; anything else is slugged)."""
    return f"adoption.threads.{slug(team_id)}"


def rollup_collection(team_id: str) -> str:
    """Collection name for a team's weekly rollup (one document, key = team id)."""
    return f"adoption.rollup.{slug(team_id)}"


def _team_facts(docs: Iterable[dict[str, Any]]) -> list[TeamFact]:
    return by_name(TeamFact.from_doc(d) for d in docs)


class DocumentFacts:
    """Facts as documents of a :class:`Documents` store (TinyDB, memory)."""

    def __init__(self, store: Documents) -> None:
        self.store = store

    async def save_team(self, team: TeamFact) -> None:
        await self.store.put(TEAMS, team.id, team.to_doc())

    async def save_teams(self, teams: Iterable[TeamFact]) -> None:
        """Insert or replace several team documents in one batch write."""
        await self.store.put_many(TEAMS, {t.id: t.to_doc() for t in teams})

    async def teams(self, offload: Offload = inline) -> list[TeamFact]:
        docs = await self.store.read_all(TEAMS)  # never changed in place: safe in a thread
        return await offload(partial(_team_facts, docs.values()))

    async def team(self, team_id: str) -> TeamFact | None:
        doc = await self.store.get(TEAMS, team_id)
        return TeamFact.from_doc(doc) if doc else None

    async def save_threads(self, team_id: str, threads: Iterable[ThreadFact]) -> int:
        """Insert or replace threads in one batch write; returns how many."""
        batch = {t.key: t.to_doc() for t in threads}
        await self.store.put_many(threads_collection(team_id), batch, owned=True)
        return len(batch)

    async def threads(self, team_id: str) -> list[ThreadFact]:
        docs = await self.store.all(threads_collection(team_id))
        return sorted((ThreadFact.from_doc(d) for d in docs.values()), key=lambda t: t.root.created)

    async def cursors(self, team_id: str) -> dict[str, str]:
        """The team's stored delta links by channel id (empty before the first sync)."""
        return await cursor_doc.read_cursors(self.store, team_id)

    async def save_cursors(
        self, team_id: str, cursors: dict[str, str], *, since: dict[str, str] | None = None
    ) -> None:
        """Store the team's delta links in its own collection; call only after their facts
        are stored (see :func:`adoption.cursor_doc.save_cursors` for ``since``)."""
        await cursor_doc.save_cursors(self.store, team_id, cursors, since)

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

    async def refresh_rollup(self, team_id: str) -> bool:
        """Rebuild the team's rollup from its threads, in the zone it was in."""
        rollup = await self.store.get(rollup_collection(team_id), team_id)
        rollup = rollup or await self.store.get(ROLLUPS, team_id)  # an old-format one
        if rollup is None:
            return False
        await self.update_rollup(team_id, (), ZoneInfo(rollup["tz"]), rebuild=True)
        return True

    async def rollups(
        self,
        tz: ZoneInfo,
        teams: Sequence[TeamFact],
        *,
        weeks: Collection[str] | None = None,
        offload: Offload = inline,
    ) -> dict[str, TeamRollup] | None:
        """Weekly rollups by team id, or ``None`` unless every team has a readable one in
        ``tz`` (the report then measures the threads). ``weeks``: the week labels needed;
        ``offload``: where the documents are decoded (most of the read's time).

        The report's port (``/work/notes/rollup_port.md``). An old-format rollup (before
        version 2) is converted in memory; the team's next sync stores the new format."""
        readers: dict[str, Callable[[], TeamRollup]] = {}  # each team's decoding, run below
        legacy: dict[str, dict[str, Any]] | None = None
        # one batch: awaiting 2,000 reads one by one parsed their files on the event loop
        stored = await self.store.read_all_many(rollup_collection(t.id) for t in teams)
        for team in teams:
            doc = stored[rollup_collection(team.id)].get(team.id)
            if doc is not None:
                if not is_current(doc, tz.key):
                    return None
                # read_all's documents are never changed in place: safe in another thread
                readers[team.id] = partial(decode, doc, weeks)
                continue
            if legacy is None:
                legacy = await self.store.read_all(ROLLUPS)
            old = legacy.get(team.id)
            if old is None or old.get("tz") != tz.key:
                return None
            readers[team.id] = partial(legacy_rollup, old)

        def decode_all() -> dict[str, TeamRollup] | tuple[str, RollupDocError]:
            decoded = {}
            for team_id, read in readers.items():
                try:
                    decoded[team_id] = read()
                except RollupDocError as exc:
                    return team_id, exc  # the first unreadable one: threads are read
            return decoded

        found = await offload(decode_all)
        if isinstance(found, tuple):
            log.warning("rollup of team %s unreadable, reading threads: %s", *found)
            return None
        return found


def facts_for(store: Documents) -> AdoptionFacts:
    """The store's own facts when it keeps them its own way, else documents in it."""
    if isinstance(store, FactsProvider):
        return store.adoption_facts()
    return DocumentFacts(store)


class AdoptionRepository:
    """The adoption facts of the store in use (see :func:`facts_for`).

    ``store`` stays reachable for the tracker's own documents (``adoption.meta``).
    """

    def __init__(self, store: Documents, facts: AdoptionFacts | None = None) -> None:
        self.store = store
        self.facts = facts if facts is not None else facts_for(store)

    async def save_team(self, team: TeamFact) -> None:
        await self.facts.save_team(team)

    async def teams(self, offload: Offload = inline) -> list[TeamFact]:
        """Every team, by name ignoring case (``offload``: where rows become facts)."""
        return await self.facts.teams(offload)

    async def team(self, team_id: str) -> TeamFact | None:
        return await self.facts.team(team_id)

    async def save_threads(self, team_id: str, threads: Iterable[ThreadFact]) -> int:
        """Insert or replace threads in one batch write; returns how many."""
        return await self.facts.save_threads(team_id, threads)

    async def threads(self, team_id: str) -> list[ThreadFact]:
        return await self.facts.threads(team_id)

    async def cursors(self, team_id: str) -> dict[str, str]:
        """The team's stored delta links by channel id (empty before the first sync)."""
        return await self.facts.cursors(team_id)

    async def save_teams(self, teams: Iterable[TeamFact]) -> None:
        """Insert or replace several teams in one batch."""
        await self.facts.save_teams(teams)

    async def save_cursors(
        self, team_id: str, cursors: dict[str, str], *, since: dict[str, str] | None = None
    ) -> None:
        """Store the team's delta links (see :meth:`DocumentFacts.save_cursors`); call only
        after their facts are stored."""
        await self.facts.save_cursors(team_id, cursors, since=since)

    async def delete_threads(self, team_id: str, keys: Iterable[str]) -> int:
        """Remove threads whose root was deleted or is no longer a human post."""
        return await self.facts.delete_threads(team_id, keys)

    async def save_tenant_usage(self, period: str, doc: dict[str, object]) -> None:
        """Store the usage-report totals for ``period`` (counts and pseudonymised ids only)."""
        await self.facts.save_tenant_usage(period, doc)

    async def tenant_usage(self) -> dict[str, dict[str, object]]:
        """Usage documents by period (``D7``, ``D30``)."""
        return await self.facts.tenant_usage()

    async def update_rollup(
        self,
        team_id: str,
        changed: Iterable[ThreadFact],
        tz: ZoneInfo,
        *,
        rebuild: bool = False,
        complete: bool = False,
    ) -> None:
        """Keep the team's weekly tallies current (see :meth:`DocumentFacts.update_rollup`)."""
        await self.facts.update_rollup(team_id, changed, tz, rebuild=rebuild, complete=complete)

    async def refresh_rollup(self, team_id: str) -> bool:
        """Rebuild the team's stored tallies from its threads; ``True`` when it had some."""
        return await self.facts.refresh_rollup(team_id)

    async def rollups(
        self,
        tz: ZoneInfo,
        teams: Sequence[TeamFact],
        *,
        weeks: Collection[str] | None = None,
        offload: Offload = inline,
    ) -> dict[str, TeamRollup] | None:
        """Weekly rollups by team id, or ``None`` unless available for every team in ``tz``
        (the report's port: ``/work/notes/rollup_port.md``); ``offload``: where decoding
        runs."""
        return await self.facts.rollups(tz, teams, weeks=weeks, offload=offload)
