"""Full and incremental syncs of the crafted tenant (see conftest) through msgraph-sdk."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from adoption.collector import SyncResult, sync_tenant
from adoption.facts import ChannelFact, MessageFact, ThreadFact
from adoption.graph import GraphGateway
from adoption.pseudonym import Pseudonymiser
from adoption.repository import AdoptionRepository, threads_collection
from bot.storage import MemoryStore
from tests.adoption.conftest import (
    ALICE,
    BOB,
    CAROL,
    DAVE,
    DEAL_ROOM,
    GENERAL,
    NOW,
    SHARED_ENG,
    TEAM_A,
    TEAM_B,
    TEAM_GONE,
    ago,
)
from tests.fakes.graph_server import FakeMessage, FakeTenant, GraphServer


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


def fact(mid: str, who: str, when: Any, mentions: int = 0, reactions: int = 0) -> MessageFact:
    return MessageFact(mid, who, when, mentions, reactions)


EXPECTED_A = [
    ThreadFact(TEAM_A, GENERAL, fact("1040", CAROL, ago(35)), (fact("1041", ALICE, ago(5)),)),
    ThreadFact(TEAM_A, GENERAL, fact("1010", BOB, ago(10))),
    ThreadFact(
        TEAM_A,
        GENERAL,
        fact("1001", ALICE, ago(3), mentions=1, reactions=2),
        (fact("1002", BOB, ago(3, 30)), fact("1003", CAROL, ago(3, 120), reactions=1)),
    ),
    ThreadFact(
        TEAM_A, DEAL_ROOM, fact("2001", CAROL, ago(1)), (fact("2002", ALICE, ago(1, 60), 1),)
    ),
]
EXPECTED_B = [ThreadFact(TEAM_B, SHARED_ENG, fact("3001", DAVE, ago(2)))]


async def sync(gateway: GraphGateway, store: MemoryStore) -> SyncResult:
    return await sync_tenant(
        gateway,
        AdoptionRepository(store),
        now=NOW,
        lookback_days=28,
        pseudonymiser=Pseudonymiser.disabled(),
    )


async def test_full_sync_stores_exactly_the_hand_computed_facts(
    make_gateway: Callable[..., GraphGateway],
) -> None:
    store = MemoryStore()
    result = await sync(make_gateway(), store)
    repo = AdoptionRepository(store)

    assert await repo.threads(TEAM_A) == EXPECTED_A
    assert await repo.threads(TEAM_B) == EXPECTED_B
    assert await repo.threads(TEAM_GONE) == []
    team_a = await repo.team(TEAM_A)
    assert team_a is not None
    assert team_a.name == "Contoso Sales"
    assert team_a.member_ids == tuple(sorted((ALICE, BOB, CAROL)))
    assert team_a.channels == (
        ChannelFact(GENERAL, "General", "standard"),
        ChannelFact(DEAL_ROOM, "Deal Room", "private"),
    )
    assert team_a.synced_at == NOW
    team_b = await repo.team(TEAM_B)
    assert team_b is not None and team_b.channels[0].membership_type == "shared"
    assert (result.teams, result.channels, result.threads, result.messages) == (2, 3, 4 + 1, 9)
    assert list(result.skipped_teams) == [TEAM_GONE]
    assert result.failed_teams == {}
    assert result.ok

    usage = await repo.tenant_usage()
    assert set(usage) == {"D7", "D30"}
    d7 = usage["D7"]
    assert (d7["users"], d7["team_chat"], d7["private_chat"]) == (3, 15, 55)
    assert d7["channel_share"] == round(15 / 70, 4)
    assert d7["per_user"][ALICE] == {"team_chat": 10, "private_chat": 30, "posts": 4, "replies": 6}


async def test_resync_without_changes_costs_one_request_per_channel_and_writes_no_facts(
    make_gateway: Callable[..., GraphGateway], server: GraphServer
) -> None:
    store = CountingStore()
    gateway = make_gateway()
    await sync(gateway, store)
    before = {c: await store.all(c) for c in await store.collections() if "threads" in c}
    server.counts.clear()
    store.writes.clear()

    result = await sync(gateway, store)

    assert server.count("/messages/delta") == 3  # three channels, one delta link each
    assert server.count("/reports/") == 0  # usage fetched less than 20 hours ago
    # channels + members per live team, the 404 team's channels, the team list
    assert result.requests == 3 + 2 * 2 + 1 + 1
    assert (result.threads, result.messages) == (0, 0)
    assert not [w for w in store.writes if "threads" in w[0]]
    assert {c: await store.all(c) for c in before} == before


async def test_a_new_reply_to_an_old_thread_in_the_window_is_picked_up(
    make_gateway: Callable[..., GraphGateway], server: GraphServer, tenant: FakeTenant
) -> None:
    store = MemoryStore()
    gateway = make_gateway()
    await sync(gateway, store)
    tenant.reply(TEAM_A, GENERAL, "1010", FakeMessage("1011", ago(0, 30), CAROL))
    server.counts.clear()

    result = await sync(gateway, store)

    threads = {t.key: t for t in await AdoptionRepository(store).threads(TEAM_A)}
    assert threads[f"{GENERAL}|1010"].replies == (fact("1011", CAROL, ago(0, 30)),)
    assert threads[f"{GENERAL}|1001"] == EXPECTED_A[2]  # untouched
    assert (result.threads, result.messages) == (1, 2)
    assert server.count("/messages/delta") == 3


async def test_a_root_deleted_after_the_first_sync_is_removed(
    make_gateway: Callable[..., GraphGateway], tenant: FakeTenant
) -> None:
    store = MemoryStore()
    gateway = make_gateway()
    await sync(gateway, store)
    root = tenant.root(TEAM_A, GENERAL, "1010")
    root.deleted = ago(0, 10)
    tenant.seq += 1
    root.version = tenant.seq

    await sync(gateway, store)

    keys = [t.key for t in await AdoptionRepository(store).threads(TEAM_A)]
    assert f"{GENERAL}|1010" not in keys and f"{GENERAL}|1001" in keys


async def test_writes_are_batched_one_put_many_per_team(
    make_gateway: Callable[..., GraphGateway],
) -> None:
    store = CountingStore()
    await sync(make_gateway(), store)
    thread_writes = [w for w in store.writes if w[0].startswith("adoption.threads.")]
    # Contoso Sales (General 3 + Deal Room 1), Engineering (1): one batch each, no single puts
    assert sorted(w[1:] for w in thread_writes) == [("put_many", 1), ("put_many", 4)]


class FailingStore(MemoryStore):
    """Fails the ``fail_at``-th thread batch, like a crash in the middle of a team."""

    def __init__(self, fail_at: int) -> None:
        super().__init__()
        self.batches = 0
        self.fail_at = fail_at

    async def put_many(
        self, collection: str, docs: Mapping[str, Mapping[str, Any]], *, owned: bool = False
    ) -> None:
        if collection.startswith("adoption.threads."):
            self.batches += 1
            if self.batches == self.fail_at:
                raise OSError("disk full")
        await super().put_many(collection, docs, owned=owned)


async def test_cursor_is_saved_only_after_its_facts_and_a_resync_resumes(
    make_gateway: Callable[..., GraphGateway], server: GraphServer
) -> None:
    store = FailingStore(fail_at=2)
    with pytest.raises(OSError, match="disk full"):
        await sync_tenant(
            make_gateway(),
            AdoptionRepository(store),
            now=NOW,
            lookback_days=28,
            pseudonymiser=Pseudonymiser.disabled(),
            concurrency=1,
        )
    repo = AdoptionRepository(store)
    saved = {team: await repo.cursors(team) for team in (TEAM_A, TEAM_B)}
    # only the channels of the team whose facts were written
    assert sum(len(links) for links in saved.values()) == 2

    store.fail_at = 0
    server.counts.clear()
    await sync(make_gateway(), store)
    assert await AdoptionRepository(store).threads(TEAM_A) == EXPECTED_A
    assert await AdoptionRepository(store).threads(TEAM_B) == EXPECTED_B
    first_rounds = [p for p in server.counts if p.endswith("/messages/delta()")]
    assert len(first_rounds) == 1  # the stored team's channels resumed from their delta links


async def test_a_teams_writes_hold_no_graph_slot_the_next_team_is_read_meanwhile(
    make_gateway: Callable[..., GraphGateway],
) -> None:
    gateway = make_gateway()
    reading_b = asyncio.Event()
    list_channels = gateway.list_channels

    async def listing(team_id: str) -> Any:
        if team_id == TEAM_B:
            reading_b.set()
        return await list_channels(team_id)

    gateway.list_channels = listing  # type: ignore[method-assign]

    class SlowDisk(MemoryStore):
        """Finishes Contoso Sales' thread write only once Engineering is being read."""

        async def put_many(
            self, collection: str, docs: Mapping[str, Mapping[str, Any]], *, owned: bool = False
        ) -> None:
            if collection == threads_collection(TEAM_A):
                await asyncio.wait_for(reading_b.wait(), timeout=5)
            await super().put_many(collection, docs, owned=owned)

    store = SlowDisk()
    result = await sync_tenant(
        gateway,
        AdoptionRepository(store),
        now=NOW,
        lookback_days=28,
        pseudonymiser=Pseudonymiser.disabled(),
        concurrency=1,  # one team read at a time
    )
    assert result.teams == 2 and result.ok
    assert await AdoptionRepository(store).threads(TEAM_A) == EXPECTED_A
    assert await AdoptionRepository(store).threads(TEAM_B) == EXPECTED_B
