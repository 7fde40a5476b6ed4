"""The TinyDB store's reader thread: large reads run there, so the event loop keeps serving."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

_T = TypeVar("_T")


class ReaderThread:
    """One worker thread, made on first use (and again if used after :meth:`close`): copies
    and parses of large collections queue instead of crowding the GIL."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None

    async def run(self, fn: Callable[..., _T], *args: object) -> _T:
        """``fn(*args)`` in the thread; its result or its exception."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tinydb-read")
        # In a box, not as the future's result: the future keeps that alive until the loop
        # runs again, and `trimtab report` then computes without yielding (2,000 rollups:
        # +40 MB of raw documents outlived their decoding).
        box: list[_T] = []
        await asyncio.get_running_loop().run_in_executor(self._pool, lambda: box.append(fn(*args)))
        return box.pop()

    def close(self) -> None:
        """Wait for the running read and stop the thread."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
