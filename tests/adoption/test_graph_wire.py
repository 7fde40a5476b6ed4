"""The bytes under the SDK: httpx's transport and the bot's aiohttp one behave alike on
what Graph's edge does that the loopback double does not (gzip, refused connections,
a server that stops answering), and the aiohttp session is closed with the gateway."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from aiohttp import web

from adoption.config import GraphSettings
from adoption.graph import GraphGateway, GraphLimits, GraphUnavailableError, build_gateway
from bot.graph_transport import AiohttpTransport

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    runners: list[web.AppRunner] = []

    async def start(handler: Handler) -> str:
        app = web.Application()
        app.router.add_route("GET", "/v1.0/{tail:.*}", handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{port}/v1.0"

    yield start
    for runner in runners:
        await runner.cleanup()


def gateway(base_url: str, wire: str, **limits: object) -> GraphGateway:
    transport = AiohttpTransport() if wire == "aiohttp" else None
    settings = GraphSettings(base_url=base_url, token="test-token")
    return build_gateway(
        settings, limits=GraphLimits.unpaced(max_retries=0, **limits), transport=transport
    )


@pytest.mark.parametrize("wire", ["httpx", "aiohttp"])
async def test_a_gzip_answer_is_decoded(
    serve: Callable[[Handler], Awaitable[str]], wire: str
) -> None:
    asked: list[str] = []

    async def teams(request: web.Request) -> web.Response:
        asked.append(request.headers.get("Accept-Encoding", ""))
        body = json.dumps({"value": [{"id": "t1", "displayName": "Sales"}]}).encode()
        return web.Response(
            body=gzip.compress(body),
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        )

    graph = gateway(await serve(teams), wire)
    try:
        teams_listed = await graph.list_teams()
    finally:
        await graph.aclose()
    assert [(t.id, t.name) for t in teams_listed] == [("t1", "Sales")]
    assert "gzip" in asked[0]


@pytest.mark.parametrize("wire", ["httpx", "aiohttp"])
async def test_a_refused_connection_is_graph_unavailable(wire: str) -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    graph = gateway(f"http://127.0.0.1:{port}/v1.0", wire)
    try:
        with pytest.raises(GraphUnavailableError, match=r"network error on /v1\.0/teams"):
            await graph.list_teams()
    finally:
        await graph.aclose()


@pytest.mark.parametrize("wire", ["httpx", "aiohttp"])
async def test_a_server_that_stops_answering_is_graph_unavailable(
    serve: Callable[[Handler], Awaitable[str]], wire: str
) -> None:
    release = asyncio.Event()

    async def hang(request: web.Request) -> web.Response:
        await release.wait()
        return web.json_response({"value": []})

    graph = gateway(await serve(hang), wire, timeout=0.2)
    try:
        with pytest.raises(GraphUnavailableError, match="network error"):
            await graph.list_teams()
    finally:
        release.set()
        await graph.aclose()


async def test_the_aiohttp_session_is_closed_with_the_gateway(
    serve: Callable[[Handler], Awaitable[str]],
) -> None:
    async def teams(request: web.Request) -> web.Response:
        return web.json_response({"value": []})

    transport = AiohttpTransport()
    settings = GraphSettings(base_url=await serve(teams), token="test-token")
    graph = build_gateway(settings, limits=GraphLimits.unpaced(), transport=transport)
    await graph.list_teams()
    session = transport._session
    assert session is not None and not session.closed
    await graph.aclose()
    assert session.closed and transport._session is None


def test_proxies_come_from_the_environment_once_per_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.contoso.test:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    transport = AiohttpTransport()
    graph = httpx.URL("https://graph.microsoft.com/v1.0/teams")
    assert transport.proxy_for(graph) == "http://proxy.contoso.test:3128"
    assert transport.proxy_for(httpx.URL("https://127.0.0.1:8443/v1.0/teams")) is None
    plain = httpx.URL("http://graph.microsoft.com/v1.0")
    assert transport.proxy_for(plain) is None  # no HTTP_PROXY set
    monkeypatch.delenv("HTTPS_PROXY")
    assert transport.proxy_for(graph) == "http://proxy.contoso.test:3128"  # decided once
