"""A read-only TinyDB store (``trimtab report``): cheap to open, reads files as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage import TinyDBStore
from bot.storage.errors import StorageCorruptError


async def test_read_all_reads_what_the_writer_wrote_since_without_caching(
    tmp_path: Path,
) -> None:
    writer = await TinyDBStore.open(tmp_path / "data")
    reader = await TinyDBStore.open(tmp_path / "data", read_only=True)
    try:
        await writer.put("adoption.rollup.t1", "t1", {"v": 2})
        assert await reader.read_all("adoption.rollup.t1") == {"t1": {"v": 2}}
        await writer.put("adoption.rollup.t1", "t1", {"v": 3})
        assert await reader.read_all("adoption.rollup.t1") == {"t1": {"v": 3}}
        assert await reader.all("adoption.rollup.t1") == {"t1": {"v": 3}}
    finally:
        await reader.close()
        await writer.close()


async def test_a_reader_opens_beside_a_corrupt_file_and_names_it_when_it_reads_it(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    writer = await TinyDBStore.open(data)
    await writer.put("adoption.teams", "t1", {"name": "Team One"})
    await writer.close()
    (data / "adoption.threads.t1.json").write_text("{not json")
    reader = await TinyDBStore.open(data, read_only=True)  # no full check of every file
    try:
        assert await reader.read_all("adoption.teams") == {"t1": {"name": "Team One"}}
        for read in (reader.read_all, reader.all):
            with pytest.raises(StorageCorruptError, match=r"adoption\.threads\.t1\.json"):
                await read("adoption.threads.t1")
    finally:
        await reader.close()
    with pytest.raises(StorageCorruptError, match=r"adoption\.threads\.t1\.json"):
        await TinyDBStore.open(data)  # a writer still refuses to start
