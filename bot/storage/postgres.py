"""The production backend: JSON documents in PostgreSQL, async through a pool.

Every document is one row of ``trimtab_documents`` (``jsonb``) keyed by
collection and key, with a version drawn from a sequence on every write, so
``put_if_version`` lets several instances do read-modify-write safely. A lost
connection surfaces as ``StorageUnavailableError``; the pool checks connections
before handing them out and reconnects by itself when the server is back.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from adoption.ports import AdoptionFacts
from bot.storage.dburl import URL_VARIABLE, DatabaseConfig
from bot.storage.errors import ConflictError, StorageUnavailableError
from bot.storage.postgres_schema import upgrade
from bot.storage.protocol import Document, validate_collection_name
from bot.storage.read_ahead import DocumentKey, split, wrote
from bot.storage.update import ChangeByVersion

CONNECT_TIMEOUT_SECONDS = 10
POOL_TIMEOUT_SECONDS = 10.0
#: a pooled connection handed back less than this long ago is not pinged before reuse
FRESH_SECONDS = 1.0

_UPSERT = """
INSERT INTO trimtab_documents (collection, key, doc, version)
VALUES (%s, %s, %s, nextval('trimtab_document_version'))
ON CONFLICT (collection, key)
DO UPDATE SET doc = EXCLUDED.doc, version = EXCLUDED.version
"""


def first_line(error: BaseException) -> str:
    """libpq errors span several lines; an operator's log line needs one."""
    text = " ".join(line.strip() for line in str(error).splitlines() if line.strip())
    return text or type(error).__name__


async def connect(config: DatabaseConfig) -> psycopg.AsyncConnection:
    """One connection to the configured database, or ``StorageUnavailableError`` in one line."""
    try:
        return await psycopg.AsyncConnection.connect(
            config.url, connect_timeout=CONNECT_TIMEOUT_SECONDS, autocommit=True
        )
    except psycopg.Error as error:
        raise StorageUnavailableError(
            f"{URL_VARIABLE} {config.masked_url}: cannot connect: {first_line(error)}"
        ) from None


class _Freshness:
    """The pool's ``check`` and ``reset`` callbacks: ping only connections idle for a while.

    Pinging on every checkout doubled the round trips of every store call; a connection
    handed back within :data:`FRESH_SECONDS` worked a moment ago, and one that broke since
    fails its query (``StorageUnavailableError``) and is discarded by the pool. After an
    outage every connection is older than that, so each is pinged and replaced as before.
    """

    def __init__(self) -> None:
        self._returned: dict[int, float] = {}

    async def reset(self, conn: psycopg.AsyncConnection) -> None:
        self._returned[id(conn)] = time.monotonic()

    async def check(self, conn: psycopg.AsyncConnection) -> None:
        returned = self._returned.pop(id(conn), None)
        if returned is None or time.monotonic() - returned >= FRESH_SECONDS:
            await AsyncConnectionPool.check_connection(conn)


class PostgresStore(ChangeByVersion):
    """A ``DocumentStore`` on PostgreSQL; open with ``await PostgresStore.open(config)``."""

    reads_ahead = True  # every read is a round trip: a turn fetches its reads at once

    def __init__(self, config: DatabaseConfig, pool: AsyncConnectionPool) -> None:
        self.config = config
        self._pool = pool

    @classmethod
    async def open(
        cls,
        config: DatabaseConfig,
        *,
        migrate: bool = True,
        pool_timeout: float = POOL_TIMEOUT_SECONDS,
    ) -> PostgresStore:
        """Connect, apply pending migrations (refusing a newer schema) and open the pool.

        ``pool_timeout``: how long a request waits for a connection before the store
        reports itself unavailable.
        """
        conn = await connect(config)
        try:
            if migrate:
                await upgrade(conn)
        finally:
            await conn.close()
        freshness = _Freshness()
        pool = AsyncConnectionPool(
            config.url,
            min_size=1,
            max_size=config.pool_size,
            open=False,
            timeout=pool_timeout,
            check=freshness.check,
            reset=freshness.reset,
            # autocommit: one statement is one round trip (no BEGIN and COMMIT around it);
            # put_many opens its own transaction
            kwargs={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "autocommit": True},
        )
        await pool.open()
        return cls(config, pool)

    async def close(self) -> None:
        """Close every pooled connection."""
        await self._pool.close()

    def adoption_facts(self) -> AdoptionFacts:
        """The adoption facts, kept in tables of their own (``bot.storage.postgres_facts``)."""
        from bot.storage.postgres_facts import PostgresFacts

        return PostgresFacts(self)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection]:
        """A pooled connection, one transaction per block; a lost server is
        ``StorageUnavailableError``."""
        try:
            async with self._pool.connection() as conn:
                yield conn
        except (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout) as error:
            raise StorageUnavailableError(
                f"PostgreSQL {self.config.masked_url}: {first_line(error)}"
            ) from error

    async def ping(self) -> None:
        """Raise ``StorageUnavailableError`` unless the database answers."""
        async with self.connection() as conn:
            await conn.execute("SELECT 1")

    async def get(self, collection: str, key: str) -> Document | None:
        known, _ = split(self, [(collection, key)])  # a turn's read-ahead, when it has it
        if (collection, key) in known:
            return known[(collection, key)]
        doc, _ = await self.get_versioned(collection, key)
        return doc

    async def get_many(self, keys: Iterable[DocumentKey]) -> dict[DocumentKey, Document | None]:
        """Each ``(collection, key)`` with its document (``None`` when absent), in one query
        (what ``bot.storage.read_ahead`` fetches a turn's reads with)."""
        known, wanted = split(self, keys)  # a turn's read-ahead answers what it holds
        for collection, _ in wanted:
            validate_collection_name(collection)
        if not wanted:
            return known
        collections, names = zip(*wanted, strict=True)
        async with self.connection() as conn:
            cur = await conn.execute(
                "SELECT d.collection, d.key, d.doc FROM trimtab_documents d "
                "JOIN unnest(%s::text[], %s::text[]) AS k(collection, key) "
                "ON d.collection = k.collection AND d.key = k.key",
                (list(collections), list(names)),
            )
            found: dict[DocumentKey, Document | None] = dict.fromkeys(wanted)
            for collection, key, doc in await cur.fetchall():
                found[(collection, key)] = doc
        return {**known, **found}

    async def get_versioned(self, collection: str, key: str) -> tuple[Document | None, int | None]:
        validate_collection_name(collection)
        async with self.connection() as conn:
            cur = await conn.execute(
                "SELECT doc, version FROM trimtab_documents WHERE collection = %s AND key = %s",
                (collection, key),
            )
            row = await cur.fetchone()
        return (row[0], int(row[1])) if row else (None, None)

    async def put(self, collection: str, key: str, doc: Mapping[str, Any]) -> None:
        await self.put_many(collection, {key: doc})

    async def put_many(
        self, collection: str, docs: Mapping[str, Mapping[str, Any]], *, owned: bool = False
    ) -> None:
        """``owned`` changes nothing here: rows are encoded, never kept."""
        validate_collection_name(collection)
        if not docs:
            return
        rows = [(collection, key, Jsonb(dict(doc))) for key, doc in docs.items()]
        async with self.connection() as conn:
            if len(rows) == 1:
                await conn.execute(_UPSERT, rows[0])
            else:
                async with conn.transaction(), conn.cursor() as cur:  # all rows or none
                    await cur.executemany(_UPSERT, rows)
        wrote(self, collection, docs)

    async def insert_if_absent(self, collection: str, key: str, doc: Mapping[str, Any]) -> bool:
        try:
            await self.put_if_version(collection, key, doc, None)
        except ConflictError:
            return False
        return True

    async def put_if_version(
        self, collection: str, key: str, doc: Mapping[str, Any], expected_version: int | None
    ) -> int:
        validate_collection_name(collection)
        async with self.connection() as conn:
            if expected_version is None:
                cur = await conn.execute(
                    "INSERT INTO trimtab_documents (collection, key, doc, version) "
                    "VALUES (%s, %s, %s, nextval('trimtab_document_version')) "
                    "ON CONFLICT (collection, key) DO NOTHING RETURNING version",
                    (collection, key, Jsonb(dict(doc))),
                )
            else:
                cur = await conn.execute(
                    "UPDATE trimtab_documents SET doc = %s, "
                    "version = nextval('trimtab_document_version') "
                    "WHERE collection = %s AND key = %s AND version = %s RETURNING version",
                    (Jsonb(dict(doc)), collection, key, expected_version),
                )
            row = await cur.fetchone()
        if row is None:
            raise ConflictError(f"{collection}/{key} changed since version {expected_version}")
        wrote(self, collection, {key: doc})
        return int(row[0])

    async def delete(self, collection: str, key: str) -> bool:
        validate_collection_name(collection)
        async with self.connection() as conn:
            cur = await conn.execute(
                "DELETE FROM trimtab_documents WHERE collection = %s AND key = %s",
                (collection, key),
            )
        wrote(self, collection, {key: None})
        return cur.rowcount > 0

    async def all(self, collection: str) -> dict[str, Document]:
        validate_collection_name(collection)
        async with self.connection() as conn:
            cur = await conn.execute(
                "SELECT key, doc FROM trimtab_documents WHERE collection = %s", (collection,)
            )
            return {key: doc for key, doc in await cur.fetchall()}

    async def read_all(self, collection: str) -> dict[str, Document]:
        """Rows are decoded fresh for every query: the same as :meth:`all`."""
        return await self.all(collection)

    async def read_all_many(self, collections: Iterable[str]) -> dict[str, dict[str, Document]]:
        """Every collection's documents in one query."""
        found: dict[str, dict[str, Document]] = {
            validate_collection_name(name): {} for name in collections
        }
        if not found:
            return found
        async with self.connection() as conn:
            cur = await conn.execute(
                "SELECT collection, key, doc FROM trimtab_documents WHERE collection = ANY(%s)",
                (list(found),),
            )
            for collection, key, doc in await cur.fetchall():
                found[collection][key] = doc
        return found

    async def collections(self) -> list[str]:
        async with self.connection() as conn:
            cur = await conn.execute(
                "SELECT DISTINCT collection FROM trimtab_documents ORDER BY collection"
            )
            return [name for (name,) in await cur.fetchall()]
