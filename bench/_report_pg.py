"""``report_bench --store postgres``: a generated tenant in the adoption tables of a fresh database.

Teams go in through the facts port; the messages of every team go in through one COPY
(the same rows ``PostgresFacts.save_threads`` writes), then ANALYZE, so the figures are
for the report, not for the load.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg

from adoption.facts import TeamFact, ThreadFact
from adoption.repository import AdoptionRepository
from bot.storage.dburl import parse_database_url
from bot.storage.postgres import PostgresStore
from bot.storage.postgres_facts import MESSAGE_COLUMNS, message_rows
from tests import pgserver


class PgTenant:
    """A fresh database (dropped by :meth:`drop`) on the server ``make test`` finds."""

    def __init__(self) -> None:
        self.admin_url, self.started = pgserver.discover()
        self.url = pgserver.create_database(self.admin_url)

    async def open(self) -> PostgresStore:
        return await PostgresStore.open(parse_database_url(self.url))

    async def fill(
        self, teams: int, make: Callable[[int], tuple[TeamFact, list[ThreadFact]]]
    ) -> int:
        """Generate and store ``teams`` teams; returns the number of messages."""
        store = await self.open()
        repo = AdoptionRepository(store)
        messages = 0
        copying = f"COPY adoption_messages ({MESSAGE_COLUMNS}) FROM STDIN"
        async with store.connection() as conn, conn.cursor() as cur, cur.copy(copying) as copy:
            for n in range(teams):
                team, facts = make(n)
                await repo.save_team(team)
                for thread in facts:
                    for row in message_rows(team.id, thread):
                        await copy.write_row(row)
                        messages += 1
        began = time.perf_counter()
        async with store.connection() as conn:
            await conn.execute("ANALYZE")
        print(f"  ANALYZE {time.perf_counter() - began:.1f}s")
        await store.close()
        return messages

    def size(self) -> str:
        with psycopg.connect(self.url) as conn:
            row = conn.execute(
                "SELECT pg_size_pretty(pg_total_relation_size('adoption_messages'))"
            ).fetchone()
        return str(row[0]) if row else "?"

    def drop(self) -> None:
        pgserver.drop_database(self.admin_url, self.url)
        if self.started:
            pgserver.stop_cluster()
