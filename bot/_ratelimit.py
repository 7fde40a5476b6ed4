"""Sliding-window rate limits for outgoing Bot Connector requests.

Teams throttles bots (Microsoft Learn, "Optimize your bot with rate limiting
and best practices in Teams",
https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit,
checked 2026): *per bot per thread* (one 1:1 chat, group chat or channel)
"send to conversation" and "create conversation" may each do at most

    7 operations in 1 s,  8 in 2 s,  60 in 30 s,  1800 in 3600 s

and the *global limit per app per tenant* is 50 requests per second. Apps over
a limit get ``HTTP 429 Too Many Requests`` and must back off (exponential with
jitter; 412, 502 and 504 are worth retrying too). The figures "are subject to
change", so they are plain data here (:data:`CONVERSATION_WINDOWS`,
:data:`TENANT_WINDOWS`) and the sender still handles 429. The server counts request *arrivals* while
the limiter books *departures*; a small ``margin`` (the app uses 5 %) keeps
network jitter from turning into 429s.

A :class:`SlidingWindow` keeps the send times of the last ``seconds`` per key;
:class:`RateLimiter` waits (through an injected ``sleep``) until every window of
the conversation and of the tenant has room, then books the slot. Booking is
synchronous, so concurrent tasks on one event loop never overbook.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.clock import Monotonic, Sleep


@dataclass(frozen=True)
class Limit:
    """At most ``count`` operations in any ``seconds`` long window."""

    count: int
    seconds: float


CONVERSATION_WINDOWS: tuple[Limit, ...] = (
    Limit(7, 1.0),
    Limit(8, 2.0),
    Limit(60, 30.0),
    Limit(1800, 3600.0),
)
TENANT_WINDOWS: tuple[Limit, ...] = (Limit(50, 1.0),)
#: what the sender books per tenant: the documented 50/s, paced at most 5 per 100 ms
#: so a burst booked at once cannot arrive bunched into a neighbouring second
PACED_TENANT_WINDOWS: tuple[Limit, ...] = (*TENANT_WINDOWS, Limit(5, 0.1))


@dataclass
class SlidingWindow:
    """Send times per key for one :class:`Limit`; old entries are dropped as time passes."""

    limit: Limit
    _times: dict[str, deque[float]] = field(default_factory=dict)

    def _prune(self, key: str, now: float) -> deque[float]:
        times = self._times.get(key)
        if times is None:
            return deque()
        horizon = now - self.limit.seconds
        while times and times[0] <= horizon:
            times.popleft()
        if not times:
            del self._times[key]
        return times

    def wait(self, key: str, now: float) -> float:
        """Seconds until ``key`` may send again under this window (0 when it may now)."""
        times = self._prune(key, now)
        if len(times) < self.limit.count:
            return 0.0
        return times[len(times) - self.limit.count] + self.limit.seconds - now

    def book(self, key: str, now: float) -> None:
        self._times.setdefault(key, deque()).append(now)

    def keys(self) -> int:
        return len(self._times)


def _stretch(limit: Limit, margin: float) -> Limit:
    return Limit(limit.count, limit.seconds * (1.0 + margin))


class RateLimiter:
    """Waits until a conversation and its tenant both have room under every window."""

    def __init__(
        self,
        *,
        conversation: Sequence[Limit] = CONVERSATION_WINDOWS,
        tenant: Sequence[Limit] = TENANT_WINDOWS,
        clock: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        margin: float = 0.0,
    ) -> None:
        """``margin`` stretches every window (0.05: 50 per 1.05 s) to absorb network jitter."""
        self._conversation = [SlidingWindow(_stretch(limit, margin)) for limit in conversation]
        self._tenant = [SlidingWindow(_stretch(limit, margin)) for limit in tenant]
        self._clock = clock
        self._sleep = sleep

    def delay(self, conversation_id: str, tenant_id: str) -> float:
        """Seconds to wait before the next request to this conversation may go out."""
        now = self._clock()
        waits = [w.wait(conversation_id, now) for w in self._conversation]
        waits += [w.wait(tenant_id, now) for w in self._tenant]
        return max(waits, default=0.0)

    def try_acquire(self, conversation_id: str, tenant_id: str) -> float:
        """Book a slot and return 0, or book nothing and return how long to wait."""
        wait = self.delay(conversation_id, tenant_id)
        if wait > 0:
            return wait
        now = self._clock()
        for window in self._conversation:
            window.book(conversation_id, now)
        for window in self._tenant:
            window.book(tenant_id, now)
        return 0.0

    async def acquire(self, conversation_id: str, tenant_id: str) -> float:
        """Wait for and book a slot; returns the total time waited (by the injected clock)."""
        waited = 0.0
        while (wait := self.try_acquire(conversation_id, tenant_id)) > 0:
            await self._sleep(wait)
            waited += wait
        return waited
