"""``trimtab migrate`` moves adoption facts into PostgreSQL's tables, and the report stays equal.

A TinyDB data dir with circles, champions, tips progress and adoption facts (teams,
threads with deleted roots and DST edges, cursors, usage totals, weekly rollups) is
migrated; ``trimtab report --format json`` on PostgreSQL equals the one on the data dir,
the facts sit in tables (no fact document), and a second run writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import io
from pathlib import Path

import psycopg
import pytest

from adoption.cursor_doc import LEGACY
from adoption.repository import AdoptionRepository
from bot.cli import main
from bot.cli_report import add_parser, report_command
from bot.storage import TinyDBStore
from tests.storage.facts_support import NOW, generated, hand_made, load

TABLES = ("adoption_teams", "adoption_channels", "adoption_messages", "adoption_cursors",
          "adoption_tenant_usage", "adoption_rollup_index", "adoption_rollups")  # fmt: skip


def make_data_dir(path: Path) -> Path:
    async def fill() -> None:
        store = await TinyDBStore.open(path)
        repo = AdoptionRepository(store)
        await load(repo, hand_made() + generated(6))
        await repo.save_cursors("t1", {"general": "https://graph/delta?token=1"})
        await repo.save_cursors("g1", {"c1-0": "https://graph/delta?token=2"})
        # an earlier release's shared collection: read for t2, outdated for g1
        await store.put(LEGACY, "t2", {"channels": {"general": "https://graph/delta?token=3"}})
        await store.put(LEGACY, "g1", {"channels": {"c1-0": "https://graph/delta?token=0"}})
        await store.put("champions.registry", "c", {"added_by": "admin"})
        await store.put("circles.circles", "explorers", {"name": "Explorers", "members": ["a"]})
        await store.put("coaching.tips", "a", {"seen": [1, 2]})
        await store.put("adoption.meta", "ids", {"space": "raw"})
        await store.close()

    asyncio.run(fill())
    return path


def report(env: dict[str, str]) -> str:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["report", "--format", "json", "--period", "2026-10-19..2026-11-22"])
    out, err = io.StringIO(), io.StringIO()
    code = asyncio.run(report_command(args, env=env, now=NOW, stdout=out, stderr=err))
    assert code == 0, err.getvalue()
    return out.getvalue()


def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every fact row with its xmin (which changes when a row is rewritten)."""
    with psycopg.connect(url) as conn:
        return {
            table: sorted(conn.execute(f"SELECT xmin::text, * FROM {table}").fetchall(), key=str)
            for table in TABLES
        }


def test_migrate_moves_facts_into_tables_and_the_report_is_unchanged(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = make_data_dir(tmp_path / "data")
    before = report({"TRIMTAB_DATA_DIR": str(data_dir), "TRIMTAB_TIMEZONE": "Europe/Berlin"})

    assert main(["migrate", "--from-dir", str(data_dir), "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "adoption.teams -> adoption_teams: 9 teams, 9 written, 0 already there" in out
    assert "adoption.cursors.* -> adoption_cursors: 3 teams, 3 written" in out
    assert "adoption.tenant -> adoption_tenant_usage: 2 periods, 2 written" in out
    assert "adoption.rollup.* -> adoption_rollups: 9 teams in Europe/Berlin" in out
    assert "champions.registry: 1 documents, 1 written" in out
    with psycopg.connect(pg_url) as conn:
        collections = [
            r[0] for r in conn.execute("SELECT DISTINCT collection FROM trimtab_documents")
        ]
        messages = conn.execute("SELECT count(*) FROM adoption_messages").fetchone()
        cursors = conn.execute(
            "SELECT team_id, channel_id, delta_link FROM adoption_cursors ORDER BY team_id"
        ).fetchall()
    assert not [c for c in collections if c != "adoption.meta" and c.startswith("adoption.")]
    assert cursors == [
        ("g1", "c1-0", "https://graph/delta?token=2"),
        ("t1", "general", "https://graph/delta?token=1"),
        ("t2", "general", "https://graph/delta?token=3"),
    ]
    threads = sum(len(t) for _, t in hand_made() + generated(6))
    assert f"-> adoption_messages ({messages[0]} messages): {threads} threads" in out

    after = report({"TRIMTAB_DATABASE_URL": pg_url, "TRIMTAB_TIMEZONE": "Europe/Berlin"})
    assert after == before
    assert '"posts":5' in after  # Team One's W44, not an empty report

    rows = snapshot(pg_url)
    assert main(["migrate", "--from-dir", str(data_dir), "--to", pg_url]) == 1
    assert "already holds" in capsys.readouterr().err
    assert main(["migrate", "--from-dir", str(data_dir), "--to", pg_url, "--force"]) == 0
    written = [line for line in capsys.readouterr().out.splitlines() if " written" in line]
    assert written and all(", 0 written, " in line for line in written)
    assert snapshot(pg_url) == rows, "a second run rewrote nothing"


def test_a_malformed_fact_document_is_one_line_and_the_data_dir_is_untouched(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = make_data_dir(tmp_path / "data")

    async def break_a_thread() -> None:
        store = await TinyDBStore.open(data_dir)
        await store.put("adoption.threads.t3", "general|l9", {"team_id": "t3", "replies": []})
        await store.close()

    asyncio.run(break_a_thread())
    before = sorted((p.name, p.read_bytes()) for p in data_dir.iterdir())
    assert main(["migrate", "--from-dir", str(data_dir), "--to", pg_url]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "adoption.threads.t3: a document is not a well-formed fact" in err[0]
    assert "KeyError" in err[0] and "run again" in err[0]
    assert sorted((p.name, p.read_bytes()) for p in data_dir.iterdir()) == before
