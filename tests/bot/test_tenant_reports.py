"""Whole-tenant reports: one at a time, equal ones running shared, nothing kept after."""

from __future__ import annotations

import asyncio

import pytest

from bot.tenant_reports import TenantReports


class Work:
    """Report work that waits until released and counts how often it ran."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.started = 0
        self.release = asyncio.Event()

    async def __call__(self) -> str:
        self.started += 1
        await self.release.wait()
        return self.value


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_equal_requests_running_share_one_report() -> None:
    reports, work = TenantReports(), Work("overview")
    waiting = [asyncio.ensure_future(reports.run(("overview", 4), work)) for _ in range(3)]
    await settle()
    work.release.set()
    assert await asyncio.gather(*waiting) == ["overview"] * 3
    assert work.started == 1
    # done reports are not kept: the next request measures again (a sync may have run)
    assert await reports.run(("overview", 4), work) == "overview" and work.started == 2


async def test_different_reports_run_one_at_a_time() -> None:
    reports, first, second = TenantReports(), Work("4 weeks"), Work("8 weeks")
    a = asyncio.ensure_future(reports.run(("overview", 4), first))
    b = asyncio.ensure_future(reports.run(("overview", 8), second))
    await settle()
    assert (first.started, second.started) == (1, 0)  # the second waits for the slot
    first.release.set()
    second.release.set()
    assert await asyncio.gather(a, b) == ["4 weeks", "8 weeks"] and second.started == 1


async def test_a_caller_that_gives_up_does_not_cancel_the_report_for_the_others() -> None:
    reports, work = TenantReports(), Work("overview")
    leaving = asyncio.ensure_future(reports.run("key", work))
    staying = asyncio.ensure_future(reports.run("key", work))
    await settle()
    leaving.cancel()
    await settle()
    work.release.set()
    assert await staying == "overview" and work.started == 1
    with pytest.raises(asyncio.CancelledError):
        await leaving


async def test_a_failed_report_fails_its_waiters_and_the_next_request_runs_again() -> None:
    reports, calls = TenantReports(), []

    async def failing() -> str:
        calls.append(1)
        await asyncio.sleep(0)
        raise RuntimeError("store unavailable")

    waiting = [asyncio.ensure_future(reports.run("key", failing)) for _ in range(2)]
    results = await asyncio.gather(*waiting, return_exceptions=True)
    assert [str(r) for r in results] == ["store unavailable"] * 2 and len(calls) == 1
    with pytest.raises(RuntimeError):
        await reports.run("key", failing)
    assert len(calls) == 2
