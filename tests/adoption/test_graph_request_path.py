"""The gateway's request path: Graph-shaped URLs, the headers Graph asks for, and nothing
resolved at run time that a profile of a full sync found there (see bench/sync_bench.py)."""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from urllib.parse import parse_qs

from adoption.graph import GraphGateway
from tests.adoption.conftest import GENERAL, TEAM_A, ago
from tests.fakes.graph_server import GraphServer


class ImportRecorder(importlib.abc.MetaPathFinder):
    """First on ``sys.meta_path``: sees every import that is not already in sys.modules."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        self.names.append(name)
        return None  # let the real finders answer


async def read_team(gateway: GraphGateway) -> None:
    await gateway.list_channels(TEAM_A)
    await gateway.list_member_ids(TEAM_A)
    async for _ in gateway.channel_delta(TEAM_A, GENERAL, cursor=None, since=ago(28)):
        pass


async def test_a_warm_request_path_imports_nothing(
    make_gateway: Callable[..., GraphGateway],
) -> None:
    gateway = make_gateway()
    await read_team(gateway)  # first use: lazy imports are allowed once
    recorder = ImportRecorder()
    sys.meta_path.insert(0, recorder)
    try:
        for _ in range(3):
            await read_team(gateway)
    finally:
        sys.meta_path.remove(recorder)
    # httpcore asks for sniffio on every lock it makes; without the package installed
    # each ask was a failed import searching sys.path.
    assert recorder.names == []


async def test_the_first_delta_request_is_the_documented_one(
    make_gateway: Callable[..., GraphGateway], server: GraphServer
) -> None:
    gateway = make_gateway()
    pages = [p async for p in gateway.channel_delta(TEAM_A, GENERAL, cursor=None, since=ago(28))]
    first = next(s for s in server.recent if s.path.endswith("/messages/delta()"))
    # option names with a literal $ (as Graph writes its own links), values encoded
    assert first.raw_query.startswith("$filter=lastModifiedDateTime%20gt%20")
    query = parse_qs(first.raw_query)
    assert query == {
        "$filter": [f"lastModifiedDateTime gt {ago(28).strftime('%Y-%m-%dT%H:%M:%S.000Z')}"],
        "$expand": ["replies"],
        "$top": ["50"],
    }
    assert pages[-1].delta_link  # the round ends with the channel's cursor


async def test_requests_carry_the_bearer_token_and_pass_the_kept_middleware(
    make_gateway: Callable[..., GraphGateway], server: GraphServer
) -> None:
    gateway = make_gateway()
    await gateway.list_channels(TEAM_A)
    headers = {k.lower(): v for k, v in server.recent[-1].headers.items()}
    assert headers["authorization"] == "Bearer test-token"
    assert headers["accept"] == "application/json"
    assert "kiota-python" in headers["user-agent"]
    # Graph's telemetry handler adds SdkVersion/client-request-id on Graph's hosts only.
    middleware = gateway._http._transport.pipeline._first_middleware  # type: ignore[attr-defined]
    chain = []
    while middleware is not None:
        chain.append(type(middleware).__name__)
        middleware = middleware.next
    assert chain == [
        "RedirectHandler",
        "CountingRetryMiddleware",
        "UserAgentHandler",
        "ParsedURLTelemetryHandler",  # Graph's, with a cheaper endpoint check (test below)
    ]


async def test_the_users_listing_writes_its_options_with_a_literal_dollar(
    make_gateway: Callable[..., GraphGateway], server: GraphServer
) -> None:
    gateway = make_gateway()
    await gateway.list_user_departments()
    first = next(s for s in server.recent if s.path.endswith("/users"))
    assert first.raw_query == "$select=id,department,userPrincipalName&$top=999"


def test_the_telemetry_handler_tells_graph_endpoints_as_the_sdk_does() -> None:
    import httpx
    from msgraph_core.middleware import GraphTelemetryHandler

    from adoption._graph_http import graph_telemetry_handler

    ours, sdk = graph_telemetry_handler(), GraphTelemetryHandler()
    urls = [
        "https://graph.microsoft.com/v1.0/teams/t/channels/c/messages/delta()?$top=50",
        "https://graph.microsoft.us/v1.0/teams",
        "https://microsoftgraph.chinacloudapi.cn/v1.0/teams",
        "https://graph.microsoft.com:443/v1.0/teams",
        "https://GRAPH.microsoft.com/v1.0/teams",
        "http://graph.microsoft.com/v1.0/teams",
        "http://127.0.0.1:8080/v1.0/teams",
        "https://graph.microsoft.com.evil.example/v1.0/teams",
    ]
    seen = [(u, ours.is_graph_url(httpx.URL(u))) for u in urls]
    assert seen == [(u, sdk.is_graph_url(httpx.URL(u))) for u in urls]
    assert [graph for _, graph in seen] == [True, True, True, True, True, False, False, False]
