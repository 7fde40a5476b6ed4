"""Adoption facts in PostgreSQL tables (migration 2), the ``AdoptionFacts`` of a PostgresStore.

Teams, their channels, every message of every thread (ids, timestamps and counts; never a
body), delta cursors and usage-report totals are rows with indexes, not JSON documents.
Weekly rollups are aggregated in SQL from the messages (:mod:`bot.storage.postgres_rollups`)
when a sync saves them, for the weeks it touched, and read as rows by the report.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from itertools import groupby
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import psycopg
from psycopg.types.json import Jsonb

from adoption.facts import ChannelFact, MessageFact, TeamFact, ThreadFact, by_name
from adoption.ports import Offload, inline
from adoption.rollups import TeamRollup, touched_weeks
from bot.storage.postgres_rollups import read_rollups, store_weeks

_INSERT_CURSOR = (
    "INSERT INTO adoption_cursors (team_id, channel_id, delta_link) VALUES (%s, %s, %s)"
    " ON CONFLICT (team_id, channel_id) DO NOTHING"
)
_ADVANCE_CURSOR = (
    "INSERT INTO adoption_cursors (team_id, channel_id, delta_link) VALUES (%s, %s, %s)"
    " ON CONFLICT (team_id, channel_id) DO UPDATE SET delta_link = EXCLUDED.delta_link"
    " WHERE adoption_cursors.delta_link = %s"
)


class Connections(Protocol):
    """Where the connections come from (a ``PostgresStore``)."""

    def connection(self) -> AbstractAsyncContextManager[psycopg.AsyncConnection]: ...


MESSAGE_COLUMNS = (
    "team_id, channel_id, root_id, seq, id, author, created, mentions, reactions, "
    "root_is_post, root_author, root_created"
)
#: the columns' types, for a binary COPY (psycopg dumps each value in C, no text formatting)
MESSAGE_TYPES = (
    "text", "text", "text", "int4", "text", "text", "timestamptz", "int4", "int4",
    "bool", "text", "timestamptz",
)  # fmt: skip
_SAVE_TEAM = """
INSERT INTO adoption_teams (id, name, member_ids, synced_at, collected_since, targets)
VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, member_ids = EXCLUDED.member_ids,
    synced_at = EXCLUDED.synced_at, collected_since = EXCLUDED.collected_since,
    targets = EXCLUDED.targets
"""
_TEAMS = """
SELECT t.id, t.name, t.member_ids, t.synced_at, t.collected_since, t.targets,
       coalesce(array_agg(c.id ORDER BY c.position) FILTER (WHERE c.id IS NOT NULL), '{}'),
       coalesce(array_agg(c.name ORDER BY c.position) FILTER (WHERE c.id IS NOT NULL), '{}'),
       coalesce(array_agg(c.membership_type ORDER BY c.position)
                FILTER (WHERE c.id IS NOT NULL), '{}')
FROM adoption_teams t LEFT JOIN adoption_channels c ON c.team_id = t.id
WHERE %s::text IS NULL OR t.id = %s
GROUP BY t.id
"""
_DELETE_THREADS = """
DELETE FROM adoption_messages m USING unnest(%s::text[], %s::text[]) AS k(channel_id, root_id)
WHERE m.team_id = %s AND m.channel_id = k.channel_id AND m.root_id = k.root_id
"""


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None


def message_rows(team_id: str, thread: ThreadFact) -> Iterable[tuple[Any, ...]]:
    """The thread's rows of ``adoption_messages``: its root (seq 0), then its replies."""
    root = thread.root
    common = (thread.root_is_post, root.author, root.created)
    for seq, m in enumerate((root, *thread.replies)):
        yield (team_id, thread.channel_id, root.id, seq, m.id, m.author, m.created,
               m.mentions, m.reactions, *common)  # fmt: skip


def _split_key(key: str) -> tuple[str, str]:
    channel, _, root = key.rpartition("|")
    return channel, root


def _team_facts(rows: list[Any]) -> list[TeamFact]:
    """Teams from their rows (team, name, members, synced, since, targets, channel ids,
    names and kinds)."""
    return [
        TeamFact(
            id=tid,
            name=name,
            member_ids=tuple(members),
            channels=tuple(ChannelFact(*c) for c in zip(ids, names, kinds, strict=True)),
            synced_at=_utc(synced),
            targets=dict(targets),
            collected_since=_utc(since),
        )
        for tid, name, members, synced, since, targets, ids, names, kinds in rows
    ]


class PostgresFacts:
    """:class:`adoption.ports.AdoptionFacts` on the tables of migration 2."""

    def __init__(self, store: Connections) -> None:
        self._store = store

    async def save_team(self, team: TeamFact) -> None:
        async with self._store.connection() as conn, conn.transaction():
            await conn.execute(
                _SAVE_TEAM,
                (team.id, team.name, list(team.member_ids), team.synced_at,
                 team.collected_since, Jsonb(dict(team.targets))),
            )  # fmt: skip
            await conn.execute("DELETE FROM adoption_channels WHERE team_id = %s", (team.id,))
            async with conn.cursor() as cur:
                await cur.executemany(
                    "INSERT INTO adoption_channels (team_id, position, id, name, membership_type)"
                    " VALUES (%s, %s, %s, %s, %s)",
                    [(team.id, i, c.id, c.name, c.membership_type)
                     for i, c in enumerate(team.channels)],
                )  # fmt: skip

    async def _rows(self, team_id: str | None) -> list[Any]:
        async with self._store.connection() as conn:
            cur = await conn.execute(_TEAMS, (team_id, team_id))
            return await cur.fetchall()

    async def _teams(self, team_id: str | None) -> list[TeamFact]:
        return _team_facts(await self._rows(team_id))

    async def teams(self, offload: Offload = inline) -> list[TeamFact]:
        rows = await self._rows(None)
        return await offload(lambda: by_name(_team_facts(rows)))

    async def team(self, team_id: str) -> TeamFact | None:
        found = await self._teams(team_id)
        return found[0] if found else None

    async def save_threads(self, team_id: str, threads: Iterable[ThreadFact]) -> int:
        """Replace whole threads (delete their rows, COPY the new ones) in one transaction."""
        batch = {t.key: t for t in threads}
        if not batch:
            return 0
        channels, roots = zip(*(_split_key(k) for k in batch), strict=True)
        async with self._store.connection() as conn, conn.transaction():
            await conn.execute(_DELETE_THREADS, (list(channels), list(roots), team_id))
            async with (
                conn.cursor() as cur,
                cur.copy(
                    f"COPY adoption_messages ({MESSAGE_COLUMNS}) FROM STDIN (FORMAT BINARY)"
                ) as copy,
            ):
                copy.set_types(list(MESSAGE_TYPES))
                for thread in batch.values():
                    for row in message_rows(team_id, thread):
                        await copy.write_row(row)
        return len(batch)

    async def threads(self, team_id: str) -> list[ThreadFact]:
        async with self._store.connection() as conn:
            cur = await conn.execute(
                "SELECT channel_id, root_id, id, author, created, mentions, reactions,"
                " root_is_post FROM adoption_messages WHERE team_id = %s"
                " ORDER BY channel_id, root_id, seq",
                (team_id,),
            )
            rows = await cur.fetchall()
        threads = []
        for (channel, _), group in groupby(rows, key=lambda row: (row[0], row[1])):
            items = list(group)
            root, *replies = (
                MessageFact(mid, author, created.astimezone(UTC), mentions, reactions)
                for _, _, mid, author, created, mentions, reactions, _ in items
            )
            threads.append(ThreadFact(team_id, channel, root, tuple(replies), items[0][7]))
        return sorted(threads, key=lambda t: t.root.created)

    async def delete_threads(self, team_id: str, keys: Iterable[str]) -> int:
        pairs = [_split_key(k) for k in dict.fromkeys(keys)]
        if not pairs:
            return 0
        channels, roots = zip(*pairs, strict=True)
        async with self._store.connection() as conn:
            cur = await conn.execute(
                _DELETE_THREADS + " AND m.seq = 0", (list(channels), list(roots), team_id)
            )
            found = cur.rowcount
            await conn.execute(_DELETE_THREADS, (list(channels), list(roots), team_id))
        return found

    async def cursors(self, team_id: str) -> dict[str, str]:
        async with self._store.connection() as conn:
            cur = await conn.execute(
                "SELECT channel_id, delta_link FROM adoption_cursors WHERE team_id = %s",
                (team_id,),
            )
            return dict(await cur.fetchall())

    async def save_teams(self, teams: Iterable[TeamFact]) -> None:
        for team in teams:
            await self.save_team(team)

    async def save_cursors(
        self, team_id: str, cursors: dict[str, str], *, since: dict[str, str] | None = None
    ) -> None:
        """Without ``since`` replace the team's links; with it, compare and set per channel
        (a link another sync advanced meanwhile stays, other channels are kept)."""
        starts = since or {}
        new = [(team_id, c, link) for c, link in cursors.items() if starts.get(c) is None]
        advanced = [
            (team_id, c, link, starts[c])
            for c, link in cursors.items()
            if starts.get(c) is not None
        ]
        # executemany pipelines its rows: one round trip per kind, not one per channel
        async with self._store.connection() as conn, conn.transaction(), conn.cursor() as cur:
            if since is None:
                await cur.execute("DELETE FROM adoption_cursors WHERE team_id = %s", (team_id,))
            if new:
                await cur.executemany(_INSERT_CURSOR, new)
            if advanced:
                await cur.executemany(_ADVANCE_CURSOR, advanced)

    async def save_tenant_usage(self, period: str, doc: dict[str, object]) -> None:
        async with self._store.connection() as conn:
            await conn.execute(
                "INSERT INTO adoption_tenant_usage (period, doc) VALUES (%s, %s)"
                " ON CONFLICT (period) DO UPDATE SET doc = EXCLUDED.doc",
                (period, Jsonb(dict(doc))),
            )

    async def tenant_usage(self) -> dict[str, dict[str, object]]:
        async with self._store.connection() as conn:
            cur = await conn.execute("SELECT period, doc FROM adoption_tenant_usage")
            return dict(await cur.fetchall())

    async def update_rollup(
        self,
        team_id: str,
        changed: Iterable[ThreadFact],
        tz: ZoneInfo,
        *,
        rebuild: bool = False,
        complete: bool = False,
    ) -> None:
        """Re-aggregate (in SQL) the weeks ``changed`` threads touch; every week when
        ``rebuild``/``complete`` or when the team has no rollup in ``tz`` yet."""
        async with self._store.connection() as conn:
            if not (rebuild or complete):
                cur = await conn.execute(
                    "SELECT 1 FROM adoption_rollup_index WHERE team_id = %s AND tz = %s",
                    (team_id, tz.key),
                )
                if await cur.fetchone() is not None:
                    only = touched_weeks(changed, tz)
                    if only:
                        await store_weeks(conn, team_id, tz.key, only)
                    return
            await store_weeks(conn, team_id, tz.key, None)

    async def refresh_rollup(self, team_id: str) -> bool:
        """Rebuild the team's stored rollup from its messages, in the zone it was in."""
        async with self._store.connection() as conn:
            cur = await conn.execute(
                "SELECT tz FROM adoption_rollup_index WHERE team_id = %s", (team_id,)
            )
            row = await cur.fetchone()
            if row is None:
                return False
            await store_weeks(conn, team_id, row[0], None)
        return True

    async def rollups(
        self,
        tz: ZoneInfo,
        teams: Sequence[TeamFact],
        *,
        weeks: Collection[str] | None = None,
        offload: Offload = inline,
    ) -> dict[str, TeamRollup] | None:
        """Rollups of ``teams`` in ``tz``: the stored weeks, or aggregated now for a team
        without any in that zone (so never ``None``). ``offload`` is not used: rows are
        decoded as they stream from a server-side cursor."""
        # one snapshot; the server-side cursor needs a transaction (the pool is autocommit)
        async with self._store.connection() as conn, conn.transaction():
            return await read_rollups(conn, [t.id for t in teams], tz.key, weeks)
