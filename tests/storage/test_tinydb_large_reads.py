"""A large TinyDB collection is copied in the store's reader thread: same documents, copies."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import bot.storage.tinydb_store as tinydb_store
from bot.storage import TinyDBStore


async def test_a_large_collection_reads_whole_in_the_reader_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = await TinyDBStore.open(tmp_path)
    docs = {f"k{i}": {"n": i, "pad": "x" * 1024, "nested": {"list": [i]}} for i in range(300)}
    await store.put_many("adoption.rollups", docs)
    size = (tmp_path / "adoption.rollups.json").stat().st_size
    assert size >= tinydb_store.LARGE_COLLECTION_BYTES
    threads: list[str] = []
    copy = tinydb_store.TinyDBStore._all

    def recording(self: TinyDBStore, collection: str) -> dict[str, object]:
        threads.append(threading.current_thread().name)
        return copy(self, collection)  # type: ignore[return-value]

    monkeypatch.setattr(tinydb_store.TinyDBStore, "_all", recording)
    got = await store.all("adoption.rollups")
    assert got == docs and threads[0].startswith("tinydb-read")
    got["k1"]["nested"]["list"].append(99)  # a copy: the store is untouched
    assert (await store.get("adoption.rollups", "k1")) == docs["k1"]
    await store.put("small", "a", {"v": 1})
    assert await store.all("small") == {"a": {"v": 1}} and threads[-1] == "MainThread"
    await store.close()
