"""Report generation for a generated tenant: ``python -m bench.report_bench``.

    .venv/bin/python -m bench.report_bench [--teams 2000] [--weeks 26] [--threads 300]
                                           [--no-rollups] [--data-dir DIR] [--breakdown]
                                           [--store tinydb|postgres] [--database-url URL]
                                           [--workers N]

Writes ``--teams`` teams × 10 channels (``--threads`` roots per team, 0-6 replies each,
spread over the last ``--weeks`` full ISO weeks) into a TinyDBStore in a temporary data
dir (or ``--data-dir``, kept and reused when it already holds teams) the way a first sync
does: each team's threads in one batch and its rollup built from them
(``update_rollup(complete=True)``, the sync's own path), the teams in one write at the
end, the id space recorded. Generation is O(teams): about 3 minutes for 2,000 teams
(2.4 M messages). With ``--store postgres`` the tenant goes into the adoption tables of a
fresh database on the server ``make test`` finds (``tests/pgserver.py``; one COPY, ANALYZE,
then each team's rollup aggregated in SQL as a first sync does; dropped afterwards unless
``--database-url`` names one to fill and keep, or to reuse when it holds teams). Then:

1. the target: ``trimtab report --format json --period <weeks>w`` run as its own process
   (wall time, its CPU time and peak RSS from ``wait4``) — issue 12 asks
   ≤ 5 s and ≤ 300 MB for 2,000 teams × 26 weeks;
2. with ``--breakdown``, in this process: ``build_report``, render json/csv/html.

Numbers go to stdout (on a busy machine the CPU columns are the steadier ones); nothing
is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from adoption.facts import ChannelFact, MessageFact, TeamFact, ThreadFact
from adoption.id_space import record_space
from adoption.report import AdoptionReport, build_report
from adoption.report_formats import render_chunks, to_csv
from adoption.report_html import to_html
from adoption.repository import TEAMS, AdoptionRepository
from adoption.weeks import Period, parse_period
from bot.storage import DocumentStore, TinyDBStore

TZ = ZoneInfo("Europe/Berlin")


def generate_team(
    n: int,
    rng: random.Random,
    channels: int,
    threads: int,
    *,
    start: date,
    end: date,
) -> tuple[TeamFact, list[ThreadFact]]:
    """One team: 30 members, ``threads`` roots from ``start`` to ``end``, 0-6 replies each."""
    members = [f"user-{n}-{i}" for i in range(30)]
    team = TeamFact(
        id=f"team-{n:04d}",
        name=f"Team {n:04d}",
        member_ids=tuple(members),
        channels=tuple(ChannelFact(f"c{n}-{c}", f"Channel {c}") for c in range(channels)),
        collected_since=datetime.combine(start, datetime.min.time(), UTC),
    )
    span = datetime.combine(end, datetime.min.time(), UTC) - datetime.combine(
        start, datetime.min.time(), UTC
    )
    origin = datetime.combine(start, datetime.min.time(), UTC)
    facts = []
    for t in range(threads):
        created = origin + timedelta(seconds=rng.randrange(int(span.total_seconds())))
        author = rng.choice(members[: 10 + n % 20])
        root = MessageFact(f"r{n}-{t}", author, created, rng.randrange(3), rng.randrange(4))
        replies = []
        when = created
        for r in range(rng.choice((0, 1, 2, 3, 3, 4, 5, 6))):
            when += timedelta(minutes=rng.randrange(5, 600))
            replies.append(
                MessageFact(f"r{n}-{t}-{r}", rng.choice(members), when, 0, rng.randrange(2))
            )
        facts.append(ThreadFact(team.id, f"c{n}-{t % channels}", root, tuple(replies)))
    return team, facts


def _generate(
    data_dir: str, period: Period, teams: int, channels: int, threads: int, rollups: bool
) -> None:
    asyncio.run(generate(data_dir, period, teams, channels, threads, rollups))


def generate_in_child(
    data_dir: str, period: Period, teams: int, channels: int, threads: int, rollups: bool
) -> None:
    """:func:`generate` in a fresh interpreter, so this process stays small: Linux hands a
    process's peak RSS to every child it starts (exec keeps the high-water mark), and the
    report's figure must be the report's own. Everything the child needs is passed to it:
    a spawned interpreter sees none of this one's state."""
    process = mp.get_context("spawn").Process(
        target=_generate, args=(data_dir, period, teams, channels, threads, rollups)
    )
    process.start()
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"generating the tenant failed: exit {process.exitcode}")


def cli_report(
    data_dir: str, weeks: int, database_url: str | None = None, workers: int | None = None
) -> None:
    """``trimtab report --format json`` in a fresh process: the figure issue 12 targets.
    Its CPU time and peak RSS include the processes it forks (``--workers``)."""
    out = Path(data_dir).parent / "report.json"
    env = {**os.environ, "TRIMTAB_DATA_DIR": data_dir, "TRIMTAB_TIMEZONE": TZ.key}
    if database_url:
        env["TRIMTAB_DATABASE_URL"] = database_url
    argv = [sys.executable, "-m", "bot.cli", "--log-level", "WARNING", "report"]
    argv += ["--format", "json", "--period", f"{weeks}w", "--out", str(out)]
    argv += ["--workers", str(workers)] if workers else []
    began = time.perf_counter()
    # A child's peak RSS starts at this process's (exec keeps the high-water mark, with
    # fork or vfork alike): the tenant is generated in another process (generate_in_child)
    devnull = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
    pid = os.posix_spawn(sys.executable, argv, env, file_actions=devnull)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"trimtab report failed: {os.waitstatus_to_exitcode(status)}")
    cpu = usage.ru_utime + usage.ru_stime
    print(
        f"trimtab report --format json --period {weeks}w"
        + (f" --workers {workers}" if workers else "")
        + f": {seconds:.2f} s wall, "
        f"cpu {cpu:.2f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MB, "
        f"{out.stat().st_size / 1e6:.1f} MB written (target <= 5 s, <= 300 MB at 2,000 teams)"
    )


async def generate(
    data_dir: str, period: Period, teams: int, channels: int, threads: int, rollups: bool
) -> None:
    """Write the tenant: teams in one batch, each team's threads (and rollup) in its own."""
    rng = random.Random(42)
    writer = await TinyDBStore.open(data_dir)
    repo = AdoptionRepository(writer)
    messages = 0
    began = time.perf_counter()
    team_docs = {}
    for n in range(teams):
        team, facts = generate_team(n, rng, channels, threads, start=period.start, end=period.end)
        messages += sum(1 + len(f.replies) for f in facts)
        team_docs[team.id] = team.to_doc()
        await repo.save_threads(team.id, facts)
        if rollups:  # what a first sync stores (complete: built from these threads)
            await repo.update_rollup(team.id, facts, TZ, complete=True)
    # one write: a save_team per team would rewrite the growing teams file every time
    await writer.put_many(TEAMS, team_docs)
    await record_space(writer, pseudonymise=False)
    await writer.close()
    print(
        f"generated {teams} teams x {channels} channels, {teams * threads} threads, "
        f"{messages} messages in {time.perf_counter() - began:.1f}s"
    )


async def breakdown(
    data_dir: str, period: Period, teams: int, database_url: str | None = None
) -> None:
    """``build_report`` and the renderers in this process."""
    reader: DocumentStore
    if database_url:
        from bench._report_pg import open_store

        reader = await open_store(database_url)
        began, cpu = time.perf_counter(), time.process_time()
        repo = AdoptionRepository(reader)
        await repo.rollups(TZ, await repo.teams(), weeks=[w.label for w in period.weeks])
        print(
            f"  {'SQL weekly aggregation (rollups)':<34} {time.perf_counter() - began:7.2f} s"
            f"  cpu {time.process_time() - cpu:6.2f} s"
        )
    else:
        reader = await TinyDBStore.open(data_dir, read_only=True)
    began, cpu = time.perf_counter(), time.process_time()
    report = await build_report(
        AdoptionRepository(reader),
        start=period.start,
        end=period.end,
        tz=TZ,
        now=datetime.now(UTC),
        champions=frozenset(f"user-{n}-0" for n in range(teams)),
    )
    built, built_cpu = time.perf_counter() - began, time.process_time() - cpu
    await reader.close()
    print(f"  {'build_report (read + compute)':<34} {built:7.2f} s  cpu {built_cpu:6.2f} s")

    def to_json(report: AdoptionReport) -> str:  # what trimtab report writes, piece by piece
        return "".join(render_chunks(report, "json"))

    for name, fmt in (("json", to_json), ("csv", to_csv), ("html", to_html)):
        began, cpu = time.perf_counter(), time.process_time()
        size = len(fmt(report).encode()) / 1e6
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        print(f"  {f'render {name} ({size:.1f} MB)':<34} {seconds:7.2f} s  cpu {cpu:6.2f} s")
        print(f"  {f'= {name} report end to end':<34} {built + seconds:7.2f} s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this process (generation included) {rss:.0f} MB")


async def main(options: argparse.Namespace) -> None:
    period = parse_period(f"{options.weeks}w", today=datetime.now(TZ).date())
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = options.data_dir or scratch
        if options.store == "postgres":
            from bench._report_pg import postgres_bench

            def make(n: int, rng: random.Random) -> tuple[TeamFact, list[ThreadFact]]:
                return generate_team(
                    n, rng, options.channels, options.threads, start=period.start, end=period.end
                )

            await postgres_bench(options, period, make)
            return
        if not (Path(data_dir) / f"{TEAMS}.json").exists():
            generate_in_child(
                data_dir,
                period,
                options.teams,
                options.channels,
                options.threads,
                not options.no_rollups,
            )
        cli_report(data_dir, options.weeks, workers=options.workers)
        if options.breakdown:
            await breakdown(data_dir, period, options.teams)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--channels", type=int, default=10)
    parser.add_argument("--threads", type=int, default=300, help="threads per team")
    parser.add_argument("--weeks", type=int, default=26, help="full weeks of history")
    parser.add_argument(
        "--no-rollups", action="store_true", help="store threads only (the report reads them)"
    )
    parser.add_argument(
        "--data-dir", help="generate into this folder and keep it; reuse it when it holds teams"
    )
    parser.add_argument(
        "--breakdown", action="store_true", help="also time build_report and renderers in-process"
    )
    parser.add_argument(
        "--store", choices=("tinydb", "postgres"), default="tinydb", help="where the facts live"
    )
    parser.add_argument("--database-url", help="with --store postgres: fill and keep this one")
    parser.add_argument(
        "--workers", type=int, help="trimtab report --workers (default: the report's own)"
    )
    asyncio.run(main(parser.parse_args()))
