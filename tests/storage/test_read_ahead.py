"""A turn's reads fetched in one round trip (``bot.storage.read_ahead``) on PostgreSQL.

The snapshot answers ``get`` of the keys read ahead, follows the store's own writes,
never answers versioned reads, and ends with its block. A store that does not read
ahead (the embedded ones) is left as it is.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.storage import ConflictError, MemoryStore
from bot.storage.dburl import parse_database_url
from bot.storage.postgres import PostgresStore
from bot.storage.read_ahead import read_ahead

USERS, ADMINS = "bot.users", "bot.admins"


def count_queries(store: PostgresStore, monkeypatch: pytest.MonkeyPatch) -> list[None]:
    """One entry for each round trip ``store`` makes from now on."""
    made: list[None] = []
    connection = store.connection

    def counting() -> object:
        made.append(None)
        return connection()

    monkeypatch.setattr(store, "connection", counting)
    return made


@pytest.fixture
async def two(pg_url: str) -> AsyncIterator[tuple[PostgresStore, PostgresStore]]:
    """Two stores on one database: this instance and another one."""
    config = parse_database_url(pg_url)
    here, there = await PostgresStore.open(config), await PostgresStore.open(config)
    yield here, there
    await here.close()
    await there.close()


async def test_get_many_reads_several_collections_at_once(
    two: tuple[PostgresStore, PostgresStore],
) -> None:
    store, _ = two
    await store.put(USERS, "u1", {"name": "Megan"})
    await store.put(ADMINS, "u1", {"tenant_id": "t"})

    found = await store.get_many([(USERS, "u1"), (ADMINS, "u1"), (ADMINS, "u2"), (USERS, "u1")])

    assert found == {
        (USERS, "u1"): {"name": "Megan"},
        (ADMINS, "u1"): {"tenant_id": "t"},
        (ADMINS, "u2"): None,
    }
    assert await store.get_many([]) == {}
    with pytest.raises(ValueError, match="invalid collection name"):
        await store.get_many([("Bad Name", "k")])


async def test_a_turn_reads_its_snapshot_and_its_own_writes(
    two: tuple[PostgresStore, PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, other = two
    await store.put(USERS, "u1", {"name": "Megan"})
    await store.put(USERS, "u2", {"name": "Lee"})
    made = count_queries(store, monkeypatch)

    async with read_ahead(store, [(USERS, "u1"), (USERS, "u2"), (ADMINS, "u1")]):
        assert len(made) == 1
        await other.put(USERS, "u1", {"name": "Megan B"})  # another instance, meanwhile
        first = await store.get(USERS, "u1")
        assert first == {"name": "Megan"} and await store.get(ADMINS, "u1") is None
        assert len(made) == 1  # served from the snapshot
        first["name"] = "changed by the caller"
        assert await store.get(USERS, "u1") == {"name": "Megan"}  # a copy each time

        doc, version = await store.get_versioned(USERS, "u1")  # conditional writes read fresh
        assert doc == {"name": "Megan B"}
        await store.put_if_version(USERS, "u1", {"name": "Megan C"}, version)
        await store.delete(USERS, "u2")
        await store.put(ADMINS, "u1", {"tenant_id": "t"})
        assert await store.get(USERS, "u1") == {"name": "Megan C"}
        assert await store.get(USERS, "u2") is None
        assert await store.get(ADMINS, "u1") == {"tenant_id": "t"}
        with pytest.raises(ConflictError):
            await store.put_if_version(USERS, "u1", {"name": "lost"}, version)
        assert await store.get(USERS, "u1") == {"name": "Megan C"}  # a lost write shows nothing
        before = len(made)
        assert await store.get(USERS, "u3") is None  # not read ahead: a query
        assert len(made) == before + 1

    await other.put(USERS, "u1", {"name": "Megan D"})
    assert await store.get(USERS, "u1") == {"name": "Megan D"}  # the block is over


async def test_a_store_that_does_not_read_ahead_is_unchanged() -> None:
    store = MemoryStore()
    await store.put(USERS, "u1", {"name": "Megan"})
    async with read_ahead(store, [(USERS, "u1")]):
        await store.put(USERS, "u1", {"name": "Megan B"})
        assert await store.get(USERS, "u1") == {"name": "Megan B"}


async def test_a_block_inside_a_turn_adds_to_its_snapshot_and_get_many_uses_it(
    two: tuple[PostgresStore, PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, other = two
    await store.put(USERS, "u1", {"name": "Megan"})
    await store.put("circles.checkins", "c|1|u1", {"week": 1})
    made = count_queries(store, monkeypatch)
    async with read_ahead(store, [(USERS, "u1")]):
        wanted = [("circles.checkins", "c|1|u1"), ("circles.checkins", "c|2|u1"), (USERS, "u1")]
        async with read_ahead(store, wanted):
            assert len(made) == 2  # the inner block fetched only what the turn had not read
            await other.put("circles.checkins", "c|2|u1", {"week": 2})  # meanwhile
            found = await store.get_many(wanted)
            assert found == {
                ("circles.checkins", "c|1|u1"): {"week": 1},
                ("circles.checkins", "c|2|u1"): None,
                (USERS, "u1"): {"name": "Megan"},
            }
            assert len(made) == 2
        await store.put(USERS, "u1", {"name": "Megan B"})
        # the inner block's documents stay until the turn ends, current with its writes
        assert await store.get_many([(USERS, "u1"), ("circles.checkins", "c|1|u1")]) == {
            (USERS, "u1"): {"name": "Megan B"},
            ("circles.checkins", "c|1|u1"): {"week": 1},
        }
        mixed = await store.get_many([("circles.checkins", "c|1|u1"), (ADMINS, "u1")])
        assert mixed == {("circles.checkins", "c|1|u1"): {"week": 1}, (ADMINS, "u1"): None}
        assert len(made) == 4  # the put, and the one key the snapshot did not hold
    assert await store.get("circles.checkins", "c|2|u1") == {"week": 2}
