"""Fan-out with two ``trimtab run`` instances on one PostgreSQL database: one leader sends.

    .venv/bin/python -m bench.takeover_bench [--messages 2000] [--latency 0.0] [--kill]
        [--path circles|tips]

``--path tips`` (one batch of N, the bulk path): two app processes on the database with
the wall clock fixed at Monday 09:05 (``trimtab run`` reads the real clock, and tips are due
on Mondays); each runs the weekly tip job once it is the leader, as its scheduler would.

``--path circles`` (default) uses ``trimtab run`` itself. The fan-out is the circle due run
(the path ``tests/bot/test_takeover.py`` uses): N/5
circles of five, seeded through the store, are due their week-1 prompt when the facilitator
of the last one types ``circle start`` to the leader. The loopback connector in this process
enforces Teams' limits like ``bench.fanout_bench`` (per conversation 7/1 s …, per tenant
50/s; 429 with Retry-After beyond) and answers each send after ``--latency`` seconds.

Printed: the rate of accepted prompts while sending as a share of the tenant's allowed 50/s,
429s, duplicates (a person's prompt accepted twice), lost (never accepted and not in doubt),
the delivery states in the database, which instance sent, CPU seconds per process and the
load average. ``--kill``: SIGKILL the leader when half is accepted and report the takeover
time (kill → the survivor's ``/healthz`` says leader) and the rates before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from aiohttp import web

from bench.fanout_bench import ALLOWED_RATE, EnforcingConnector, rate
from bench.instances_bench import cpu_seconds
from bot.storage.postgres import PostgresStore
from tests import pgserver
from tests.bot.cli_support import child_env, free_port
from tests.bot.takeover_support import (
    Instance,
    delivery_states,
    open_store,
    person,
    seed_circles,
    seed_people,
)
from tests.fakes.activities import ActivityFactory, Person


class CardCounter(EnforcingConnector):
    """The enforcing connector, counting accepted cards (the prompts) per conversation."""

    def __init__(self, latency: float) -> None:
        super().__init__()
        self.latency = latency
        self.cards: Counter[str] = Counter()
        self.card_times: list[float] = []

    async def send(self, request: web.Request) -> web.Response:
        response = await super().send(request)
        if response.status == 200 and (await request.json()).get("attachments"):
            self.cards[request.match_info["cid"]] += 1
            self.card_times.append(time.monotonic())
        if self.latency:
            await asyncio.sleep(self.latency)
        return response


async def serve(connector: CardCounter) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(connector.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/"


async def until(check: Callable[[], Awaitable[bool]], within: float, step: float = 0.05) -> None:
    for _ in range(int(within / step)):
        if await check():
            return
        await asyncio.sleep(step)
    raise RuntimeError("timed out")


MONDAY = "2026-11-23T09:05:00+00:00"


async def tips_child(db_url: str, data_dir: Path, port: int) -> None:
    """An app with Monday's clock: serves /healthz; once leader, runs the weekly tip job."""
    from bot.app import LEADERSHIP, SERVICES, create_app
    from bot.clock import TimeSource
    from bot.coaching_delivery import send_weekly_tips
    from bot.settings import Settings

    monday = datetime.fromisoformat(MONDAY)
    env = {"TRIMTAB_DATABASE_URL": db_url, "TRIMTAB_DATA_DIR": str(data_dir)}
    app = create_app(
        Settings.from_env(env, dotenv=None), time_source=TimeSource(clock=lambda: monday)
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    scheduler = app[SERVICES].scheduler
    for _ in iter(lambda: app[LEADERSHIP].is_leader and scheduler.running, True):
        await asyncio.sleep(0.1)  # until elected and its jobs started, as the tip job would
    result = await send_weekly_tips(app[SERVICES])
    print(json.dumps({"sent": len(result.sent), "skipped": len(result.skipped)}), flush=True)
    await asyncio.Event().wait()


class TipsInstance(Instance):
    """``python -m bench.takeover_bench --child``: the tips app above, as a process."""

    def __init__(self, cwd: Path, data_dir: Path, database_url: str) -> None:
        self.port = free_port()
        self.log = (data_dir.parent / f"tips-{self.port}.log").open("w+")
        cmd = [sys.executable, "-m", "bench.takeover_bench", "--child", database_url]
        cmd += [str(data_dir), str(self.port)]
        self.process = subprocess.Popen(
            cmd, cwd=cwd, env=child_env(), stdout=subprocess.DEVNULL, stderr=self.log
        )


async def seed_tips(store: PostgresStore, people: list[Person]) -> None:
    from coaching import Progress
    from coaching.progress import PROGRESS

    monday = datetime.fromisoformat(MONDAY)
    docs = {p.aad_id: Progress(aad_id=p.aad_id).to_doc(monday) for p in people}
    await store.put_many(PROGRESS, docs)


async def main(args: argparse.Namespace) -> None:
    connector = CardCounter(args.latency)
    runner, url = await serve(connector)
    teams = ActivityFactory(url)
    n = args.messages - args.messages % 5
    people = [person(i) for i in range(n)]
    admin_url, started = pgserver.discover()
    db_url = pgserver.create_database(admin_url)
    instances: list[Instance] = []
    result: dict[str, object] = {"messages": n, "kill": args.kill}
    try:
        store = await open_store(db_url)
        await seed_people(store, people, url)
        groups = [people[i : i + 5] for i in range(0, n, 5)]
        tips = args.path == "tips"
        feature = "tips" if tips else "circle"
        if tips:  # the first instance elected sends at once
            await seed_tips(store, people)
        else:
            await seed_circles(store, groups[-1:], datetime.now(UTC), start=False)
        with tempfile.TemporaryDirectory(prefix="takeover-bench-") as tmp:
            kind = TipsInstance if tips else Instance
            instances += [kind(Path(tmp), Path(tmp) / x, db_url) for x in ("a", "b")]
            async with aiohttp.ClientSession() as http:
                for instance in instances:
                    await instance.ready(http, 60)

                async def one_leader() -> bool:
                    return [await i.is_leader(http) for i in instances].count(True) == 1

                await until(one_leader, 60)
                leaders = [i for i in instances if await i.is_leader(http)]
                leader, other = leaders[0], next(i for i in instances if i is not leaders[0])
                cpu0 = {i.port: cpu_seconds(i.process.pid) for i in instances}
                started_at = time.monotonic()
                if tips:  # already sending
                    sending = asyncio.create_task(asyncio.sleep(0))
                else:
                    first = datetime.now(UTC)
                    await seed_circles(store, groups[:-1], first, start=True, first=1)
                    trigger = teams.personal(groups[-1][0], f"circle start Circle {0:04d}")
                    sending = asyncio.create_task(leader.post(http, trigger))
                kill_mark = 0
                if args.kill:

                    async def half() -> bool:
                        return len(connector.card_times) >= n // 2

                    await until(half, 3600, 0.001)
                    result["leader_cpu_seconds"] = round(
                        cpu_seconds(leader.process.pid) - cpu0[leader.port], 1
                    )
                    leader.kill()
                    sending.cancel()
                    killed = time.monotonic()
                    kill_mark = len(connector.card_times)

                    async def survivor_leads() -> bool:
                        return await other.is_leader(http)

                    await until(survivor_leads, 120, 0.02)
                    result["takeover_seconds"] = round(time.monotonic() - killed, 2)

                async def finished() -> bool:
                    states = Counter(
                        r["state"] for r in (await delivery_states(store, feature)).values()
                    )
                    return states["delivered"] + states["in_doubt"] >= n

                await until(finished, 3600, 0.5)
                result["wall_seconds"] = round(time.monotonic() - started_at, 1)
                for instance in instances:
                    if instance.process.poll() is None:
                        name = "leader" if instance is leader else "other"
                        result[f"{name}_cpu_seconds"] = round(
                            cpu_seconds(instance.process.pid) - cpu0[instance.port], 1
                        )
        records = await delivery_states(store, feature)
        await store.close()
    finally:
        for instance in instances:
            instance.close()
        pgserver.drop_database(admin_url, db_url)
        if started:
            pgserver.stop_cluster()
        await runner.cleanup()
    segments = [connector.card_times[:kill_mark], connector.card_times[kill_mark:]]
    segments = [s for s in segments if s]
    in_doubt = {r["recipient"] for r in records.values() if r["state"] == "in_doubt"}
    counts = {p: connector.cards[p.personal_conversation] for p in people}
    result.update(
        {
            "rates_per_s": [round(rate(s), 1) for s in segments],
            "share_of_allowed": [round(rate(s) / ALLOWED_RATE, 3) for s in segments],
            "429s": connector.throttled,
            "duplicates": sum(c - 1 for c in counts.values() if c > 1),
            "lost": sum(
                1 for p, c in counts.items() if not c and f"user:{p.aad_id}" not in in_doubt
            ),
            "in_doubt": len(in_doubt),
            "states": dict(Counter(r["state"] for r in records.values())),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
    )
    print(json.dumps(result))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--kill", action="store_true")
    parser.add_argument("--path", choices=("circles", "tips"), default="circles")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    ns = parser.parse_args()
    if ns.child:
        asyncio.run(tips_child(ns.child[0], Path(ns.child[1]), int(ns.child[2])))
    else:
        asyncio.run(main(ns))
