"""``report_bench --store postgres``: a generated tenant in the adoption tables of a database.

Teams go in through the facts port; the messages of every team go in through one COPY
(the same rows ``PostgresFacts.save_threads`` writes), then ANALYZE, then each team's
weekly rollup is aggregated in SQL as a first sync does (timed: the sync-side cost).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

import psycopg

from adoption.facts import TeamFact, ThreadFact
from adoption.id_space import record_space
from adoption.repository import AdoptionRepository
from adoption.weeks import Period
from bot.storage.dburl import parse_database_url
from bot.storage.postgres import PostgresStore
from bot.storage.postgres_facts import MESSAGE_COLUMNS, message_rows
from tests import pgserver

TZ = ZoneInfo("Europe/Berlin")  # as bench.report_bench
Make = Callable[[int, random.Random], tuple[TeamFact, list[ThreadFact]]]


async def open_store(url: str) -> PostgresStore:
    return await PostgresStore.open(parse_database_url(url))


async def fill(url: str, teams: int, make: Make) -> int:
    """Generate and store ``teams`` teams; returns the number of messages."""
    rng = random.Random(42)
    store = await open_store(url)
    repo = AdoptionRepository(store)
    messages = 0
    copying = f"COPY adoption_messages ({MESSAGE_COLUMNS}) FROM STDIN"
    async with store.connection() as conn, conn.cursor() as cur, cur.copy(copying) as copy:
        for n in range(teams):
            team, facts = make(n, rng)
            await repo.save_team(team)
            for thread in facts:
                for row in message_rows(team.id, thread):
                    await copy.write_row(row)
                    messages += 1
    async with store.connection() as conn:
        await conn.execute("ANALYZE")
    began = time.perf_counter()
    for team in await repo.teams():  # what a first sync stores: the rollup, by SQL
        await repo.update_rollup(team.id, [], TZ, complete=True)
    print(f"  rollups aggregated in SQL, team by team: {time.perf_counter() - began:.1f}s")
    await record_space(store, pseudonymise=False)  # as a sync does
    await store.close()
    return messages


def size(url: str) -> str:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size('adoption_messages'))"
            " FROM adoption_messages"
        ).fetchone()
    return f"{row[0]} messages, {row[1]} with indexes" if row else "?"


async def postgres_bench(options: argparse.Namespace, period: Period, make: Make) -> None:
    """Fill (unless the database already holds teams), then the CLI report and breakdown."""
    from bench.report_bench import breakdown, cli_report

    admin_url, started, url = None, False, options.database_url
    if not url:
        admin_url, started = pgserver.discover()
        url = pgserver.create_database(admin_url)
    try:
        store = await open_store(url)
        known = await AdoptionRepository(store).teams()
        await store.close()
        if not known:
            began = time.perf_counter()
            await fill(url, options.teams, make)
            print(f"generated {options.teams} teams in PostgreSQL in "
                  f"{time.perf_counter() - began:.1f}s (COPY + ANALYZE)")  # fmt: skip
        print(f"adoption_messages: {size(url)}")
        with tempfile.TemporaryDirectory() as scratch:
            cli_report(scratch + "/data", options.weeks, url, options.workers)
        if options.breakdown:
            await breakdown("", period, options.teams, url)
    finally:
        if admin_url:
            pgserver.drop_database(admin_url, url)
            if started:
                pgserver.stop_cluster()
