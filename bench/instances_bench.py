"""Two ``trimtab run`` instances vs one on the same PostgreSQL database: turn throughput.

    .venv/bin/python -m bench.instances_bench [--conversations 64] [--turns 20] [--rounds 2]

Two real ``trimtab run`` processes (local mode) share a throwaway database on the server
``make test`` finds (``tests/pgserver.py``); 64 people in circles of five (seeded through
the store). Each conversation sends ``--turns`` messages one after another, alternating
``help`` and ``circle status``, all conversations at once. *One instance*: every turn goes
to instance A. *Two instances*: turns alternate between A and B, as a load balancer would
spread them. Rounds alternate to spread noise. Printed: turns/s, p50/p99, the ratio, the
CPU seconds of each process (the load generator and the loopback connector run in this
process, on the same cores), of the PostgreSQL server, and the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bench.turn_bench import percentile
from tests import pgserver
from tests.bot.takeover_support import Instance, open_store, person, seed_circles, seed_people
from tests.fakes.activities import ActivityFactory, Person
from tests.fakes.connector import FakeConnector, start_connector

TICKS = os.sysconf("SC_CLK_TCK")


def _stat_cpu(stat: str) -> float:
    """User + system CPU seconds from the text of a /proc/<pid>/stat file."""
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (from /proc)."""
    return _stat_cpu(Path(f"/proc/{pid}/stat").read_text())


def postgres_cpu() -> float:
    """CPU seconds of every running ``postgres`` process (the server's share of the load;
    other users of the server on this machine show up here too)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        if text.split("(", 1)[1].startswith("postgres)"):
            total += _stat_cpu(text)
    return total


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_sample(instances: list[Instance]) -> list[float]:
    """CPU seconds so far of each instance, this process and the PostgreSQL server."""
    return [*(cpu_seconds(i.process.pid) for i in instances), own_cpu(), postgres_cpu()]


async def load(
    http: aiohttp.ClientSession,
    urls: list[str],
    factory: ActivityFactory,
    people: list[Person],
    turns: int,
) -> tuple[list[float], float]:
    """Every conversation at once, ``turns`` each; turns spread round-robin over ``urls``."""
    latencies: list[float] = []
    spread = itertools.cycle(urls)

    async def conversation(who: Person) -> None:
        for turn in range(turns):
            text = "help" if turn % 2 == 0 else "circle status"
            started = time.perf_counter()
            async with http.post(next(spread), json=factory.personal(who, text)) as response:
                await response.read()
                if response.status not in (200, 201):
                    raise RuntimeError(f"/api/messages answered {response.status}")
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(conversation(p) for p in people))
    return latencies, time.perf_counter() - started


async def main(args: argparse.Namespace) -> None:
    connector = FakeConnector()
    connector_server = await start_connector(connector)
    factory = ActivityFactory(connector.url)
    people = [person(i) for i in range(args.conversations)]
    admin_url, started = pgserver.discover()
    db_url = pgserver.create_database(admin_url)
    instances: list[Instance] = []
    try:
        store = await open_store(db_url)
        await seed_people(store, people, connector.url)
        groups = [people[i : i + 5] for i in range(0, len(people), 5)]
        await seed_circles(store, [g for g in groups if len(g) >= 2], datetime.now(UTC), start=True)
        await store.close()
        with tempfile.TemporaryDirectory(prefix="instances-bench-") as tmp:
            for name in ("a", "b"):
                instances.append(Instance(Path(tmp), Path(tmp) / name, db_url))
            limit = aiohttp.TCPConnector(limit=args.conversations * 2)
            async with aiohttp.ClientSession(connector=limit) as http:
                for instance in instances:
                    await instance.ready(http, 60)
                urls = [f"{i.url}/api/messages" for i in instances]
                setups = {"one instance": urls[:1], "two instances": urls}
                for chosen in setups.values():  # warm-up: first turns, caches, pools
                    await load(http, chosen, factory, people, 2)
                results: dict[str, list[float]] = {name: [] for name in setups}
                walls = dict.fromkeys(setups, 0.0)
                cpu = {name: [0.0, 0.0, 0.0, 0.0] for name in setups}
                for _ in range(args.rounds):
                    for name, chosen in setups.items():
                        before = cpu_sample(instances)
                        latencies, wall = await load(http, chosen, factory, people, args.turns)
                        after = cpu_sample(instances)
                        results[name] += latencies
                        walls[name] += wall
                        cpu[name] = [
                            c + b - a for c, a, b in zip(cpu[name], before, after, strict=True)
                        ]
    finally:
        for instance in instances:
            instance.close()
        pgserver.drop_database(admin_url, db_url)
        if started:
            pgserver.stop_cluster()
        await connector_server.close()
    report(results, walls, cpu, args)


def report(
    results: dict[str, list[float]],
    walls: dict[str, float],
    cpu: dict[str, list[float]],
    args: argparse.Namespace,
) -> None:
    print(
        f"instances_bench: {args.conversations} concurrent conversations x {args.turns} turns "
        f"(help / circle status) x {args.rounds} rounds, PostgreSQL, trimtab run processes"
    )
    print(
        f"{'setup':<14} {'turns':>6} {'turns/s':>8} {'p50 ms':>8} {'p99 ms':>8}"
        "  CPU s A, B, bench, postgres"
    )
    rate = {}
    for name, latencies in results.items():
        rate[name] = len(latencies) / walls[name]
        print(
            f"{name:<14} {len(latencies):>6} {rate[name]:>8.0f} "
            f"{percentile(latencies, 0.5) * 1000:>8.1f} {percentile(latencies, 0.99) * 1000:>8.1f}"
            f"  {', '.join(f'{c:.1f}' for c in cpu[name])}"
        )
    ratio = rate["two instances"] / rate["one instance"]
    print(
        f"throughput ratio two/one: {ratio:.2f}x; cores: {os.cpu_count()}; "
        f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--conversations", type=int, default=64)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    asyncio.run(main(parser.parse_args()))
