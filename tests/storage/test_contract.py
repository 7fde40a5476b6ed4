"""One contract, every backend (after botbuilder's StorageBaseTests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import DocumentStore, MemoryStore, TinyDBStore


@pytest.fixture(params=["memory", "tinydb"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    if request.param == "memory":
        backend: DocumentStore = MemoryStore()
    else:
        backend = await TinyDBStore.open(tmp_path / "data")
    yield backend
    await backend.close()  # type: ignore[attr-defined]


async def test_get_missing_is_none(store: DocumentStore) -> None:
    assert await store.get("things", "nope") is None
    assert await store.all("things") == {}


async def test_put_then_get_returns_a_copy(store: DocumentStore) -> None:
    doc = {"name": "Explorers", "members": ["a", "b"]}
    await store.put("circles", "explorers", doc)
    doc["members"].append("mutated-after-put")
    got = await store.get("circles", "explorers")
    assert got == {"name": "Explorers", "members": ["a", "b"]}
    assert got is not None
    got["members"].append("mutated-after-get")
    assert await store.get("circles", "explorers") == {"name": "Explorers", "members": ["a", "b"]}


async def test_put_replaces_whole_document(store: DocumentStore) -> None:
    await store.put("c", "k", {"a": 1, "b": 2})
    await store.put("c", "k", {"a": 3})
    assert await store.get("c", "k") == {"a": 3}


async def test_put_many_and_all(store: DocumentStore) -> None:
    await store.put("c", "x", {"v": 0, "stale": True})
    await store.put_many("c", {"x": {"v": 1}, "y": {"v": 2}})
    assert await store.all("c") == {"x": {"v": 1}, "y": {"v": 2}}


async def test_insert_if_absent_claims_once(store: DocumentStore) -> None:
    assert await store.insert_if_absent("deliveries", "key-1", {"n": 1}) is True
    assert await store.insert_if_absent("deliveries", "key-1", {"n": 2}) is False
    assert await store.get("deliveries", "key-1") == {"n": 1}


async def test_delete(store: DocumentStore) -> None:
    await store.put("c", "k", {"a": 1})
    assert await store.delete("c", "k") is True
    assert await store.delete("c", "k") is False
    assert await store.get("c", "k") is None


async def test_collections_are_independent(store: DocumentStore) -> None:
    await store.put("one", "k", {"from": "one"})
    await store.put("two", "k", {"from": "two"})
    assert await store.get("one", "k") == {"from": "one"}
    assert await store.collections() == ["one", "two"]


async def test_unicode_and_nesting_round_trip(store: DocumentStore) -> None:
    doc = {"text": "Grüße 👋", "nested": {"list": [1, 2.5, None, True]}}
    await store.put("c", "ü-key", doc)
    assert await store.get("c", "ü-key") == doc


@pytest.mark.parametrize("bad", ["", "Upper", "../escape", "a/b", "x" * 200])
async def test_bad_collection_name_is_refused(store: DocumentStore, bad: str) -> None:
    with pytest.raises(ValueError, match="invalid collection name"):
        await store.put(bad, "k", {})
