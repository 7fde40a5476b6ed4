"""The sliding-window limiter under a fake clock: no window is ever overbooked."""

from __future__ import annotations

import asyncio

import pytest

from bot._ratelimit import CONVERSATION_WINDOWS, Limit, RateLimiter
from tests.bot.proactive_support import FakeSleeper


def max_in_window(times: list[float], seconds: float) -> int:
    """The most events in any half-open window ``[t, t + seconds)``."""
    best = 0
    for i, start in enumerate(times):
        best = max(best, sum(1 for t in times[i:] if t < start + seconds))
    return best


async def booked_times(limiter: RateLimiter, sleeper: FakeSleeper, keys: list[str]) -> list[float]:
    times = []
    for key in keys:
        await limiter.acquire(key, "tenant-1")
        times.append(sleeper.now)
    return times


async def test_one_conversation_never_exceeds_any_teams_window() -> None:
    sleeper = FakeSleeper()
    limiter = RateLimiter(clock=sleeper.monotonic, sleep=sleeper.sleep)
    times = await booked_times(limiter, sleeper, ["conv-1"] * 200)
    assert max_in_window(times, 1.0) <= 7
    assert max_in_window(times, 2.0) <= 8
    assert max_in_window(times, 30.0) <= 60
    # and it is not needlessly slow: 200 sends fit in 4 windows of 30 s
    assert times[-1] - times[0] < 4 * 30


async def test_hourly_window_holds_too() -> None:
    sleeper = FakeSleeper()
    limiter = RateLimiter(
        conversation=(Limit(1800, 3600.0),), tenant=(), clock=sleeper.monotonic, sleep=sleeper.sleep
    )
    times = await booked_times(limiter, sleeper, ["conv-1"] * 1801)
    assert max_in_window(times[:1800], 3600.0) == 1800
    assert times[1800] - times[0] >= 3600.0


async def test_tenant_cap_binds_across_conversations() -> None:
    sleeper = FakeSleeper()
    limiter = RateLimiter(clock=sleeper.monotonic, sleep=sleeper.sleep)
    times = await booked_times(limiter, sleeper, [f"conv-{i}" for i in range(500)])
    assert max_in_window(times, 1.0) <= 50
    assert max_in_window(times, 1.0) == 50, "the tenant budget is used, not wasted"


async def test_tenants_do_not_share_a_budget() -> None:
    sleeper = FakeSleeper()
    limiter = RateLimiter(clock=sleeper.monotonic, sleep=sleeper.sleep)
    for i in range(50):
        assert limiter.try_acquire(f"a-{i}", "tenant-a") == 0
    assert limiter.try_acquire("b-0", "tenant-b") == 0
    assert limiter.try_acquire("a-50", "tenant-a") == pytest.approx(1.0)


async def test_concurrent_tasks_do_not_overbook() -> None:
    sleeper = FakeSleeper()
    limiter = RateLimiter(clock=sleeper.monotonic, sleep=sleeper.sleep)
    times: list[float] = []

    async def one() -> None:
        await limiter.acquire("conv-1", "tenant-1")
        times.append(sleeper.now)

    await asyncio.gather(*(one() for _ in range(30)))
    times.sort()
    assert max_in_window(times, 1.0) <= 7 and max_in_window(times, 2.0) <= 8


def test_documented_teams_figures() -> None:
    assert (
        Limit(7, 1.0),
        Limit(8, 2.0),
        Limit(60, 30.0),
        Limit(1800, 3600.0),
    ) == CONVERSATION_WINDOWS
