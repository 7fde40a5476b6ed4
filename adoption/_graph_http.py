"""HTTP plumbing under the msgraph-sdk client: authentication, retries, pacing.

Why a retry middleware of our own instead of kiota's ``RetryHandler``: kiota's handler
(kiota_http 1.16) retries only 429, 503 and 504, sleeps with ``asyncio.sleep`` directly
(so a test would really wait ``Retry-After`` seconds) and counts nothing. Ours retries
429, 500, 502, 503 and 504, honours ``Retry-After`` (seconds or an HTTP date), falls back
to exponential backoff, awaits an injectable ``sleep`` and counts every attempt.

The middleware chain holds what a sync uses: kiota's redirect handler (the usage
report answers 302 to its CSV), our retry, kiota's user agent and Graph's telemetry
handler (``SdkVersion`` and ``client-request-id`` headers). Kiota's other default
handlers are left out because they do nothing for these requests and each costs a
pass over every request: parameter-name decoding (our URLs and Graph's links already
write ``$top``, not ``%24top``), URL replacement (``/users/TokenToReplace`` to ``/me``,
for delegated tokens) and header/body inspection (only with options we never set).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from kiota_abstractions.authentication import (
    AccessTokenProvider,
    AllowedHostsValidator,
    BaseBearerTokenAuthenticationProvider,
)
from kiota_http.middleware import BaseMiddleware, RedirectHandler, UserAgentHandler

from adoption._graph_types import GraphLimits, Sleep

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class CountingRetryMiddleware(BaseMiddleware):
    """Retries throttled and failed GETs honouring ``Retry-After``; counts every attempt."""

    def __init__(
        self,
        *,
        max_retries: int,
        max_wait: float,
        sleep: Sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__()
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.sleep = sleep
        self.now = now
        self.attempts = 0
        self.retries = 0

    async def send(
        self, request: httpx.Request, transport: httpx.AsyncBaseTransport
    ) -> httpx.Response:
        attempt = 0
        while True:
            self.attempts += 1
            response = await super().send(request, transport)
            if response.status_code not in RETRY_STATUSES or attempt >= self.max_retries:
                return response
            wait = self.delay(attempt, response)
            if wait > self.max_wait:
                return response  # the server asks for longer than we are willing to wait
            await response.aclose()
            attempt += 1
            self.retries += 1
            request.headers["Retry-Attempt"] = str(attempt)
            await self.sleep(wait)

    def delay(self, attempt: int, response: httpx.Response) -> float:
        """``Retry-After`` when present, else 1, 2, 4 ... seconds (+ up to 10% jitter)."""
        header = response.headers.get("retry-after")
        if header:
            parsed = self._parse_retry_after(header.strip())
            if parsed is not None:
                return parsed
        base = float(2**attempt)
        return min(self.max_wait, base + random.uniform(0, base / 10))

    def _parse_retry_after(self, value: str) -> float | None:
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - self.now()).total_seconds())


class StaticTokenProvider(AccessTokenProvider):
    """Hands out a pre-acquired bearer token (``TRIMTAB_GRAPH_TOKEN``)."""

    def __init__(self, token: str, allowed_host: str) -> None:
        self._token = token
        self._hosts = AllowedHostsValidator([allowed_host])

    async def get_authorization_token(
        self, uri: str, additional_authentication_context: dict[str, Any] | None = None
    ) -> str:
        return self._token if self._hosts.is_url_host_valid(uri) else ""

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return self._hosts


def token_auth_provider(token: str, base_url: str) -> BaseBearerTokenAuthenticationProvider:
    """Bearer authentication with a fixed token, sent only to the base URL's host."""
    return BaseBearerTokenAuthenticationProvider(
        StaticTokenProvider(token, urlsplit(base_url).hostname or "")
    )


def build_http_client(
    base_url: str,
    limits: GraphLimits,
    retry: CountingRetryMiddleware,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """An httpx client at ``base_url`` with Graph's middleware and our retry handler.

    ``transport`` (default: httpx's own) carries the bytes under the middleware; the
    bot passes an aiohttp one (``bot.graph_transport``). Its owner closes it."""
    from msgraph_core import GraphClientFactory

    client = httpx.AsyncClient(
        base_url=base_url,
        timeout=httpx.Timeout(limits.timeout, connect=30.0),
        limits=httpx.Limits(
            max_connections=limits.max_in_flight, max_keepalive_connections=limits.max_in_flight
        ),
        http2=base_url.startswith("https:") and transport is None,
        transport=transport,
    )
    middleware = [RedirectHandler(), retry, UserAgentHandler(), graph_telemetry_handler()]
    return GraphClientFactory.create_with_custom_middleware(middleware, client=client)


class Pacer:
    """Spaces request starts at least ``1/rate`` seconds apart (``rate=None``: no pacing)."""

    def __init__(
        self, rate: float | None, sleep: Sleep, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._interval = 1.0 / rate if rate else 0.0
        self._sleep = sleep
        self._clock = clock
        self._next = 0.0

    async def wait(self) -> None:
        if not self._interval:
            return
        now = self._clock()
        start = max(now, self._next)
        self._next = start + self._interval
        if start > now:
            await self._sleep(start - now)


class Slots:
    """Concurrency and pacing: one overall bound plus one per team."""

    def __init__(self, limits: GraphLimits, sleep: Sleep) -> None:
        self._limits = limits
        self._sleep = sleep
        self._overall = asyncio.Semaphore(limits.max_in_flight)
        self._overall_pacer = Pacer(limits.requests_per_second, sleep)
        self._teams: dict[str, tuple[asyncio.Semaphore, Pacer]] = {}

    def _team(self, team_id: str) -> tuple[asyncio.Semaphore, Pacer]:
        slot = self._teams.get(team_id)
        if slot is None:
            slot = self._teams[team_id] = (
                asyncio.Semaphore(self._limits.per_team_in_flight),
                Pacer(self._limits.per_team_requests_per_second, self._sleep),
            )
        return slot

    async def acquire(self, team_id: str | None) -> Callable[[], None]:
        """Wait for a slot; returns the release function."""
        team = self._team(team_id) if team_id else None
        if team:
            await team[0].acquire()
        await self._overall.acquire()
        if team:
            await team[1].wait()
        await self._overall_pacer.wait()

        def release() -> None:
            self._overall.release()
            if team:
                team[0].release()

        return release


def graph_telemetry_handler() -> BaseMiddleware:
    """Graph's telemetry handler, telling a Graph endpoint from another by the request's
    parsed URL. The SDK's own check parses every request URL again (with urllib3's parser,
    a delta link being a few hundred characters) and rebuilds its set of endpoints."""
    from msgraph_core import NationalClouds
    from msgraph_core.middleware import GraphTelemetryHandler

    endpoints = frozenset(cloud.value for cloud in NationalClouds)

    class ParsedURLTelemetryHandler(GraphTelemetryHandler):
        def is_graph_url(self, url: object) -> bool:
            if isinstance(url, httpx.URL):
                return f"{url.scheme}://{url.netloc.decode('ascii')}" in endpoints
            return bool(super().is_graph_url(url))

    return ParsedURLTelemetryHandler()
