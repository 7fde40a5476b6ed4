"""``trimtab migrate``, adoption facts: from TinyDB documents into PostgreSQL's tables.

Teams, threads, delta cursors and usage totals are read through the document
implementation of the facts port and written through the PostgreSQL one, so they land in
``adoption_teams``/``adoption_channels``, ``adoption_messages``, ``adoption_cursors`` and
``adoption_tenant_usage``. Only what differs is written (a second run writes nothing).
Weekly rollups are not copied: PostgreSQL aggregates them in SQL from the messages, in
the zone the data dir's were in, for teams whose threads changed or that have none there.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TextIO, TypeVar
from zoneinfo import ZoneInfo

from adoption.cursor_doc import LEGACY, cursors_collection, is_cursors
from adoption.facts import ThreadFact
from adoption.ports import AdoptionFacts
from adoption.repository import (
    TEAMS,
    TENANT,
    DocumentFacts,
    rollup_collection,
    threads_collection,
)
from adoption.rollups import ROLLUPS
from bot.storage import TinyDBStore

T = TypeVar("T")


def is_rollup(collection: str) -> bool:
    """Derived weekly rollups (``adoption.rollups``, or one ``adoption.rollup.<team>`` each)."""
    return collection == ROLLUPS or collection.startswith("adoption.rollup.")


async def fact_collections(source: TinyDBStore) -> set[str]:
    """The source's collections that hold facts (they go to tables, not documents)."""
    names = {TEAMS, LEGACY, TENANT}
    for team_id in await source.all(TEAMS):
        names |= {threads_collection(team_id), cursors_collection(team_id)}
    collections = await source.collections()
    return names | {name for name in collections if is_rollup(name) or is_cursors(name)}


class FactsUnreadableError(Exception):
    """A fact document of the data dir cannot be read as a fact; names its collection."""


async def _read(collection: str, read: Awaitable[T]) -> T:
    try:
        return await read
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise FactsUnreadableError(
            f"{collection}: a document is not a well-formed fact ({type(error).__name__}: "
            f"{error}); fix or remove it and run again (the data dir is only read)"
        ) from None


def _line(out: TextIO, what: str, total: int, written: int, unit: str = "rows") -> None:
    print(f"{what}: {total} {unit}, {written} written, {total - written} already there", file=out)


async def copy_facts(source: TinyDBStore, target: AdoptionFacts, out: TextIO) -> None:
    """Copy the facts of ``source`` into the tables behind ``target``; a line per table."""
    facts = DocumentFacts(source)
    teams = await _read(TEAMS, facts.teams())
    changed_teams = [t for t in teams if await target.team(t.id) != t]
    for team in changed_teams:
        await target.save_team(team)
    _line(out, f"{TEAMS} -> adoption_teams", len(teams), len(changed_teams), "teams")
    threads = messages = written = 0
    zones: dict[str, int] = {}
    for team in teams:
        theirs = await _read(threads_collection(team.id), facts.threads(team.id))
        ours: dict[str, ThreadFact] = {t.key: t for t in await target.threads(team.id)}
        changed = [t for t in theirs if ours.get(t.key) != t]
        threads += len(theirs)
        messages += sum(1 + len(t.replies) for t in theirs)
        written += await target.save_threads(team.id, changed)
        zone = await _rollup_zone(source, team.id)
        if zone is not None:  # aggregated in SQL: the changed weeks, or all if it has none
            await target.update_rollup(team.id, changed, ZoneInfo(zone))
            zones[zone] = zones.get(zone, 0) + 1
    _line(out, f"adoption.threads.* -> adoption_messages ({messages} messages)", threads,
          written, "threads")  # fmt: skip
    for zone, count in sorted(zones.items()):
        print(f"adoption.rollup.* -> adoption_rollups: {count} teams in {zone}, "
              "aggregated in SQL from adoption_messages", file=out)  # fmt: skip
    cursor_teams = set(await source.all(LEGACY))  # an earlier release's shared collection
    for team in teams:
        if await source.get(cursors_collection(team.id), team.id) is not None:
            cursor_teams.add(team.id)
    changed_cursors = 0
    for team_id in sorted(cursor_teams):
        links = await facts.cursors(team_id)
        if await target.cursors(team_id) != links:
            await target.save_cursors(team_id, links)
            changed_cursors += 1
    _line(out, f"{LEGACY}.* -> adoption_cursors", len(cursor_teams), changed_cursors, "teams")
    usage, current = await facts.tenant_usage(), await target.tenant_usage()
    changed_usage = {k: d for k, d in usage.items() if current.get(k) != d}
    for period, doc in changed_usage.items():
        await target.save_tenant_usage(period, doc)
    _line(out, f"{TENANT} -> adoption_tenant_usage", len(usage), len(changed_usage), "periods")


async def _rollup_zone(source: TinyDBStore, team_id: str) -> str | None:
    """The zone of the team's rollup in the data dir (current or old format), if any."""
    doc = await source.get(rollup_collection(team_id), team_id)
    doc = doc or await source.get(ROLLUPS, team_id)
    zone = doc.get("tz") if doc else None
    return zone if isinstance(zone, str) else None
