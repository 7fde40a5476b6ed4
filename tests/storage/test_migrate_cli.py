"""``trimtab migrate`` and ``trimtab db upgrade`` against a real PostgreSQL database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import psycopg
import pytest

from bot.cli import main
from bot.storage import TinyDBStore
from bot.storage.dburl import parse_database_url
from bot.storage.postgres import PostgresStore
from bot.storage.postgres_schema import LATEST_VERSION

DATA = {
    "circles.circles": {"explorers": {"name": "Explorers", "members": ["a", "b", "c"]}},
    "champions.registry": {"u1": {"aad": "u1", "teams": ["t1"]}, "u2": {"aad": "u2"}},
    "coaching.tips": {"u1": {"seen": [1, 2, 3]}},
    "adoption.facts": {f"m{i}": {"team": "t1", "replies": i} for i in range(25)},
}


def make_data_dir(path: Path) -> Path:
    async def fill() -> None:
        store = await TinyDBStore.open(path)
        for name, docs in DATA.items():
            await store.put_many(name, docs)
        await store.close()

    asyncio.run(fill())
    return path


def database_contents(url: str) -> dict[str, dict[str, object]]:
    async def read() -> dict[str, dict[str, object]]:
        store = await PostgresStore.open(parse_database_url(url))
        try:
            return {name: await store.all(name) for name in await store.collections()}
        finally:
            await store.close()

    return asyncio.run(read())


def test_migrate_copies_every_collection_and_a_second_run_changes_nothing(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = make_data_dir(tmp_path / "data")
    assert main(["migrate", "--from-dir", str(data_dir), "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "adoption.facts: 25 documents, 25 written, 0 already there" in out
    assert "champions.registry: 2 documents, 2 written" in out
    assert "migrated 4 collections" in out
    assert database_contents(pg_url) == DATA

    assert main(["migrate", "--from-dir", str(data_dir), "--to", pg_url]) == 1
    refused = capsys.readouterr().err.strip().splitlines()
    assert len(refused) == 1 and "already holds 4 collections" in refused[0]
    assert "--force" in refused[0]

    with psycopg.connect(pg_url) as conn:
        versions_before = conn.execute("SELECT key, version FROM trimtab_documents").fetchall()
    assert main(["migrate", "--from-dir", str(data_dir), "--to", pg_url, "--force"]) == 0
    out = capsys.readouterr().out
    written = [line for line in out.splitlines() if " written" in line]
    assert len(written) == 4 + 4  # the collections, then the four fact tables
    assert all(", 0 written, " in line for line in written), out
    with psycopg.connect(pg_url) as conn:
        versions_after = conn.execute("SELECT key, version FROM trimtab_documents").fetchall()
    assert sorted(versions_after) == sorted(versions_before), "nothing was rewritten"


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--from-dir", "/nonexistent/trimtab-data"], "--from-dir: no data dir at"),
        (["--to", "mysql://x:secret@h/db"], "--to: 'mysql://x:***@h/db' is not a postgresql://"),
    ],
)
def test_migrate_bad_arguments_are_one_line(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str], args: list[str], problem: str
) -> None:
    base = {"--from-dir": str(make_data_dir(tmp_path / "data")), "--to": pg_url}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = ["migrate", *[part for pair in base.items() for part in pair]]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and problem in err[0]
    assert "secret" not in err[0]


def test_db_upgrade_applies_then_has_nothing_to_do(
    pg_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIMTAB_DATABASE_URL", pg_url)
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.strip() == f"schema upgraded from version 0 to {LATEST_VERSION}"
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"schema already at version {LATEST_VERSION}: nothing to do"
    )
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO trimtab_schema_version (version) VALUES (%s)", (LATEST_VERSION + 1,)
        )
    assert main(["db", "upgrade"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"schema is version {LATEST_VERSION + 1}" in err[0]


def test_db_upgrade_without_a_database_url_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("TRIMTAB_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env
    assert main(["db", "upgrade"]) == 2
    assert "TRIMTAB_DATABASE_URL is not set" in capsys.readouterr().err
