"""Sync benchmark: a generated tenant on the loopback Graph server.

    .venv/bin/python -m bench.sync_bench [--scale 1.0] [--store tinydb|memory|postgres] [--repeat N]

Scale 1.0 is 200 teams x 10 channels x 20 threads x (1 root + 4 replies) = 200,000
messages. Three processes: the Graph server; the *floor* (aiohttp + json paging through
the same endpoints: teams, channels, members, channel delta with ``$expand=replies``,
no storage); the *sync* (msgraph-sdk gateway + collector + store, then a re-sync with
no changes). Each client runs in its own process so its peak RSS and CPU are its own.
``--store postgres`` syncs into a throwaway database (made and dropped here) on the
server of ``TRIMTAB_DATABASE_URL``, else on the one ``make test`` finds
(``tests/pgserver.py``). The re-sync line counts requests per channel in all and its
delta requests alone. ``--repeat N`` alternates floor and sync N times (each run a fresh
process and a fresh store) and compares the fastest of each, so one disturbed run does not
decide the ratio. No timed assertions: it prints numbers, with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from typing import Any

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
CHANNELS, THREADS, REPLIES = 10, 20, 4
TEAM_CONCURRENCY = 8


def generate(teams: int) -> Any:
    from tests.fakes.graph_server import FakeMessage, FakeTenant

    tenant = FakeTenant()
    n = 0
    for t in range(teams):
        team_id = f"{t:08d}-0000-4000-8000-000000000000"
        users = [f"{t:08d}-{u:04d}-4000-8000-00000000beef" for u in range(12)]
        tenant.add_team(team_id, f"Team {t}", users)
        for c in range(CHANNELS):
            channel_id = f"19:{t:04d}{c:04d}@thread.tacv2"
            tenant.add_channel(team_id, channel_id, f"Channel {c}")
            for th in range(THREADS):
                n += 1
                created = NOW - timedelta(days=1 + (th % 25), minutes=n % 600)
                root = FakeMessage(
                    str(n),
                    created,
                    users[th % 12],
                    body=f"<div><p>Root {n} about the plan</p></div>",
                    mentions=(users[(th + 1) % 12],) if th % 3 == 0 else (),
                    reactions=(users[(th + 2) % 12],) if th % 2 == 0 else (),
                )
                tenant.post(team_id, channel_id, root)
                for r in range(REPLIES):
                    n += 1
                    reply = FakeMessage(
                        str(n), created + timedelta(minutes=5 * (r + 1)), users[(th + r + 1) % 12]
                    )
                    tenant.reply(team_id, channel_id, root.id, reply)
    return tenant


def serve(teams: int, conn: Connection) -> None:
    from tests.fakes.graph_server import GraphServer

    async def main() -> None:
        server = GraphServer(generate(teams))
        conn.send(await server.start())
        await asyncio.Event().wait()  # until the parent terminates this process

    asyncio.run(main())


def usage() -> dict[str, float]:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_rss_mb": ru.ru_maxrss / 1024, "cpu_s": ru.ru_utime + ru.ru_stime}


async def floor(base_url: str) -> dict[str, float]:
    import json

    import aiohttp

    headers = {"Authorization": "Bearer test-token"}
    counts = {"messages": 0, "requests": 0}
    since = (NOW - timedelta(days=28)).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    async with aiohttp.ClientSession(headers=headers) as http:

        async def pages(url: str, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
            items: list[dict[str, Any]] = []
            next_url: str | None = url
            while next_url:
                async with http.get(next_url, params=params) as response:
                    page = json.loads(await response.read())
                counts["requests"] += 1
                items.extend(page.get("value", []))
                next_url, params = page.get("@odata.nextLink"), None
            return items

        gate = asyncio.Semaphore(TEAM_CONCURRENCY)

        async def team(team_id: str) -> None:
            async with gate:
                channels = await pages(f"{base_url}/teams/{team_id}/channels")
                await pages(f"{base_url}/teams/{team_id}/members")
                for channel in channels:
                    roots = await pages(
                        f"{base_url}/teams/{team_id}/channels/{channel['id']}/messages/delta",
                        {
                            "$filter": f"lastModifiedDateTime gt {since}",
                            "$expand": "replies",
                            "$top": "50",
                        },
                    )
                    counts["messages"] += sum(1 + len(r.get("replies", [])) for r in roots)

        teams = await pages(f"{base_url}/teams")
        await asyncio.gather(*(team(t["id"]) for t in teams))
    return {k: float(v) for k, v in counts.items()}


def run_floor(base_url: str, conn: Connection) -> None:
    start = time.perf_counter()
    counts = asyncio.run(floor(base_url))
    conn.send({**counts, "seconds": time.perf_counter() - start, **usage()})


class DeltaCounter:
    """Passes a gateway through, counting the delta pages (one request each) it reads."""

    def __init__(self, gateway: Any) -> None:
        self._gateway = gateway
        self.delta_requests = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._gateway, name)

    async def channel_delta(self, *args: Any, **kwargs: Any) -> Any:
        async for page in self._gateway.channel_delta(*args, **kwargs):
            self.delta_requests += 1
            yield page


async def open_store(kind: str, data_dir: str, database_url: str | None) -> Any:
    from bot.storage import MemoryStore, TinyDBStore

    if kind == "memory":
        return MemoryStore()
    if kind == "postgres":
        from bot.storage.dburl import parse_database_url
        from bot.storage.postgres import PostgresStore

        assert database_url is not None
        return await PostgresStore.open(parse_database_url(database_url))
    return await TinyDBStore.open(data_dir)


def run_sync(base_url: str, store_kind: str, database_url: str | None, conn: Connection) -> None:
    from adoption.collector import sync_tenant
    from adoption.config import GraphSettings
    from adoption.graph import GraphLimits, build_gateway
    from adoption.pseudonym import Pseudonymiser
    from adoption.repository import AdoptionRepository
    from bot.graph_transport import AiohttpTransport

    async def main(data_dir: str) -> dict[str, float]:
        store = await open_store(store_kind, data_dir, database_url)
        settings = GraphSettings(base_url=base_url, token="test-token")
        transport = AiohttpTransport()  # as the bot and `trimtab sync` send
        gateway = DeltaCounter(
            build_gateway(settings, limits=GraphLimits.unpaced(), transport=transport)
        )
        repo = AdoptionRepository(store)
        kwargs: Any = {"now": NOW, "lookback_days": 28, "concurrency": TEAM_CONCURRENCY}
        kwargs["backfill_weeks"] = 26  # the default first sync (issue 12)
        kwargs["pseudonymiser"] = Pseudonymiser(b"bench-key-0123456789")
        try:
            start = time.perf_counter()
            full = await sync_tenant(gateway, repo, **kwargs)
            full_s = time.perf_counter() - start
            peak_full = usage()
            start, cpu = time.perf_counter(), time.process_time()
            gateway.delta_requests = 0
            again = await sync_tenant(gateway, repo, **kwargs)
            again_s = time.perf_counter() - start
            again_cpu = time.process_time() - cpu
        finally:
            await gateway.aclose()
            await store.close()
        return {
            "messages": full.messages,
            "requests": full.requests,
            "seconds": full_s,
            "peak_rss_mb": peak_full["peak_rss_mb"],
            "cpu_s": peak_full["cpu_s"],
            "resync_requests": again.requests,
            "resync_delta_requests": gateway.delta_requests,
            "resync_seconds": again_s,
            "resync_cpu_s": again_cpu,
            "resync_peak_rss_mb": usage()["peak_rss_mb"],
            "resync_messages": again.messages,
            "channels": full.channels,
        }

    with tempfile.TemporaryDirectory() as data_dir:
        conn.send(asyncio.run(main(data_dir)))


def child(target: Any, *args: Any) -> dict[str, float]:
    ctx = mp.get_context("fork")
    parent, child_end = ctx.Pipe()
    proc = ctx.Process(target=target, args=(*args, child_end))
    proc.start()
    result: dict[str, float] = parent.recv()
    proc.join()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 200 teams (200k msgs)")
    parser.add_argument("--store", choices=("tinydb", "memory", "postgres"), default="tinydb")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="floor and sync alternately N times (fresh process and store each); "
        "the fastest run of each is compared",
    )
    args = parser.parse_args(argv)
    teams = max(1, round(200 * args.scale))
    ctx = mp.get_context("fork")
    parent, child_end = ctx.Pipe()
    server = ctx.Process(target=serve, args=(teams, child_end), daemon=True)
    t0 = time.perf_counter()
    server.start()
    base_url = parent.recv()
    print(f"tenant: {teams} teams x {CHANNELS} channels x {THREADS} threads x {1 + REPLIES} "
          f"messages = {teams * CHANNELS * THREADS * (1 + REPLIES):,} "
          f"(generated in {time.perf_counter() - t0:.1f}s)")  # fmt: skip
    floors: list[dict[str, float]] = []
    syncs: list[dict[str, float]] = []
    try:
        for _ in range(max(1, args.repeat)):
            floors.append(child(run_floor, base_url))
            database_url, drop = throwaway_database() if args.store == "postgres" else (None, None)
            try:  # a first sync each time: a fresh database (a TinyDB store is fresh anyway)
                syncs.append(child(run_sync, base_url, args.store, database_url))
            finally:
                if drop is not None:
                    drop()
    finally:
        server.terminate()
        server.join()
    base = min(floors, key=lambda run: run["seconds"])
    sync = min(syncs, key=lambda run: run["seconds"])
    if len(floors) > 1:
        floor_times = ", ".join(f"{run['seconds']:.1f}" for run in floors)
        sync_times = ", ".join(f"{run['seconds']:.1f}" for run in syncs)
        print(f"runs, alternating: floor {floor_times} s; sync {sync_times} s "
              "(the fastest of each below)")  # fmt: skip
    floor_rate = base["messages"] / base["seconds"]
    sync_rate = sync["messages"] / sync["seconds"]
    print(f"floor (aiohttp+json): {base['messages']:,.0f} msgs, {base['requests']:,.0f} requests "
          f"in {base['seconds']:.1f}s = {floor_rate:,.0f} msgs/s; peak RSS "
          f"{base['peak_rss_mb']:.0f} MB, client CPU {base['cpu_s']:.1f}s")  # fmt: skip
    print(f"full sync (msgraph-sdk, {args.store}): {sync['messages']:,.0f} msgs, "
          f"{sync['requests']:,.0f} requests in {sync['seconds']:.1f}s = {sync_rate:,.0f} msgs/s; "
          f"peak RSS {sync['peak_rss_mb']:.0f} MB, client CPU {sync['cpu_s']:.1f}s")  # fmt: skip
    print(f"sync / floor time: {sync['seconds'] / base['seconds']:.2f}x (target <= 2x), "
          f"peak RSS {sync['peak_rss_mb']:.0f} MB (target <= 300 MB)")  # fmt: skip
    channels = max(sync["channels"], 1)
    per_channel = sync["resync_requests"] / channels
    delta_per_channel = sync["resync_delta_requests"] / channels
    print(f"re-sync, no changes: {sync['resync_requests']:,.0f} requests for "
          f"{sync['channels']:,.0f} channels ({per_channel:.2f} per channel in all, "
          f"{delta_per_channel:.2f} delta requests per channel, target ~1; the rest list "
          f"teams, channels and members) in "
          f"{sync['resync_seconds']:.2f}s, cpu {sync['resync_cpu_s']:.2f}s; "
          f"{sync['resync_messages']:,.0f} messages written; "
          f"re-sync / floor time: {sync['resync_seconds'] / base['seconds']:.2f}x "
          f"(target <= 2x)")  # fmt: skip
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f} at the end")  # fmt: skip
    return 0


def throwaway_database() -> tuple[str, Any]:
    """A new database on the server of ``TRIMTAB_DATABASE_URL`` (else the test server),
    and the function that drops it."""
    from tests import pgserver

    admin_url = os.environ.get("TRIMTAB_DATABASE_URL")
    started = False
    if not admin_url:
        admin_url, started = pgserver.discover()
    url = pgserver.create_database(admin_url)

    def drop() -> None:
        pgserver.drop_database(admin_url, url)
        if started:
            pgserver.stop_cluster()

    return url, drop


if __name__ == "__main__":
    sys.exit(main())
