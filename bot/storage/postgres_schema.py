"""Numbered schema migrations of the PostgreSQL store.

``MIGRATIONS[n - 1]`` brings the schema from version ``n - 1`` to ``n``; a
migration is never edited once released, only new ones are appended. They run
at start (and with ``trimtab db upgrade``) in one transaction under an advisory
lock, so several instances starting together apply each one exactly once.
"""

from __future__ import annotations

import psycopg

from bot.storage.errors import SchemaTooNewError

MIGRATIONS: tuple[str, ...] = (
    # 1: JSON documents by collection and key; versions for conditional writes.
    """
    CREATE SEQUENCE trimtab_document_version;
    CREATE TABLE trimtab_documents (
        collection text NOT NULL,
        key text NOT NULL,
        doc jsonb NOT NULL,
        version bigint NOT NULL,
        PRIMARY KEY (collection, key)
    );
    """,
    # 2: adoption facts as tables (ids, timestamps and counts; never message bodies).
    # A thread is its root (seq 0) and its replies (seq 1..) in adoption_messages; each
    # row repeats its root's author, time and kind, so the weekly aggregation needs no join.
    """
    CREATE TABLE adoption_teams (
        id text PRIMARY KEY,
        name text NOT NULL,
        member_ids text[] NOT NULL DEFAULT '{}',
        synced_at timestamptz,
        collected_since timestamptz,
        targets jsonb NOT NULL DEFAULT '{}'
    );
    CREATE TABLE adoption_channels (
        team_id text NOT NULL REFERENCES adoption_teams (id) ON DELETE CASCADE,
        position integer NOT NULL,
        id text NOT NULL,
        name text NOT NULL,
        membership_type text NOT NULL DEFAULT 'standard',
        PRIMARY KEY (team_id, position)
    );
    CREATE TABLE adoption_messages (
        team_id text NOT NULL,
        channel_id text NOT NULL,
        root_id text NOT NULL,
        seq integer NOT NULL CHECK (seq >= 0),
        id text NOT NULL,
        author text NOT NULL,
        created timestamptz NOT NULL,
        mentions integer NOT NULL DEFAULT 0,
        reactions integer NOT NULL DEFAULT 0,
        root_is_post boolean NOT NULL,
        root_author text NOT NULL,
        root_created timestamptz NOT NULL,
        PRIMARY KEY (team_id, channel_id, root_id, seq)
    );
    CREATE INDEX adoption_messages_team_created ON adoption_messages (team_id, created);
    CREATE INDEX adoption_messages_team_root_created
        ON adoption_messages (team_id, root_created) WHERE seq > 0;
    CREATE TABLE adoption_cursors (
        team_id text NOT NULL,
        channel_id text NOT NULL,
        delta_link text NOT NULL,
        PRIMARY KEY (team_id, channel_id)
    );
    CREATE TABLE adoption_tenant_usage (
        period text PRIMARY KEY,
        doc jsonb NOT NULL
    );
    -- Weekly rollups in a zone, aggregated by SQL from adoption_messages at sync time
    -- (bot/storage/postgres_rollups.py): per team its people and channels (indexes only
    -- grow), per team-week the WeekRollup arrays as big-endian int4/float8 bytes.
    CREATE TABLE adoption_rollup_index (
        team_id text NOT NULL,
        tz text NOT NULL,
        people text[] NOT NULL,
        channels text[] NOT NULL,
        PRIMARY KEY (team_id, tz)
    );
    CREATE TABLE adoption_rollups (
        team_id text NOT NULL,
        tz text NOT NULL,
        week date NOT NULL,
        channels bytea NOT NULL,
        minutes bytea NOT NULL,
        channel_people bytea NOT NULL,
        people bytea NOT NULL,
        PRIMARY KEY (team_id, tz, week)
    );
    """,
)
LATEST_VERSION = len(MIGRATIONS)

#: Advisory lock key serialising migrations (distinct from the leader lock).
MIGRATION_LOCK_KEY = 0x7472696D_0001

_SCHEMA_TABLE = """
CREATE TABLE IF NOT EXISTS trimtab_schema_version (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
)
"""


async def schema_version(conn: psycopg.AsyncConnection) -> int:
    """The schema version of the database (0 for an empty one)."""
    cur = await conn.execute("SELECT to_regclass('trimtab_schema_version') IS NOT NULL")
    row = await cur.fetchone()
    if not row or not row[0]:
        return 0
    cur = await conn.execute("SELECT coalesce(max(version), 0) FROM trimtab_schema_version")
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def upgrade(conn: psycopg.AsyncConnection) -> tuple[int, int]:
    """Apply the missing migrations; return (version before, version after).

    Raises ``SchemaTooNewError`` when the database is newer than this code.
    """
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
        await conn.execute(_SCHEMA_TABLE)
        before = await schema_version(conn)
        if before > LATEST_VERSION:
            raise SchemaTooNewError(
                f"the database schema is version {before} but this Trimtab knows only up to "
                f"{LATEST_VERSION}: upgrade Trimtab before pointing it at this database"
            )
        for number in range(before + 1, LATEST_VERSION + 1):
            await conn.execute(MIGRATIONS[number - 1].encode())
            await conn.execute(
                "INSERT INTO trimtab_schema_version (version) VALUES (%s)", (number,)
            )
    return before, LATEST_VERSION
