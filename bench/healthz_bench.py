"""``/healthz`` while dashboard pages render: ``python -m bench.healthz_bench``.

    .venv/bin/python -m bench.healthz_bench [--teams 2000] [--threads 300] [--weeks 26]
                                            [--pages 10] [--rounds 3] [--page-weeks 4]
                                            [--data-dir DIR]

Writes ``--teams`` teams × 10 channels with their weekly rollups straight into a
TinyDBStore in a temporary data dir (or ``--data-dir``, kept and reused when it already
holds teams; about 3 minutes for 2,000) with the generator of :mod:`bench.report_bench`,
in a process of its own (so the server's peak RSS is its own: Linux hands a process's
high-water mark to every child it starts), starts the app from ``create_app`` in another
process (as ``trimtab run`` would), and then,
``--rounds`` times, loads ``--pages`` dashboard pages at once (the overview and team
pages, alternately) while polling ``/healthz`` back to back. Prints ``/healthz`` p50/p99/
max (issue 12 asks p99 < 100 ms with 2,000 teams and ten pages), page times, the server's
CPU time and peak RSS (its own, from /proc), and the machine load. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import socket
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp

from adoption.repository import TEAMS, AdoptionRepository
from adoption.weeks import parse_period
from bench.report_bench import generate_team
from bot.storage import DocumentStore, MemoryStore, TinyDBStore

ADMIN = "6b703ce3-6d14-4fe6-b90c-dc5f03657ae4"
SECRET = "bench-dashboard-secret-of-at-least-32-bytes"
TZ = ZoneInfo("Europe/Berlin")


async def fill_store(
    store: DocumentStore,
    *,
    teams: int,
    channels: int,
    threads: int,
    start: date,
    end: date,
    tz: ZoneInfo,
    seed: int = 42,
    batch: int = 200,
) -> int:
    """``teams`` generated teams with threads and rollups in ``tz``; returns the messages.

    Teams are generated ``batch`` at a time into memory through the repository and then
    written with one ``put_many`` per collection (a file store would otherwise rewrite its
    shared collections once per team)."""
    rng = random.Random(seed)
    messages = 0
    for first in range(0, teams, batch):
        memory = MemoryStore()
        repo = AdoptionRepository(memory)
        for n in range(first, min(first + batch, teams)):
            team, facts = generate_team(n, rng, channels, threads, start=start, end=end)
            messages += sum(1 + len(f.replies) for f in facts)
            await repo.save_team(team)
            await repo.save_threads(team.id, facts)
            await repo.update_rollup(team.id, facts, tz, complete=True)
        for name in await memory.collections():
            await store.put_many(name, await memory.all(name))
    return messages


def bench_env(data_dir: str) -> dict[str, str]:
    return {
        "TRIMTAB_DATA_DIR": data_dir,
        "TRIMTAB_ADMINS": ADMIN,
        "TRIMTAB_DASHBOARD_SECRET": SECRET,
        "TRIMTAB_TIMEZONE": TZ.key,
    }


def serve(data_dir: str, port: int) -> None:
    """The child process: the app from ``create_app`` on 127.0.0.1:``port``."""
    import logging

    from aiohttp import web

    from bot.app import create_app
    from bot.settings import Settings

    logging.basicConfig(level=logging.WARNING)
    settings = Settings.from_env(bench_env(data_dir), dotenv=None)
    from bot.background import freeze_startup_heap

    def started(_: str) -> None:  # as `trimtab run` does once it listens
        freeze_startup_heap()

    web.run_app(create_app(settings), host="127.0.0.1", port=port, print=started)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def link(data_dir: str) -> str:
    from bot.dashboard.signing import signer_for
    from bot.settings import Settings

    settings = Settings.from_env(bench_env(data_dir), dotenv=None)
    query, _ = signer_for(settings).link_query(ADMIN, datetime.now(UTC))
    return f"/dashboard/?{query}"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def load(base: str, data_dir: str, teams: int, pages: int, rounds: int, weeks: int) -> None:
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
    timeout = aiohttp.ClientTimeout(total=None)  # a page of 2,000 teams may queue for minutes
    async with aiohttp.ClientSession(base, cookie_jar=jar, timeout=timeout) as http:
        for _ in range(600):
            try:
                async with http.get("/healthz") as ready:
                    if ready.status == 200:
                        break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
        async with http.get(link(data_dir)) as first:
            assert first.status == 200, await first.text()
        healthz: list[float] = []
        page_times: list[float] = []

        async def page(i: int) -> None:
            path = "/dashboard/" if i % 2 == 0 else f"/dashboard/team/team-{i % teams:04d}"
            began = time.perf_counter()
            async with http.get(f"{path}?weeks={weeks}") as response:
                await response.read()
                assert response.status == 200, response.status
            page_times.append(time.perf_counter() - began)
            print(f"  page {path}: {page_times[-1]:.2f} s", flush=True)

        for _ in range(rounds):
            loads = asyncio.gather(*(page(i) for i in range(pages)))
            task = asyncio.ensure_future(loads)
            while not task.done():
                began = time.perf_counter()
                async with http.get("/healthz") as answer:
                    await answer.read()
                healthz.append(time.perf_counter() - began)
            await task
    print(
        f"/healthz under load: {len(healthz)} polls, p50 {pct(healthz, 0.5):.1f} ms, "
        f"p99 {pct(healthz, 0.99):.1f} ms, max {max(healthz) * 1000:.1f} ms (target p99 < 100 ms)"
    )
    print(
        f"dashboard pages ({pages} at once x {rounds}): p50 {statistics.median(page_times):.2f} s,"
        f" max {max(page_times):.2f} s"
    )


async def generate(data_dir: str, teams: int, channels: int, threads: int, weeks: int) -> None:
    """Fill ``data_dir`` with the tenant (run by :func:`generate_in_child`)."""
    period = parse_period(f"{weeks}w", today=datetime.now(TZ).date())
    store = await TinyDBStore.open(data_dir)
    began = time.perf_counter()
    messages = await fill_store(
        store, teams=teams, channels=channels, threads=threads,
        start=period.start, end=period.end, tz=TZ,
    )  # fmt: skip
    await store.close()
    print(
        f"generated {teams} teams x {channels} channels, {teams * threads} threads, "
        f"{messages} messages over {weeks} weeks in {time.perf_counter() - began:.1f} s"
    )


def _generate(data_dir: str, teams: int, channels: int, threads: int, weeks: int) -> None:
    asyncio.run(generate(data_dir, teams, channels, threads, weeks))


def generate_in_child(data_dir: str, teams: int, channels: int, threads: int, weeks: int) -> None:
    """:func:`generate` in a fresh interpreter, so this process stays small and the server
    it starts reports its own peak RSS (exec keeps the parent's high-water mark). Everything
    the child needs is passed to it: a spawned interpreter sees none of this one's state."""
    process = multiprocessing.get_context("spawn").Process(
        target=_generate, args=(data_dir, teams, channels, threads, weeks)
    )
    process.start()
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"generating the tenant failed: exit {process.exitcode}")


def main(options: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = options.data_dir or scratch
        if not (Path(data_dir) / f"{TEAMS}.json").exists():
            generate_in_child(data_dir, options.teams, 10, options.threads, options.weeks)
        port = free_port()
        child = multiprocessing.get_context("spawn").Process(target=serve, args=(data_dir, port))
        child.start()
        assert child.pid is not None
        try:
            asyncio.run(
                load(
                    f"http://127.0.0.1:{port}", data_dir, options.teams, options.pages,
                    options.rounds, options.page_weeks,
                )
            )  # fmt: skip
            cpu, peak = server_usage(child.pid)
        finally:
            child.terminate()  # SIGTERM: the app stops cleanly
            child.join()
        print(
            f"server: cpu {cpu:.1f} s (start, pages, polls), peak RSS {peak:.0f} MB; "
            f"load average {os.getloadavg()}"
        )


def server_usage(pid: int) -> tuple[float, float]:
    """CPU seconds and peak RSS (MB) of the running server, from /proc: RUSAGE_CHILDREN
    would add the generator's CPU and report the larger peak of the two."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    status = Path(f"/proc/{pid}/status").read_text()
    peak_kb = next(
        int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")
    )
    return cpu, peak_kb / 1024


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--teams", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=300, help="threads per team")
    parser.add_argument("--weeks", type=int, default=26, help="full weeks of history")
    parser.add_argument("--pages", type=int, default=10, help="dashboard pages at once")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--page-weeks", type=int, default=4, help="the pages' ?weeks=")
    parser.add_argument(
        "--data-dir", help="generate into this folder and keep it; reuse it when it holds teams"
    )
    main(parser.parse_args())
