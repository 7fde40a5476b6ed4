"""Leadership: exactly one instance runs the scheduled jobs and proactive fan-outs.

On PostgreSQL the leader is the instance holding an advisory lock on a
connection of its own. Followers try again every ``interval`` seconds; when the
leader's connection dies the server releases the lock and the next follower to
try takes over. A leader whose connection fails steps down (pauses its
scheduler) before reconnecting, so two leaders never run jobs for longer than
one interval. With TinyDB or memory there is one process: it always leads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import psycopg
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.storage.dburl import DatabaseConfig
from bot.storage.protocol import DocumentStore

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[Any]]
Hook = Callable[[], Awaitable[None]]

#: Advisory lock key of the scheduler leadership ("trim" + 1).
LEADER_LOCK_KEY = 0x7472696D_0002
DEFAULT_INTERVAL_SECONDS = 5.0


class Leadership(Protocol):
    """What the app and /healthz see of leadership."""

    @property
    def is_leader(self) -> bool: ...

    def describe(self) -> dict[str, Any]: ...

    async def stop(self) -> None: ...


class SoleLeader:
    """One process on an embedded store: always the leader."""

    is_leader = True

    def describe(self) -> dict[str, Any]:
        return {"leader": True, "election": "single process"}

    async def stop(self) -> None:
        """Nothing to release."""


class LeaderElection:
    """Campaign for the advisory lock ``lock_key`` on a dedicated connection."""

    def __init__(
        self,
        config: DatabaseConfig,
        *,
        on_elected: Hook,
        on_deposed: Hook,
        interval: float = DEFAULT_INTERVAL_SECONDS,
        sleep: Sleep = asyncio.sleep,
        lock_key: int = LEADER_LOCK_KEY,
    ) -> None:
        self._config = config
        self._on_elected = on_elected
        self._on_deposed = on_deposed
        self._interval = interval
        self._sleep = sleep
        self._lock_key = lock_key
        self._conn: psycopg.AsyncConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self.is_leader = False
        self.backend_pid: int | None = None
        self.last_error: str | None = None

    def start(self) -> None:
        """Campaign in the background until ``stop``."""
        self._task = asyncio.get_running_loop().create_task(self._campaign())

    async def stop(self) -> None:
        """Stop campaigning and release the lock (by closing its connection)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.is_leader and self._conn is not None:
            with contextlib.suppress(psycopg.Error):  # hand over now, not when the backend exits
                await self._conn.execute("SELECT pg_advisory_unlock(%s)", (self._lock_key,))
        await self._disconnect()
        self.is_leader = False

    def describe(self) -> dict[str, Any]:
        return {
            "leader": self.is_leader,
            "election": "postgresql advisory lock",
            "retry_seconds": self._interval,
            "last_error": self.last_error,
        }

    async def _campaign(self) -> None:
        while True:
            await self.try_once()
            await self._sleep(self._interval)

    async def try_once(self) -> None:
        """One round: take the lock, or check that we still hold it."""
        try:
            if self._conn is None or self._conn.closed:
                self._conn = await psycopg.AsyncConnection.connect(
                    self._config.url, autocommit=True, connect_timeout=10
                )
                self.backend_pid = self._conn.info.backend_pid
            if self.is_leader:
                await self._conn.execute("SELECT 1")  # the lock lives as long as this session
            else:
                cur = await self._conn.execute("SELECT pg_try_advisory_lock(%s)", (self._lock_key,))
                row = await cur.fetchone()
                if row and row[0]:
                    self.is_leader = True
                    log.info("this instance is now the scheduler leader")
                    await self._on_elected()
            self.last_error = None
        except psycopg.Error as error:
            self.last_error = " ".join(str(error).split()) or type(error).__name__
            await self._disconnect()
            if self.is_leader:
                self.is_leader = False
                log.warning("lost scheduler leadership: %s", self.last_error)
                await self._on_deposed()

    async def _disconnect(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                await self._conn.close()
            self._conn = None


async def start_leadership(
    store: DocumentStore,
    scheduler: AsyncIOScheduler,
    *,
    sleep: Sleep | None = None,
    on_elected: Hook | None = None,
) -> Leadership:
    """Run ``scheduler`` only while this instance leads; start campaigning now.

    ``on_elected`` runs each time this instance becomes the leader, before its jobs start
    (e.g. settling deliveries a previous leader left in flight: only a leader may, since a
    follower cannot tell a dead run's ``sending`` key from the live leader's).
    """
    from bot.storage.postgres import PostgresStore

    if not isinstance(store, PostgresStore):
        if on_elected is not None:
            await on_elected()
        scheduler.start()
        return SoleLeader()

    async def elected() -> None:
        if on_elected is not None:
            try:
                await on_elected()
            except Exception:  # the jobs must still run; the hook's failure is logged
                log.exception("the leader's start-up hook failed")
        if scheduler.running:
            scheduler.resume()
        else:
            scheduler.start()

    async def deposed() -> None:
        if scheduler.running:
            scheduler.pause()

    election = LeaderElection(
        store.config, on_elected=elected, on_deposed=deposed, sleep=sleep or asyncio.sleep
    )
    election.start()
    return election
