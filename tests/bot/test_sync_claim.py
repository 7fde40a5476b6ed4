"""One sync across instances: the claim document, and two apps on one PostgreSQL database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.admin.sync_claim import CLAIM_TTL, CLAIMS, KEY, SyncClaim
from bot.clock import FakeClock
from bot.messages import admin as msg
from bot.storage import MemoryStore
from bot.storage.dburl import parse_database_url
from bot.storage.postgres import PostgresStore
from tests.bot.sync_support import GUARD, one_team_graph, until_graph_is_asked
from tests.conftest import START, AppFactory
from tests.fakes.activities import ADELE
from tests.fakes.graph_server import GraphServer


async def never(_seconds: float) -> None:
    await asyncio.Event().wait()  # renewal is not what these tests look at


async def test_a_live_claim_refuses_another_and_an_expired_one_is_taken_over() -> None:
    store, clock = MemoryStore(), FakeClock(START)
    first, second = SyncClaim(store, clock, sleep=never), SyncClaim(store, clock, sleep=never)
    assert await first.acquire()
    assert not await second.acquire()
    assert (await second.holder() or {})["instance"] == first.instance

    clock.advance(CLAIM_TTL + timedelta(seconds=1))  # the first instance died mid-sync
    assert await second.acquire()
    await first.release()  # a late release must not free the new holder's claim
    assert (await store.get(CLAIMS, KEY) or {})["instance"] == second.instance
    assert not await SyncClaim(store, clock, sleep=never).acquire()

    await second.release()
    assert await second.holder() is None
    third = SyncClaim(store, clock, sleep=never)
    assert await third.acquire()
    await third.release()


async def test_a_claim_is_renewed_while_the_sync_runs() -> None:
    store, clock = MemoryStore(), FakeClock(START)
    rounds = asyncio.Queue[None]()

    async def tick(_seconds: float) -> None:
        await rounds.get()
        clock.advance(CLAIM_TTL / 2)

    claim = SyncClaim(store, clock, sleep=tick)
    assert await claim.acquire()
    for _ in range(3):  # 1.5 TTLs pass: renewed each round, so still live
        rounds.put_nowait(None)
        for _ in range(20):
            await asyncio.sleep(0)
    assert not await SyncClaim(store, clock, sleep=never).acquire()
    await claim.release()
    assert await SyncClaim(store, clock, sleep=never).holder() is None


async def test_an_unreadable_claim_does_not_block_syncs_forever() -> None:
    store, clock = MemoryStore(), FakeClock(START)
    await store.put(CLAIMS, KEY, {"instance": "x", "expires": "not a time"})
    claim = SyncClaim(store, clock, sleep=never)
    assert await claim.acquire()
    await claim.release()


@pytest.fixture
async def graph() -> AsyncIterator[GraphServer]:
    async for server in one_team_graph():
        yield server


async def test_two_instances_on_postgresql_run_one_sync_at_a_time(
    make_trimtab: AppFactory, graph: GraphServer, pg_url: str
) -> None:
    stores = [await PostgresStore.open(parse_database_url(pg_url)) for _ in range(2)]
    env = {"TRIMTAB_GRAPH_BASE_URL": graph.base_url, "TRIMTAB_GRAPH_TOKEN": "test-token"}
    try:
        first = await make_trimtab(store=stores[0], **env)
        second = await make_trimtab(store=stores[1], **env)
        graph.hold = asyncio.Event()
        started = await asyncio.wait_for(first.say(ADELE, "adoption sync"), GUARD)
        assert [s.text for s in started] == [msg.SYNC_STARTED]
        await until_graph_is_asked(graph)

        refused = await asyncio.wait_for(second.say(ADELE, "adoption sync"), GUARD)

        assert [s.text for s in refused] == [msg.SYNC_RUNNING]
        assert second.services.background.running == []
        graph.hold.set()
        await asyncio.wait_for(first.services.background.join(), 30)
        assert first.connector.sent[-1].text.startswith("Sync finished: 1 teams, ")
        claim = await stores[1].get(CLAIMS, KEY)
        assert claim is not None and claim.get("released") is True
        again = await asyncio.wait_for(second.say(ADELE, "adoption sync"), GUARD)
        assert [s.text for s in again] == [msg.SYNC_STARTED]
        await asyncio.wait_for(second.services.background.join(), 30)
        assert second.connector.sent[-1].text.startswith("Sync finished: 1 teams, ")
    finally:
        await first.client.close()
        await second.client.close()
        for store in stores:
            await store.close()
