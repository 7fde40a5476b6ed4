"""Work off the chat turn and off the event loop: background tasks and the compute lane.

A command that would outlast the Bot Service's request window (``adoption sync``)
answers at once and hands its work to :class:`BackgroundTasks` on ``Services``. The app
factory closes it before the store: every task still running is cancelled and awaited,
so no task outlives the app and none writes to a closed store.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import sys
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


class AppStoppingError(RuntimeError):
    """A task was asked for while the app shuts down."""


class BackgroundTasks:
    """The app's running background tasks (one set per app, never a module global)."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._closing = False

    def spawn(self, work: Coroutine[Any, Any, None], *, name: str) -> asyncio.Task[None]:
        """Run ``work`` as a task of the app; raises :class:`AppStoppingError` at shutdown."""
        if self._closing:
            work.close()  # never started: no "coroutine was never awaited" warning
            raise AppStoppingError(f"the app is stopping; {name} not started")
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task %s failed", task.get_name(), exc_info=task.exception())

    @property
    def running(self) -> list[str]:
        """Names of the tasks still running."""
        return sorted(t.get_name() for t in self._tasks if not t.done())

    async def join(self) -> None:
        """Wait until every task has ended (tests and orderly shutdowns)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Refuse new tasks, cancel the running ones and wait for them to unwind."""
        self._closing = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            log.info("stopping background tasks: %s", ", ".join(t.get_name() for t in tasks))
            await asyncio.gather(*tasks, return_exceptions=True)


class ComputeLane:
    """The worker thread that CPU work of the bot's surfaces runs in (reports, page
    contexts, charts, templates), so the event loop keeps answering ``/healthz`` and turns.

    One worker by default, not a pool: under the GIL more threads add no throughput, and
    each extra busy thread makes the event loop wait longer for its turn on the GIL.
    """

    def __init__(self, workers: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="trimtab-compute")

    async def run(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """``fn(*args, **kwargs)`` in the worker thread; its result or its exception."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(fn, *args, **kwargs))

    def close(self) -> None:
        """Drop queued work and let the running call finish on its own (no waiting)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


#: CPython's default is 5 ms. The event loop shares the GIL with the compute lane and the
#: store's reader thread; at 1 ms it gets the GIL back sooner after each wait, which took
#: /healthz under ten dashboard pages from p50 9.6 / p99 364 ms to 2.5 / 131 ms on a loaded
#: 2-core machine (bench/healthz_bench.py, 100 teams) at no measurable cost in page time.
SWITCH_INTERVAL = 0.001


def favour_the_event_loop() -> None:
    """Shorten the interpreter's thread switch interval (process-wide) for the event loop."""
    if sys.getswitchinterval() > SWITCH_INTERVAL:
        sys.setswitchinterval(SWITCH_INTERVAL)


def freeze_startup_heap() -> None:
    """Exempt what is alive once the service has started (modules, the Graph SDK's and
    botbuilder's classes, settings) from the cycle collector's full passes.

    A full pass scans every tracked object and holds the GIL throughout: under ten
    2,000-team dashboard pages they held ``/healthz`` for up to 0.3 s. Objects made
    later are collected as before; the frozen ones are still freed by reference counting.
    For a long-running process only (``trimtab run``): a test session that builds many apps
    would keep their later-abandoned cycles."""
    gc.collect()
    gc.freeze()
