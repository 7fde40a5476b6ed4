"""Issue 10, storage: a failed write, a corrupt file, the dashboard key, the lock file."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

import bot.storage.atomic_json as atomic_json
from bot.app import create_app
from bot.dashboard.signing import SECRET_FILE, load_secret
from bot.errors import SettingsError
from bot.messages import core as msg
from bot.settings import Settings
from bot.storage import StorageUnavailableError, TinyDBStore
from bot.storage.tinydb_store import LOCK_FILE
from tests.bot.cli_support import START_TIMEOUT, child_env, error_lines, free_port, run_cli
from tests.conftest import AppFactory
from tests.fakes.activities import ADELE, MEGAN


@pytest.fixture
async def tinydb(tmp_path: Path) -> AsyncIterator[TinyDBStore]:
    store = await TinyDBStore.open(tmp_path / "data")
    yield store
    await store.close()


def _disk_full(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


async def _memory_equals_disk(store: TinyDBStore) -> None:
    for file in store.data_dir.glob("*.json"):
        on_disk = json.loads(file.read_text(encoding="utf-8")).get("docs", {})
        assert await store.all(file.stem) == on_disk, file.name


async def test_failed_write_leaves_memory_equal_to_disk_and_says_nothing_changed(
    make_trimtab: AppFactory, tinydb: TinyDBStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = await make_trimtab(store=tinydb)
    await app.send(app.teams.group(ADELE, "circle create Explorers"))
    await app.send(app.teams.group(MEGAN, "help"))  # Megan is known before the disk fills

    monkeypatch.setattr(atomic_json, "atomic_write_bytes", _disk_full)
    failed = await app.send(app.teams.group(MEGAN, "circle join Explorers"))
    assert [sent.text for sent in failed] == [msg.STORAGE_FAILED]
    await _memory_equals_disk(tinydb)
    health = await app.client.get("/healthz")
    assert health.status == 503
    assert any("failed" in e for e in (await health.json())["storage"]["errors"])

    monkeypatch.undo()
    retried = await app.send(app.teams.group(MEGAN, "circle join Explorers"))
    assert "You joined **Explorers**" in retried[0].text
    await _memory_equals_disk(tinydb)
    assert (await app.client.get("/healthz")).status == 200


CORRUPT = {"not-json": "{not json", "wrong-shape": '{"docs": [1, 2, 3]}'}


@pytest.mark.parametrize("content", CORRUPT.values(), ids=CORRUPT.keys())
def test_corrupt_collection_file_stops_start_naming_it(tmp_path: Path, content: str) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "circles.circles.json").write_text(content, encoding="utf-8")
    result = run_cli(tmp_path, TRIMTAB_DATA_DIR=str(data_dir))
    assert result.returncode == 1
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert "circles.circles.json" in lines[0]
    assert "--quarantine-corrupt" in lines[0]


def test_quarantine_corrupt_moves_the_file_aside_and_healthz_reports_it(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "circles.circles.json").write_text("{not json", encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--port", str(port), "--quarantine-corrupt"],
        cwd=tmp_path,
        env=child_env(TRIMTAB_DATA_DIR=str(data_dir)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        health = _healthz_when_up(port, process)
    finally:
        process.terminate()
        process.communicate(timeout=START_TIMEOUT)
    assert health["status"] == "degraded"
    assert "circles.circles.json" in health["storage"]["errors"][0]
    assert not (data_dir / "circles.circles.json").exists()
    assert (data_dir / "circles.circles.json.corrupt").read_text() == "{not json"


def _healthz_when_up(port: int, process: subprocess.Popen[str]) -> dict[str, Any]:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                return dict(json.load(r))
        except urllib.error.HTTPError as error:
            return dict(json.load(error))
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)  # waiting for a child process to bind, not a timed assertion
    raise AssertionError("trimtab did not answer /healthz in time")


@pytest.mark.parametrize("content", ["", "\n", "short-key"], ids=["empty", "newline", "short"])
async def test_empty_or_short_dashboard_secret_file_is_refused_at_start(
    aiohttp_client: Callable[..., Awaitable[TestClient]], tmp_path: Path, content: str
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / SECRET_FILE).write_text(content, encoding="utf-8")
    settings = Settings.from_env({"TRIMTAB_DATA_DIR": str(data_dir)}, dotenv=None)
    with pytest.raises(SettingsError, match=r"dashboard\.secret: holds a \d+-byte key"):
        await aiohttp_client(create_app(settings))
    reopened = await TinyDBStore.open(data_dir)
    await reopened.close()


def test_dashboard_secret_is_written_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings.from_env({"TRIMTAB_DATA_DIR": str(tmp_path / "data")}, dotenv=None)
    monkeypatch.setattr(atomic_json.os, "fsync", _disk_full)
    with pytest.raises(StorageUnavailableError, match=r"dashboard\.secret"):
        load_secret(settings)
    monkeypatch.undo()
    assert not (tmp_path / "data" / SECRET_FILE).exists(), "no empty key file left behind"
    assert len(load_secret(settings)) >= 32


async def test_unwritable_lock_file_is_named_in_the_error(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    (data_dir / LOCK_FILE).mkdir(parents=True)  # cannot be opened for writing, even by root
    with pytest.raises(StorageUnavailableError, match=f"lock file .*{LOCK_FILE}"):
        await TinyDBStore.open(data_dir)
