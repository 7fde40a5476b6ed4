"""One contract, every backend (after botbuilder's StorageBaseTests)."""

from __future__ import annotations

import asyncio

import pytest

from bot.storage import ConflictError, DocumentStore, update


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


async def test_put_many_of_owned_documents_stores_them_the_same(store: DocumentStore) -> None:
    docs = {"t1": {"root": {"id": "1", "n": [1, 2]}}, "t2": {"root": {"id": "2", "n": []}}}
    await store.put_many("threads", docs, owned=True)
    assert await store.all("threads") == {
        "t1": {"root": {"id": "1", "n": [1, 2]}},
        "t2": {"root": {"id": "2", "n": []}},
    }
    read = await store.get("threads", "t1")
    assert read is not None
    read["root"]["n"].append(3)  # what a reader changes never reaches the store
    assert await store.get("threads", "t1") == {"root": {"id": "1", "n": [1, 2]}}
    await store.put_many("threads", {"t1": {"root": {"id": "1", "n": [9]}}}, owned=True)
    assert (await store.get("threads", "t1")) == {"root": {"id": "1", "n": [9]}}


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


async def test_versions_change_on_every_write(store: DocumentStore) -> None:
    assert await store.get_versioned("c", "k") == (None, None)
    await store.put("c", "k", {"n": 1})
    doc, first = await store.get_versioned("c", "k")
    assert doc == {"n": 1} and first is not None
    await store.put("c", "k", {"n": 1})
    _, second = await store.get_versioned("c", "k")
    assert second != first


async def test_put_if_version_refuses_a_stale_version(store: DocumentStore) -> None:
    version = await store.put_if_version("c", "k", {"n": 1}, None)
    with pytest.raises(ConflictError):
        await store.put_if_version("c", "k", {"n": 99}, None)  # not absent any more
    newer = await store.put_if_version("c", "k", {"n": 2}, version)
    with pytest.raises(ConflictError):
        await store.put_if_version("c", "k", {"n": 99}, version)  # stale
    assert await store.get_versioned("c", "k") == ({"n": 2}, newer)


async def test_delete_then_recreate_is_not_the_old_version(store: DocumentStore) -> None:
    version = await store.put_if_version("c", "k", {"n": 1}, None)
    await store.delete("c", "k")
    await store.put("c", "k", {"n": 1})
    with pytest.raises(ConflictError):
        await store.put_if_version("c", "k", {"n": 2}, version)


def _increment(doc: dict | None) -> dict:  # type: ignore[type-arg]
    return {"count": (doc or {}).get("count", 0) + 1}


async def test_concurrent_updates_lose_nothing(store: DocumentStore) -> None:
    written = await asyncio.gather(*(update(store, "c", "counter", _increment) for _ in range(40)))
    assert await store.get("c", "counter") == {"count": 40}
    assert sorted(doc["count"] for doc in written) == list(range(1, 41))


async def test_update_gives_up_after_retries(store: DocumentStore) -> None:
    await store.put("c", "k", {"n": 0})

    class Meddling:
        """Wraps the store so that every conditional write finds a newer version."""

        async def get_versioned(self, collection: str, key: str):  # type: ignore[no-untyped-def]
            doc, version = await store.get_versioned(collection, key)
            await store.put(collection, key, {"n": -1})
            return doc, version

        async def put_if_version(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return await store.put_if_version(*args, **kwargs)

    with pytest.raises(ConflictError, match="gave up after 3 retries"):
        await update(Meddling(), "c", "k", lambda doc: {"n": 1}, retries=3)  # type: ignore[arg-type]
    assert await store.get("c", "k") == {"n": -1}


async def test_change_writes_conditionally_and_may_leave_the_document(
    store: DocumentStore,
) -> None:
    assert await store.change("c", "k", lambda doc: None) is None
    assert await store.get("c", "k") is None, "None from fn: nothing written"
    assert await store.change("c", "k", lambda doc: {"n": 1}) == {"n": 1}
    _, version = await store.get_versioned("c", "k")
    assert await store.change("c", "k", lambda doc: None) == {"n": 1}
    assert (await store.get_versioned("c", "k"))[1] == version, "left as it was"


async def test_an_error_raised_by_the_change_leaves_the_document(store: DocumentStore) -> None:
    await store.put("c", "k", {"members": 5})

    def join(doc: dict | None) -> dict:  # type: ignore[type-arg]
        if doc is not None and doc["members"] >= 5:
            raise ValueError("full")
        return {"members": (doc or {}).get("members", 0) + 1}

    with pytest.raises(ValueError, match="full"):
        await store.change("c", "k", join)
    assert await store.get("c", "k") == {"members": 5}


async def test_concurrent_changes_never_exceed_a_limit(store: DocumentStore) -> None:
    def join(doc: dict | None) -> dict:  # type: ignore[type-arg]
        members = (doc or {}).get("members", 0)
        if members >= 5:
            raise ValueError("full")
        return {"members": members + 1}

    results = await asyncio.gather(
        *(store.change("c", "circle", join) for _ in range(8)), return_exceptions=True
    )
    assert sum(isinstance(r, ValueError) for r in results) == 3
    assert await store.get("c", "circle") == {"members": 5}


async def test_read_all_is_all_without_the_copy(store: DocumentStore) -> None:
    assert await store.read_all("never-written") == {}
    await store.put_many("c", {"x": {"v": [1, 2]}, "y": {"v": []}})
    seen = await store.read_all("c")
    assert seen == await store.all("c") == {"x": {"v": [1, 2]}, "y": {"v": []}}
    await store.put("c", "x", {"v": [3]})
    await store.delete("c", "y")
    assert seen == {"x": {"v": [1, 2]}, "y": {"v": []}}  # a snapshot: later writes stay out
    assert await store.read_all("c") == {"x": {"v": [3]}}


async def test_get_many_reads_keys_of_several_collections(store: DocumentStore) -> None:
    await store.put("circles", "explorers", {"name": "Explorers"})
    await store.put("people", "a", {"circles": ["explorers"]})
    await store.put("people", "b", {"circles": []})
    await store.delete("people", "b")

    found = await store.get_many(
        [("circles", "explorers"), ("people", "a"), ("people", "b"), ("people", "a")]
    )

    assert found == {
        ("circles", "explorers"): {"name": "Explorers"},
        ("people", "a"): {"circles": ["explorers"]},
        ("people", "b"): None,  # deleted
    }
    assert await store.get_many([]) == {}
    assert await store.get_many([("never-written", "k")]) == {("never-written", "k"): None}


async def test_get_many_returns_copies_and_refuses_bad_names(store: DocumentStore) -> None:
    await store.put("c", "k", {"list": [1]})
    got = (await store.get_many([("c", "k")]))[("c", "k")]
    assert got is not None
    got["list"].append(2)
    assert await store.get("c", "k") == {"list": [1]}
    with pytest.raises(ValueError, match="invalid collection name"):
        await store.get_many([("Bad Name", "k")])


async def test_read_all_many_is_read_all_of_each_collection_at_once(store: DocumentStore) -> None:
    await store.put_many("a", {"x": {"v": [1]}, "y": {"v": 2}})
    await store.put("b", "z", {"v": 3})
    await store.put("gone", "k", {"v": 4})
    await store.delete("gone", "k")

    seen = await store.read_all_many(["a", "never-written", "b", "gone", "a"])

    assert seen == {
        "a": {"x": {"v": [1]}, "y": {"v": 2}},
        "never-written": {},
        "b": {"z": {"v": 3}},
        "gone": {},
    }
    assert seen == {name: await store.read_all(name) for name in seen}
    await store.put("a", "x", {"v": [5]})
    assert seen["a"]["x"] == {"v": [1]}  # a snapshot: later writes stay out
    assert await store.read_all_many([]) == {}
    assert await store.read_all_many(name for name in ("b",)) == {"b": {"z": {"v": 3}}}
    with pytest.raises(ValueError, match="invalid collection name"):
        await store.read_all_many(["b", "Bad Name"])
