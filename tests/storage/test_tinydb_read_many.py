"""TinyDB's batched read: every file is read in the store's reader thread, never on the event
loop, with read_all's semantics (cache used, nothing cached, errors named) and its locks."""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path

import pytest

import bot.storage.tinydb_store as tinydb_store
from bot.storage import TinyDBStore
from bot.storage.errors import StorageCorruptError, StorageUnavailableError


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(collection, thread name) of every read_all of one collection, inside the store."""
    seen: list[tuple[str, str]] = []
    real = tinydb_store.TinyDBStore._read_all

    def recording(self: TinyDBStore, collection: str) -> dict[str, object]:
        seen.append((collection, threading.current_thread().name))
        return real(self, collection)  # type: ignore[return-value]

    monkeypatch.setattr(tinydb_store.TinyDBStore, "_read_all", recording)
    return seen


async def test_files_are_read_in_the_reader_thread_and_not_cached(
    tmp_path: Path, reads: list[tuple[str, str]]
) -> None:
    data = tmp_path / "data"
    writer = await TinyDBStore.open(data)
    await writer.put("adoption.rollup.t1", "t1", {"v": 1})
    await writer.put("adoption.rollup.t2", "t2", {"v": 2})
    reader = await TinyDBStore.open(data, read_only=True)
    try:
        got = await reader.read_all_many(["adoption.rollup.t1", "adoption.rollup.t2", "none"])
        assert got == {
            "adoption.rollup.t1": {"t1": {"v": 1}},
            "adoption.rollup.t2": {"t2": {"v": 2}},
            "none": {},
        }
        assert [name for name, _ in reads] == ["adoption.rollup.t1", "adoption.rollup.t2", "none"]
        assert all(thread.startswith("tinydb-read") for _, thread in reads), reads
        await writer.put("adoption.rollup.t1", "t1", {"v": 3})  # the reader kept no copy
        again = await reader.read_all_many(["adoption.rollup.t1"])
        assert again == {"adoption.rollup.t1": {"t1": {"v": 3}}}
    finally:
        await reader.close()
        await writer.close()


async def test_a_collection_the_writer_holds_is_read_from_its_cache(tmp_path: Path) -> None:
    store = await TinyDBStore.open(tmp_path / "data")
    try:
        await store.put("adoption.teams", "t1", {"name": "One"})
        (tmp_path / "data" / "adoption.teams.json").write_text("{not json")  # not read again
        assert await store.read_all_many(["adoption.teams"]) == {
            "adoption.teams": {"t1": {"name": "One"}}
        }
    finally:
        await store.close()


async def test_an_unreadable_or_corrupt_file_is_named(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = await TinyDBStore.open(data, read_only=True)
    try:
        (data / "adoption.rollup.bad.json").write_text("{not json")
        with pytest.raises(StorageCorruptError, match=r"adoption\.rollup\.bad\.json"):
            await store.read_all_many(["adoption.teams", "adoption.rollup.bad"])
        (data / "adoption.rollup.dir.json").mkdir()  # reading it is an OSError
        with pytest.raises(StorageUnavailableError, match=r"adoption\.rollup\.dir\.json"):
            await store.read_all_many(["adoption.rollup.dir"])
    finally:
        await store.close()


async def test_a_write_waits_for_a_batch_reading_its_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await TinyDBStore.open(tmp_path / "data")
    await store.put("c", "k", {"v": 1})
    entered, release = threading.Event(), threading.Event()
    real = tinydb_store.TinyDBStore._read_all

    def held(self: TinyDBStore, collection: str) -> dict[str, object]:
        entered.set()
        release.wait(10)  # released below; the bound only keeps a regression from hanging
        return real(self, collection)  # type: ignore[return-value]

    monkeypatch.setattr(tinydb_store.TinyDBStore, "_read_all", held)
    try:
        batch = asyncio.ensure_future(store.read_all_many(["c", "b"]))
        await asyncio.to_thread(entered.wait, 10)
        write = asyncio.ensure_future(store.put("c", "k", {"v": 2}))
        for _ in range(20):
            await asyncio.sleep(0)
        assert not write.done()  # the collection's lock is the batch's
        release.set()
        assert await batch == {"c": {"k": {"v": 1}}, "b": {}}
        await write
        assert await store.get("c", "k") == {"v": 2}
        # two batches in opposite orders take the locks in one order: both finish
        both = await asyncio.gather(store.read_all_many("cb"), store.read_all_many("bc"))
        assert both == [{"c": {"k": {"v": 2}}, "b": {}}] * 2
    finally:
        release.set()
        await store.close()


async def test_nothing_but_the_caller_holds_a_batch_once_it_returns(tmp_path: Path) -> None:
    """`trimtab report` measures right after reading, the loop not running in between: a
    batch still referenced by the reader's future kept 40 MB of raw rollups through it."""
    store = await TinyDBStore.open(tmp_path / "data")
    try:
        await store.put("c", "k", {"v": 1})
        got = await store.read_all_many(["c"])
        assert sys.getrefcount(got) == 2  # `got` and getrefcount's own argument
    finally:
        await store.close()
