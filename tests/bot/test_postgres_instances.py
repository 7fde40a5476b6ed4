"""Several instances on one real PostgreSQL database: one scheduler leader, takeover."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import psycopg
from aiohttp.test_utils import TestClient

from bot.app import LEADERSHIP, SERVICES, create_app
from bot.clock import FakeClock
from bot.leader import LeaderElection
from bot.settings import Settings
from tests.conftest import START, Trimtab
from tests.fakes.ticker import Ticker

ClientFactory = Callable[..., Awaitable[TestClient]]


async def start_instance(
    aiohttp_client: ClientFactory, url: str, ticker: Ticker, tmp: str
) -> TestClient:
    settings = Settings.from_env(
        {"TRIMTAB_DATABASE_URL": url, "TRIMTAB_DATA_DIR": tmp}, dotenv=None
    )
    app = create_app(
        settings, time_source=FakeClock(START).time_source(), leader_sleep=ticker.sleep
    )
    return await aiohttp_client(app)


def election(client: TestClient) -> LeaderElection:
    leadership = client.server.app[LEADERSHIP]
    assert isinstance(leadership, LeaderElection)
    return leadership


async def health(client: TestClient) -> dict[str, Any]:
    response = await client.get("/healthz")
    assert response.status == 200
    return dict(await response.json())


async def test_one_leader_and_the_other_takes_over(
    aiohttp_client: ClientFactory, pg_url: str, tmp_path: Any
) -> None:
    ticker = Ticker()
    first = await start_instance(aiohttp_client, pg_url, ticker, str(tmp_path / "a"))
    second = await start_instance(aiohttp_client, pg_url, ticker, str(tmp_path / "b"))
    await ticker.settle(2)

    leaders = [c for c in (first, second) if election(c).is_leader]
    assert len(leaders) == 1
    leader, follower = leaders[0], (second if leaders[0] is first else first)
    assert (await health(leader))["scheduler"]["leader"] is True
    assert (await health(follower))["scheduler"]["leader"] is False
    assert (await health(leader))["storage"]["backend"] == "PostgresStore"
    assert leader.server.app[SERVICES].scheduler.running
    assert not follower.server.app[SERVICES].scheduler.running

    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (election(leader).backend_pid,))
    for _ in range(50):  # rounds, not time: the server frees the lock when the backend exits
        await ticker.round(2)
        if election(follower).is_leader:
            break
    assert election(follower).is_leader
    assert not election(leader).is_leader, "the old leader stepped down"
    assert follower.server.app[SERVICES].scheduler.state == 1  # running, not paused
    assert leader.server.app[SERVICES].scheduler.state == 2  # paused

    await ticker.round(2)
    assert [election(c).is_leader for c in (first, second)].count(True) == 1
    assert (await health(follower))["scheduler"]["leader"] is True


async def test_closing_the_leader_hands_over(
    aiohttp_client: ClientFactory, pg_url: str, tmp_path: Any
) -> None:
    ticker = Ticker()
    first = await start_instance(aiohttp_client, pg_url, ticker, str(tmp_path / "a"))
    await ticker.settle(1)
    assert election(first).is_leader
    second = await start_instance(aiohttp_client, pg_url, ticker, str(tmp_path / "b"))
    await ticker.settle(2)
    assert not election(second).is_leader

    await first.close()  # a clean shutdown releases the lock at once
    await ticker.round(1)
    assert election(second).is_leader


async def test_a_single_embedded_instance_always_leads(trimtab: Trimtab) -> None:
    body = await health(trimtab.client)
    assert body["scheduler"]["leader"] is True
    assert body["scheduler"]["election"] == "single process"
    assert body["storage"]["backend"] == "MemoryStore"
    assert trimtab.services.scheduler.running
