"""The ``store`` fixture: every storage test here runs on memory, TinyDB and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import DocumentStore, MemoryStore, TinyDBStore
from bot.storage.dburl import parse_database_url
from bot.storage.postgres import PostgresStore


@pytest.fixture(params=["memory", "tinydb", "postgresql"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    if request.param == "memory":
        backend: DocumentStore = MemoryStore()
    elif request.param == "tinydb":
        backend = await TinyDBStore.open(tmp_path / "data")
    else:
        backend = await PostgresStore.open(parse_database_url(request.getfixturevalue("pg_url")))
    yield backend
    await backend.close()
