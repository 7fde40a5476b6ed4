"""The wire under the tracker's msgraph-sdk client: aiohttp instead of httpcore.

msgraph-sdk sends through an ``httpx.AsyncClient``: its request adapter authenticates
the request, its middleware redirects, retries and adds Graph's telemetry, and the
client's *transport* finally speaks HTTP. httpx's own transport (httpcore on anyio, h11
parsing in Python) was about half of the CPU a sync spends per request in a profile of
``bench/sync_bench.py``; aiohttp, which the bot already runs on, parses HTTP in C. This
transport only carries bytes: the SDK above it keeps authentication, retries, paging and
redirects (``allow_redirects=False`` here).

Kept as httpx did it: certificates from certifi (``httpx.create_ssl_context``), proxies
from ``HTTP(S)_PROXY``/``NO_PROXY`` (read once per host: aiohttp's ``trust_env`` would
also read ``~/.netrc`` in a worker thread on every request, a tenth of a sync's CPU
in a profile), compressed bodies decoded by httpx
from ``Content-Encoding``, and the request's connect and read timeouts. Failures come
back as httpx's exceptions (connect, timeout, read), which the gateway reports as
:class:`~adoption.graph.GraphUnavailableError`. HTTP/1.1 only, with keep-alive
connections (the gateway bounds how many requests are in flight).

It lives in ``bot`` because domain packages never import aiohttp; the bot and the
benchmark hand it to :func:`adoption.graph.build_gateway`.
"""

from __future__ import annotations

from urllib.request import getproxies, proxy_bypass

import aiohttp
import httpx


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An ``httpx`` transport that sends each request through one aiohttp session."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None
        self._env_proxies = getproxies()  # HTTP_PROXY, HTTPS_PROXY... by scheme
        self._proxies: dict[tuple[str, str], str | None] = {}

    def proxy_for(self, url: httpx.URL) -> str | None:
        """The proxy the environment names for ``url``'s scheme, unless NO_PROXY covers
        its host (decided once per scheme and host)."""
        key = (url.scheme, url.host)
        if key not in self._proxies:
            proxy = self._env_proxies.get(url.scheme)
            self._proxies[key] = None if not proxy or proxy_bypass(url.host) else proxy
        return self._proxies[key]

    def _open(self) -> aiohttp.ClientSession:
        # Made on first use: a session belongs to the event loop it was created in.
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=0, ssl=httpx.create_ssl_context())
            self._session = aiohttp.ClientSession(
                connector=connector,
                trust_env=False,
                auto_decompress=False,
                skip_auto_headers=("User-Agent", "Accept-Encoding"),
            )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts = request.extensions.get("timeout", {})
        timeout = aiohttp.ClientTimeout(
            total=None, sock_connect=timeouts.get("connect"), sock_read=timeouts.get("read")
        )
        body = await request.aread()
        try:
            async with self._open().request(
                request.method,
                str(request.url),
                headers=list(request.headers.multi_items()),
                data=body or None,
                allow_redirects=False,
                timeout=timeout,
                proxy=self.proxy_for(request.url),
            ) as response:
                content = await response.read()
                status, headers = response.status, list(response.raw_headers)
        except aiohttp.ClientConnectorError as exc:
            raise httpx.ConnectError(str(exc), request=request) from exc
        except aiohttp.ConnectionTimeoutError as exc:
            raise httpx.ConnectTimeout(str(exc) or "connect timed out", request=request) from exc
        except TimeoutError as exc:
            raise httpx.ReadTimeout(str(exc) or "timed out", request=request) from exc
        except aiohttp.ClientError as exc:
            raise httpx.ReadError(str(exc) or type(exc).__name__, request=request) from exc
        return httpx.Response(
            status,
            headers=headers,
            content=content,
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
