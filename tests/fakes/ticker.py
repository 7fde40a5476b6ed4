"""An injected ``sleep`` that returns only when the test says so: no real waiting."""

from __future__ import annotations

import asyncio
from collections import Counter


class Ticker:
    """Loops that ``await ticker.sleep(seconds)`` advance one round per ``tick``."""

    def __init__(self) -> None:
        self._condition = asyncio.Condition()
        self._generation = 0
        self._asleep: Counter[int] = Counter()

    async def sleep(self, _seconds: float) -> None:
        async with self._condition:
            generation = self._generation
            self._asleep[generation] += 1
            self._condition.notify_all()
            await self._condition.wait_for(lambda: self._generation != generation)

    async def settle(self, loops: int) -> None:
        """Wait until ``loops`` loops finished their round and sleep again."""
        async with self._condition:
            await self._condition.wait_for(lambda: self._asleep[self._generation] >= loops)

    async def round(self, loops: int) -> None:
        """Wake every sleeping loop and wait until ``loops`` of them sleep again."""
        async with self._condition:
            self._generation += 1
            self._condition.notify_all()
        await self.settle(loops)
