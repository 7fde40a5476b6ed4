"""One Graph sync at a time across instances: a claim document with an expiry.

With several instances on one PostgreSQL database the per-app ``sync_lock`` is not
enough: two admins (or an admin and the nightly job on the leader) could start a
sync on two instances. Before a sync an instance writes ``bot.sync_claims/adoption``
with a conditional write (``put_if_version``: absent, or the version it read when
the claim there had expired), renews it while the sync runs and releases it at the
end by marking it expired, again conditionally. An instance that dies mid-sync
leaves a claim that expires after :data:`CLAIM_TTL`; nobody waits longer than that.

Timestamps come from the app's clock; the renewal pace from the ``sleep`` given.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock, Sleep
from bot.storage import DocumentStore
from bot.storage.errors import ConflictError

log = logging.getLogger(__name__)

CLAIMS = "bot.sync_claims"
KEY = "adoption"
CLAIM_TTL = timedelta(minutes=10)
RENEW_EVERY = CLAIM_TTL / 4


class SyncClaim:
    """This instance's claim on the tenant's sync (see the module docstring)."""

    COLLECTIONS = (CLAIMS,)

    def __init__(self, store: DocumentStore, clock: Clock, *, sleep: Sleep = asyncio.sleep) -> None:
        self._store = store
        self._clock = clock
        self._sleep = sleep
        self.instance = uuid.uuid4().hex
        self._version: int | None = None
        self._renewer: asyncio.Task[None] | None = None

    def _doc(self, started: str, expires: datetime) -> dict[str, Any]:
        return {"instance": self.instance, "started": started, "expires": expires.isoformat()}

    async def holder(self) -> dict[str, Any] | None:
        """The live claim of another instance, or ``None``."""
        doc, _ = await self._store.get_versioned(CLAIMS, KEY)
        if doc is None or self._expired(doc):
            return None
        return doc

    def _expired(self, doc: dict[str, Any]) -> bool:
        try:
            return datetime.fromisoformat(str(doc["expires"])) <= self._clock()
        except (KeyError, ValueError, TypeError):
            return True  # unreadable: treat as free rather than block syncs forever

    async def acquire(self) -> bool:
        """Claim the sync; ``False`` when another instance holds a live claim."""
        doc, version = await self._store.get_versioned(CLAIMS, KEY)
        if doc is not None and not self._expired(doc):
            return False
        now = self._clock()
        try:
            self._version = await self._store.put_if_version(
                CLAIMS, KEY, self._doc(now.isoformat(), now + CLAIM_TTL), version
            )
        except ConflictError:
            return False  # another instance claimed it between our read and write
        self._renewer = asyncio.create_task(self._renew(now.isoformat()), name="sync-claim")
        return True

    async def _renew(self, started: str) -> None:
        while True:
            await self._sleep(RENEW_EVERY.total_seconds())
            try:
                self._version = await self._store.put_if_version(
                    CLAIMS, KEY, self._doc(started, self._clock() + CLAIM_TTL), self._version
                )
            except ConflictError:
                log.warning("the sync claim was taken over by another instance")
                return
            except Exception:  # a database blip: try again next round, the TTL covers it
                log.warning("could not renew the sync claim", exc_info=True)

    async def release(self) -> None:
        """Stop renewing and mark the claim expired (only if it is still ours)."""
        if self._renewer is not None:
            self._renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._renewer
            self._renewer = None
        if self._version is None:
            return
        doc, version = await self._store.get_versioned(CLAIMS, KEY)
        self._version, expected = None, version
        if doc is None or doc.get("instance") != self.instance:
            return
        released = {**doc, "expires": self._clock().isoformat(), "released": True}
        with contextlib.suppress(ConflictError):
            await self._store.put_if_version(CLAIMS, KEY, released, expected)
