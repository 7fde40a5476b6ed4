"""Whole-tenant reports for pages and cards: one at a time, and shared while running.

Measuring 2,000 teams holds every team's decoded rollups (about 60 MB) and seconds of the
compute lane. Ten pages at once each holding theirs while queued cost 600 MB and long
collector passes that held every thread, ``/healthz`` included; so whole-tenant reports
run one at a time. And ten people opening the same overview together want the same
numbers: a request whose key (the period and what else decides the result) matches a
report being measured waits for that one instead of queueing its own.

Nothing is kept once a report is done: the next request measures again (the data may
have changed with a sync), so this never serves a stale report.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

__all__ = ["TenantReports"]

_T = TypeVar("_T")


class TenantReports:
    """Runs whole-tenant report work one at a time; equal keys running share the result."""

    def __init__(self) -> None:
        self._queue = asyncio.Semaphore(1)
        self._running: dict[Hashable, asyncio.Task[Any]] = {}

    async def run(self, key: Hashable, work: Callable[[], Awaitable[_T]]) -> _T:
        """``await work()`` in the queue, or the result of the running work of ``key``.

        The work runs as a task of its own: a caller that gives up (a closed page) does not
        cancel it for the others waiting on it."""
        task = self._running.get(key)
        if task is None:
            task = asyncio.ensure_future(self._queued(work))
            self._running[key] = task
            task.add_done_callback(lambda done: self._finished(key, done))
        result: _T = await asyncio.shield(task)
        return result

    async def _queued(self, work: Callable[[], Awaitable[_T]]) -> _T:
        async with self._queue:
            return await work()

    def _finished(self, key: Hashable, task: asyncio.Task[Any]) -> None:
        if self._running.get(key) is task:
            del self._running[key]
        if not task.cancelled():
            task.exception()  # seen here: every caller may have given up before it ended
