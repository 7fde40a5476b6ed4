"""Throttling, server errors, missing teams, expired tokens and paging on the loopback Graph."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adoption.collector import SyncResult, sync_tenant
from adoption.graph import GraphAuthError, GraphGateway
from adoption.pseudonym import Pseudonymiser
from adoption.repository import AdoptionRepository
from bot.storage import MemoryStore
from tests.adoption.conftest import (
    ALICE,
    BOB,
    GENERAL,
    NOW,
    TEAM_A,
    TEAM_B,
    TEAM_GONE,
    SleepRecorder,
    ago,
)
from tests.fakes.graph_server import FakeMessage, FakeTenant, GraphServer


async def sync(gateway: GraphGateway, store: MemoryStore | None = None) -> SyncResult:
    return await sync_tenant(
        gateway,
        AdoptionRepository(store or MemoryStore()),
        now=NOW,
        lookback_days=28,
        pseudonymiser=Pseudonymiser.disabled(),
    )


async def test_429_waits_the_retry_after_then_succeeds(
    make_gateway: Callable[..., GraphGateway], server: GraphServer, sleeps: SleepRecorder
) -> None:
    server.fail(f"{TEAM_A}/channels/{GENERAL}/messages/delta", 429, headers={"Retry-After": "7"})
    store = MemoryStore()
    result = await sync(make_gateway(), store)
    assert sleeps.waits == [7.0]
    assert server.count(f"{GENERAL}/messages/delta") == 2
    assert result.ok and len(await AdoptionRepository(store).threads(TEAM_A)) == 4


async def test_429_with_an_http_date_retry_after_is_honoured(
    make_gateway: Callable[..., GraphGateway], server: GraphServer, sleeps: SleepRecorder
) -> None:
    server.fail("/teams", 429, headers={"Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"})
    result = await sync(make_gateway())
    assert sleeps.waits == [0.0]  # a date in the past: retry at once
    assert result.teams == 2


async def test_503_then_success_backs_off_and_completes(
    make_gateway: Callable[..., GraphGateway], server: GraphServer, sleeps: SleepRecorder
) -> None:
    server.fail(f"{TEAM_B}/members", 503, times=2)
    store = MemoryStore()
    result = await sync(make_gateway(), store)
    assert len(sleeps.waits) == 2
    assert 1.0 <= sleeps.waits[0] <= 1.1 and 2.0 <= sleeps.waits[1] <= 2.2
    assert result.ok and result.teams == 2
    assert len(await AdoptionRepository(store).threads(TEAM_B)) == 1


async def test_persistent_server_errors_fail_one_team_and_the_others_complete(
    make_gateway: Callable[..., GraphGateway], server: GraphServer, sleeps: SleepRecorder
) -> None:
    server.fail(f"{TEAM_B}/channels", 500, times=100)
    store = MemoryStore()
    result = await sync(make_gateway(max_retries=2), store)
    assert list(result.failed_teams) == [TEAM_B]
    assert "500" in result.failed_teams[TEAM_B]
    assert not result.ok
    assert server.count(f"{TEAM_B}/channels") == 3  # first try + 2 retries
    assert len(await AdoptionRepository(store).threads(TEAM_A)) == 4


async def test_a_404_team_is_skipped_while_the_others_complete(
    make_gateway: Callable[..., GraphGateway],
) -> None:
    store = MemoryStore()
    result = await sync(make_gateway(), store)
    assert TEAM_GONE in result.skipped_teams and "not found" in result.skipped_teams[TEAM_GONE]
    assert result.ok and result.teams == 2
    assert await AdoptionRepository(store).team(TEAM_GONE) is None


async def test_401_raises_a_clear_auth_error_without_retrying(
    make_gateway: Callable[..., GraphGateway], server: GraphServer, sleeps: SleepRecorder
) -> None:
    with pytest.raises(GraphAuthError, match=r"refused the credentials \(401\).*TRIMTAB_GRAPH"):
        await sync(make_gateway(token="expired-token"))
    assert server.total == 1
    assert sleeps.waits == []


async def test_a_token_expiring_mid_sync_aborts_with_the_auth_error(
    make_gateway: Callable[..., GraphGateway], server: GraphServer
) -> None:
    server.fail(f"{TEAM_B}/members", 401)
    with pytest.raises(GraphAuthError, match="401"):
        await sync(make_gateway())


async def test_an_expired_delta_token_restarts_the_channel_round(
    make_gateway: Callable[..., GraphGateway], server: GraphServer
) -> None:
    store = MemoryStore()
    gateway = make_gateway()
    await sync(gateway, store)
    server.fail(f"{GENERAL}/messages/delta", 410)
    result = await sync(gateway, store)
    assert result.ok
    assert await AdoptionRepository(store).threads(TEAM_A) != []
    assert result.threads == 3  # General read again from the window


async def test_paging_follows_next_links_for_teams_members_messages_and_replies(
    make_gateway: Callable[..., GraphGateway], server: GraphServer, tenant: FakeTenant
) -> None:
    server.page_size = 1
    server.max_expanded_replies = 2
    for i in range(120):
        tenant.post(TEAM_A, GENERAL, FakeMessage(f"5{i:03d}", ago(20, i), BOB))
    for i in range(5):
        tenant.reply(TEAM_A, GENERAL, "5000", FakeMessage(f"6{i:03d}", ago(19, i), ALICE))
    store = MemoryStore()

    result = await sync(make_gateway(), store)

    threads = {t.root.id: t for t in await AdoptionRepository(store).threads(TEAM_A)}
    assert len(threads) == 4 + 120
    assert [r.id for r in threads["5000"].replies] == [f"6{i:03d}" for i in range(5)]
    assert server.count(f"{GENERAL}/messages/delta") == 3  # 123 chains in pages of 50
    assert server.count("/messages/5000/replies") == 1  # the 3 replies beyond the expansion
    assert server.counts["/v1.0/teams"] == 3  # one team per page
    assert server.count(f"{TEAM_A}/members") == 3
    assert result.ok
