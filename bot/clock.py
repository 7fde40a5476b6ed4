"""Time as a dependency: one :class:`TimeSource` (wall clock, monotonic clock, sleep).

The app factory takes the three and hands them to every rule (``now`` from ``clock``), to
the proactive sender (retry backoff through ``sleep``) and to the rate limiter (windows on
``monotonic``), so tests drive the app's own sender on fake time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]
Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


def system_clock() -> datetime:
    """The real time, timezone-aware (UTC)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class TimeSource:
    """Where a running app reads the time and how it waits."""

    clock: Clock = system_clock
    monotonic: Monotonic = time.monotonic
    sleep: Sleep = asyncio.sleep


class FakeClock:
    """A clock for tests and simulations: it moves only when told.

    ``monotonic`` and ``sleep`` form the matching fake pair: ``sleep`` advances the
    monotonic reading at once (no real waiting) and leaves the wall clock where the test
    put it, so waits inside the rate limiter never shift the dates a test asserts.
    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self.current = start
        self.elapsed = 0.0
        self.slept = 0.0

    def __call__(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> datetime:
        self.current += delta
        self.elapsed += delta.total_seconds()
        return self.current

    def set(self, when: datetime) -> None:
        if when > self.current:
            self.elapsed += (when - self.current).total_seconds()
        self.current = when

    def monotonic(self) -> float:
        """Seconds since the start, counting ``advance``/``set`` forward and every sleep."""
        return self.elapsed

    async def sleep(self, seconds: float) -> None:
        """Advance the monotonic reading by ``seconds`` and yield once to the event loop."""
        if seconds > 0:
            self.elapsed += seconds
            self.slept += seconds
        await asyncio.sleep(0)

    def time_source(self) -> TimeSource:
        """This fake as the app's time source."""
        return TimeSource(self, self.monotonic, self.sleep)
