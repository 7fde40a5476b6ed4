"""Helpers of the ``adoption sync`` tests: a one-team loopback Graph that can be held."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from tests.fakes.graph_server import FakeTenant, GraphServer

TEAM = "fbe2bf47-16c8-47cf-b4a5-4b9b187c508b"
GUARD = 2.0  # seconds: a hung turn fails the test instead of the whole run


async def one_team_graph() -> AsyncIterator[GraphServer]:
    """A started loopback Graph with one team; released and closed at the end."""
    tenant = FakeTenant()
    tenant.add_team(TEAM, "Contoso Sales", members=["u1", "u2"])
    server = GraphServer(tenant)
    await server.start()
    yield server
    if server.hold is not None:
        server.hold.set()
    await server.close()


async def until_graph_is_asked(graph: GraphServer) -> None:
    """Wait (in event-loop rounds, not time) until a request waits on the held Graph."""
    for _ in range(10_000):
        if graph.waiting:
            return
        await asyncio.sleep(0)
    raise AssertionError("the background sync never reached Graph")
