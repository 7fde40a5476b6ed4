"""Background tasks the app owns: started by a turn, ended with the app.

A command that would outlast the Bot Service's request window (``adoption sync``)
answers at once and hands its work to :class:`BackgroundTasks` on ``Services``. The app
factory closes it before the store: every task still running is cancelled and awaited,
so no task outlives the app and none writes to a closed store.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


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
