"""A large JSON report measured by forked processes: the same bytes as one process."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from adoption.facts import ChannelFact, MessageFact, TeamFact, ThreadFact
from adoption.id_space import record_space
from adoption.report import ReportInputs, compute_report, read_report_inputs
from adoption.report_formats import render_chunks
from adoption.repository import TEAMS, AdoptionRepository
from bot import report_shares
from bot.report_shares import MIN_SHARE, json_in_shares, plan_shares
from bot.storage import DocumentStore, MemoryStore, TinyDBStore

BERLIN = ZoneInfo("Europe/Berlin")
START, END = date(2026, 10, 5), date(2026, 11, 22)  # seven whole weeks
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
TEAM_COUNT = 2 * MIN_SHARE + 17  # two shares

pytestmark = pytest.mark.skipif(
    "fork" not in __import__("multiprocessing").get_all_start_methods(),
    reason="shares need fork: elsewhere the report is measured in one process",
)


def _team(n: int, rng: random.Random) -> tuple[TeamFact, list[ThreadFact]]:
    people = [f"p{(n + i) % 600}" for i in range(7)]  # neighbours share people
    origin = datetime(2026, 10, 4, 22, tzinfo=UTC) + timedelta(weeks=n % 2)  # Monday, Berlin
    team = TeamFact(
        id=f"team-{n:03d}",
        name=f"Team {n:03d}",
        member_ids=tuple(people),
        channels=(ChannelFact(f"c{n}-0", "General"), ChannelFact(f"c{n}-1", "Design")),
        collected_since=origin,
    )
    threads = []
    for t in range(6):
        created = origin + timedelta(minutes=rng.randrange(6 * 7 * 24 * 60))
        root = MessageFact(f"{n}-{t}", rng.choice(people), created, rng.randrange(2), 1)
        replies = tuple(
            MessageFact(f"{n}-{t}-{r}", rng.choice(people), created + timedelta(hours=r + 1))
            for r in range(rng.randrange(4))
        )
        threads.append(ThreadFact(team.id, f"c{n}-{t % 2}", root, replies))
    return team, threads


async def _fill(store: DocumentStore) -> None:
    rng = random.Random(12)
    repo = AdoptionRepository(store)
    teams = {}
    for n in range(TEAM_COUNT):
        team, threads = _team(n, rng)
        teams[team.id] = team.to_doc()
        await repo.save_threads(team.id, threads)
        await repo.update_rollup(team.id, threads, BERLIN, complete=True)
    await store.put_many(TEAMS, teams)
    await record_space(store, pseudonymise=False)


async def _inputs() -> ReportInputs:
    store = MemoryStore()
    await _fill(store)
    inputs = await read_report_inputs(
        AdoptionRepository(store), start=START, end=END, tz=BERLIN, now=NOW,
        champions=frozenset({"p3", "p9"}), min_group_size=3,
    )  # fmt: skip
    assert inputs.rollups is not None
    return inputs


def test_shares_are_contiguous_cover_every_team_and_hold_enough_teams() -> None:
    assert plan_shares(2 * MIN_SHARE - 1, 8) == [(0, 2 * MIN_SHARE - 1)]
    assert plan_shares(0, 4) == [(0, 0)]
    assert plan_shares(2000, 1) == [(0, 2000)]
    shares = plan_shares(2001, 8)
    assert len(shares) == 8 and shares[0][0] == 0 and shares[-1][1] == 2001
    assert all(a[1] == b[0] for a, b in itertools.pairwise(shares))
    assert min(stop - start for start, stop in shares) >= MIN_SHARE


async def test_a_report_in_shares_is_the_report_of_one_process(tmp_path: Path) -> None:
    inputs = await _inputs()
    whole = "".join(render_chunks(compute_report(inputs), "json"))
    assert len(plan_shares(len(inputs.teams), 3)) == 2
    shared = "".join(json_in_shares(inputs, 3, tmp_path))
    assert shared == whole
    doc = json.loads(shared)
    assert len(doc["teams"]) == TEAM_COUNT and doc["tenant"]["posts"] > 0
    assert doc["tenant"]["weeks"][0]["posts"] is None  # odd teams start a week later
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "share-0.json", "share-1.json", "share-1.sums"
    ]  # fmt: skip  # the second share was measured by another process


async def test_a_share_whose_process_fails_is_measured_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = await _inputs()
    whole = "".join(render_chunks(compute_report(inputs), "json"))

    def crash(*_args: object) -> None:
        os._exit(3)  # the forked process dies without a word

    monkeypatch.setattr(report_shares, "_share", crash)
    assert "".join(json_in_shares(inputs, 2, tmp_path)) == whole
    assert not (tmp_path / "share-1.sums").exists()


async def _fill_tinydb(data: Path) -> None:
    store = await TinyDBStore.open(data)
    await _fill(store)
    await store.close()


def test_trimtab_report_measures_a_large_tenant_in_processes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    asyncio.run(_fill_tinydb(data))
    env = {**os.environ, "TRIMTAB_DATA_DIR": str(data), "TRIMTAB_TIMEZONE": "Europe/Berlin"}
    docs, said = [], []
    for workers in ("1", "2"):
        out = tmp_path / f"report-{workers}.json"
        run = subprocess.run(
            [sys.executable, "-m", "bot.cli", "report", "--format", "json", "--period",
             f"{START}..{END}", "--out", str(out), "--workers", workers],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        said.append(run.stdout)
        doc = json.loads(out.read_text(encoding="utf-8"))
        doc.pop("generated")  # the moment each report was made
        docs.append(doc)
    assert docs[0] == docs[1] and len(docs[1]["teams"]) == TEAM_COUNT
    assert "measured by" not in said[0] and "measured by 2 processes" in said[1]
