"""Team documents are written in batches (never once per team), cursors after them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest

from adoption.collector import sync_tenant
from adoption.cursor_doc import cursors_collection, is_cursors
from adoption.facts import TeamFact
from adoption.graph import GraphGateway
from adoption.pseudonym import Pseudonymiser
from adoption.repository import TEAMS, AdoptionRepository
from adoption.sync_writes import StateWrites
from bot.storage import MemoryStore
from tests.adoption.conftest import NOW, TEAM_A, TEAM_B

WHEN = datetime(2026, 11, 20, tzinfo=UTC)


class CountingStore(MemoryStore):
    """A MemoryStore that records every write (collection, kind, size)."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[tuple[str, str, int]] = []

    async def put(self, collection: str, key: str, doc: Mapping[str, Any]) -> None:
        self.writes.append((collection, "put", 1))
        await super().put(collection, key, doc)

    async def put_many(
        self, collection: str, docs: Mapping[str, Mapping[str, Any]], *, owned: bool = False
    ) -> None:
        self.writes.append((collection, "put_many", len(docs)))
        await super().put_many(collection, docs, owned=owned)

    async def put_if_version(
        self, collection: str, key: str, doc: Mapping[str, Any], expected_version: int | None
    ) -> int:
        self.writes.append((collection, "put_if_version", 1))
        return await super().put_if_version(collection, key, doc, expected_version)


async def stored_cursor_teams(store: MemoryStore) -> set[str]:
    """Teams with a cursor document of their own."""
    return {
        key
        for name in await store.collections()
        if is_cursors(name)
        for key in await store.all(name)
    }


def team(n: int) -> TeamFact:
    return TeamFact(id=f"team-{n}", name=f"Team {n}", synced_at=WHEN)


async def test_the_crafted_tenant_writes_its_teams_once_then_each_teams_cursors(
    make_gateway: Callable[..., GraphGateway],
) -> None:
    store = CountingStore()
    repo = AdoptionRepository(store)
    await sync_tenant(
        make_gateway(), repo, now=NOW, lookback_days=28, pseudonymiser=Pseudonymiser.disabled()
    )
    bookkeeping = [w for w in store.writes if w[0] == TEAMS or is_cursors(w[0])]
    # two live teams (the 404 team is skipped): one batch of team documents, then the
    # conditional cursor write of each team, each to the team's own collection (at once)
    assert bookkeeping[0] == (TEAMS, "put_many", 2)
    assert sorted(bookkeeping[1:]) == sorted(
        [
            (cursors_collection(TEAM_A), "put_if_version", 1),
            (cursors_collection(TEAM_B), "put_if_version", 1),
        ]
    )
    assert set(await store.all(TEAMS)) == {TEAM_A, TEAM_B}
    assert await stored_cursor_teams(store) == {TEAM_A, TEAM_B}


async def test_many_teams_are_written_in_batches_of_every_teams() -> None:
    store = CountingStore()
    writes = StateWrites(AdoptionRepository(store), every=50)
    for n in range(120):
        await writes.add(team(n), {f"19:{n}@thread.tacv2": f"https://delta/{n}"}, {})
    await writes.flush()
    assert writes.flushes == 3  # 50 + 50 + 20, not 120
    assert [w[2] for w in store.writes if w[0] == TEAMS] == [50, 50, 20]
    assert len(await stored_cursor_teams(store)) == 120
    # each team's cursors went to its own collection: no write touched another team's
    cursor_writes = [w for w in store.writes if is_cursors(w[0])]
    assert len(cursor_writes) == len({w[0] for w in cursor_writes}) == 120


async def test_unchanged_cursors_are_not_written_but_the_team_is() -> None:
    store = CountingStore()
    writes = StateWrites(AdoptionRepository(store), every=2)
    await writes.add(team(1), None, {"c": "old"})
    await writes.add(team(2), None, {"c": "old"})
    assert store.writes == [(TEAMS, "put_many", 2)]
    await writes.flush()  # nothing buffered: nothing written
    assert store.writes == [(TEAMS, "put_many", 2)] and writes.flushes == 1


async def test_a_cursor_advanced_by_another_sync_meanwhile_is_kept() -> None:
    store = MemoryStore()
    repo = AdoptionRepository(store)
    await repo.save_cursors("team-1", {"a": "a1", "b": "b1"})
    writes = StateWrites(repo, every=5)
    await writes.add(team(1), {"a": "a2", "b": "b2"}, {"a": "a1", "b": "b1"})
    await repo.save_cursors("team-1", {"b": "b-other"}, since={"b": "b1"})  # another instance
    await writes.flush()
    assert await repo.cursors("team-1") == {"a": "a2", "b": "b-other"}


async def test_a_failed_batch_write_raises_and_loses_no_earlier_batch() -> None:
    class Failing(MemoryStore):
        async def put_many(
            self, collection: str, docs: Mapping[str, Mapping[str, Any]], *, owned: bool = False
        ) -> None:
            if collection == TEAMS and "team-3" in docs:
                raise OSError("disk full")
            await super().put_many(collection, docs, owned=owned)

    store = Failing()
    writes = StateWrites(AdoptionRepository(store), every=2)
    for n in (1, 2):
        await writes.add(team(n), {"c": f"link-{n}"}, {})
    await writes.add(team(3), {"c": "link-3"}, {})
    with pytest.raises(OSError, match="disk full"):
        await writes.add(team(4), {"c": "link-4"}, {})
    assert set(await store.all(TEAMS)) == {"team-1", "team-2"}
    assert await stored_cursor_teams(store) == {"team-1", "team-2"}  # no cursor before its team


def test_batch_size_keeps_about_twenty_flushes_and_bad_sizes_are_refused() -> None:
    assert StateWrites.batch_size(3, 8) == 8
    assert StateWrites.batch_size(2000, 8) == 100
    assert StateWrites.batch_size(0, 0) == 1
    with pytest.raises(ValueError, match="at least one team"):
        StateWrites(AdoptionRepository(MemoryStore()), every=0)


async def test_a_failed_cursor_write_raises_after_the_other_teams_cursors_are_stored() -> None:
    class Failing(MemoryStore):
        async def put_if_version(
            self, collection: str, key: str, doc: Mapping[str, Any], expected_version: int | None
        ) -> int:
            if collection == cursors_collection("team-2"):
                raise OSError("disk full")
            return await super().put_if_version(collection, key, doc, expected_version)

    store = Failing()
    writes = StateWrites(AdoptionRepository(store), every=3)
    await writes.add(team(1), {"c": "link-1"}, {})
    await writes.add(team(2), {"c": "link-2"}, {})
    with pytest.raises(OSError, match="disk full"):
        await writes.add(team(3), {"c": "link-3"}, {})
    assert set(await store.all(TEAMS)) == {"team-1", "team-2", "team-3"}
    # team-2 repeats its channels next time; the others resume from their links
    assert await stored_cursor_teams(store) == {"team-1", "team-3"}
