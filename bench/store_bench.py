"""Turn latency of ``help`` and ``circle status`` on PostgreSQL vs TinyDB, in one run.

    .venv/bin/python -m bench.store_bench [--conversations 64] [--turns 20] [--rounds 3] [--members]

Two Trimtab apps in this process on loopback (local mode): one on TinyDB in a
temporary data dir, one on PostgreSQL in a throwaway database on the server
``make test`` finds (``tests/pgserver.py``), dropped afterwards. Each command is
measured on both stores in alternating rounds. Target: PostgreSQL within 1.3x
of TinyDB at p50 and p99. ``--members``: everyone is first put in a started circle of five
(seeded in both stores), so ``circle status`` reads a circle, its check-ins, goals and the
members' mutes instead of answering "not in a circle".
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bench.turn_bench import load, parse_args, percentile, serve
from bot.app import create_app
from bot.settings import Settings
from bot.storage import TinyDBStore
from bot.storage.dburl import parse_database_url
from bot.storage.postgres import PostgresStore
from tests import pgserver
from tests.bot.takeover_support import seed_circles
from tests.fakes.activities import ActivityFactory, Person
from tests.fakes.connector import FakeConnector, start_connector

COMMANDS = ("help", "circle status")


async def main(args: argparse.Namespace) -> None:
    connector = FakeConnector()
    connector_server = await start_connector(connector)
    factory = ActivityFactory(connector.url)
    people = [
        Person(f"User {i:03d}", f"c0000000-0000-4000-8000-{i:012d}")
        for i in range(args.conversations)
    ]
    admin_url, started = pgserver.discover()
    db_url = pgserver.create_database(admin_url)
    try:
        with tempfile.TemporaryDirectory(prefix="trimtab-store-bench-") as data_dir:
            settings = Settings.from_env({"TRIMTAB_DATA_DIR": data_dir}, dotenv=None)
            tiny = await TinyDBStore.open(Path(data_dir))
            pg = await PostgresStore.open(parse_database_url(db_url))
            if args.members:
                groups = [people[i : i + 5] for i in range(0, len(people), 5)]
                for store in (tiny, pg):
                    await seed_circles(store, groups, datetime.now(UTC), start=True)  # type: ignore[arg-type]
            runners, urls = [], {}
            for name, store in (("tinydb", tiny), ("postgresql", pg)):
                runner, url = await serve(create_app(settings, store=store))
                runners.append(runner)
                urls[name] = url
            results: dict[tuple[str, str], list[float]] = {}
            limit = aiohttp.TCPConnector(limit=args.conversations * 2)
            async with aiohttp.ClientSession(connector=limit) as session:
                for url in urls.values():
                    await load(session, url, factory, people, 2, "help")  # warm-up
                for _ in range(args.rounds):
                    for command in COMMANDS:
                        for name, url in urls.items():
                            latencies, _ = await load(
                                session, url, factory, people, args.turns, command
                            )
                            results.setdefault((command, name), []).extend(latencies)
            for runner in runners:
                await runner.cleanup()
            await tiny.close()
            await pg.close()
    finally:
        pgserver.drop_database(admin_url, db_url)
        if started:
            pgserver.stop_cluster()
        await connector_server.close()
    report(results, args)


def report(results: dict[tuple[str, str], list[float]], args: argparse.Namespace) -> None:
    print(
        f"store_bench: {args.conversations} concurrent conversations x {args.turns} turns "
        f"x {args.rounds} rounds per command and store"
        + (", everyone in a started circle" if args.members else ", nobody in a circle")
    )
    print(f"{'command':<14} {'store':<11} {'turns':>6} {'p50 ms':>8} {'p99 ms':>8}")
    for (command, name), latencies in results.items():
        print(
            f"{command:<14} {name:<11} {len(latencies):>6} "
            f"{percentile(latencies, 0.5) * 1000:>8.2f} {percentile(latencies, 0.99) * 1000:>8.2f}"
        )
    for command in COMMANDS:
        tiny, pg = results[(command, "tinydb")], results[(command, "postgresql")]
        p50 = percentile(pg, 0.5) / percentile(tiny, 0.5)
        p99 = percentile(pg, 0.99) / percentile(tiny, 0.99)
        verdict = "within" if max(p50, p99) <= 1.3 else "NOT within"
        print(f"{command}: postgresql/tinydb p50 {p50:.2f}x, p99 {p99:.2f}x ({verdict} 1.3x)")


if __name__ == "__main__":
    asyncio.run(main(parse_args(__doc__, members=True)))
