"""The delivery log and the unreachable list: what was sent, and to whom we cannot send.

Delivery records live in ``bot.deliveries.<xx>``: the idempotency key is hashed
into one of :data:`SHARDS` collections, because the TinyDB backend rewrites a
whole collection file on every write and a single 10,000-record file would make
each claim ~20 ms. A record::

    {"key", "recipient", "state", "attempts", "activity_id", "detail",
     "claimed_at", "updated_at"}

``state`` is ``sending`` (claimed, outcome not yet known), ``delivered``,
``retrying`` (waiting to retry after an answer that proves nothing was posted),
``failed`` (the connector answered with a final error, nothing was posted),
``unreachable`` or ``in_doubt`` (no HTTP answer at all).
Unkeyed sends are recorded too, under ``anon:<uuid>``.

Unreachable recipients live in ``bot.unreachable`` under their directory key:
``{"recipient", "status", "reason", "at"}``; ``Directory.remember`` deletes the
mark when the recipient talks to the bot again or installs it again.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from bot.directory import UNREACHABLE
from bot.storage import DocumentStore

DELIVERIES_PREFIX = "bot.deliveries"
SHARDS = 32

SENDING = "sending"
DELIVERED = "delivered"
FAILED = "failed"
RETRYING = "retrying"
UNREACHABLE_STATE = "unreachable"
#: states that prove nothing was posted: a later send with the same key may try again
RETRYABLE_STATES = frozenset({FAILED, RETRYING, UNREACHABLE_STATE})


def shard_of(key: str) -> str:
    """The collection that holds ``key``'s record."""
    digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).digest()
    return f"{DELIVERIES_PREFIX}.{digest[0] % SHARDS:02d}"


def delivery_collections() -> list[str]:
    return [f"{DELIVERIES_PREFIX}.{i:02d}" for i in range(SHARDS)]


class DeliveryLog:
    """Claims, outcomes and look-ups of delivery records."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def get(self, key: str) -> dict[str, Any] | None:
        return await self.store.get(shard_of(key), key)

    async def claim(self, key: str, recipient: str, now: datetime) -> bool:
        """Atomically claim ``key`` (state ``sending``); ``False`` when a record exists."""
        doc = {
            "key": key,
            "recipient": recipient,
            "state": SENDING,
            "attempts": 0,
            "activity_id": None,
            "detail": "",
            "claimed_at": now.isoformat(),
            "updated_at": now.isoformat(),
        }
        return await self.store.insert_if_absent(shard_of(key), key, doc)

    async def release(self, key: str) -> None:
        """Forget a record whose outcome allows a new attempt (``failed``/``unreachable``)."""
        await self.store.delete(shard_of(key), key)

    async def finish(
        self,
        key: str,
        recipient: str,
        state: str,
        *,
        attempts: int,
        activity_id: str | None,
        detail: str,
        now: datetime,
        claimed_at: datetime | None = None,
    ) -> None:
        """Record the outcome of a send."""
        doc = {
            "key": key,
            "recipient": recipient,
            "state": state,
            "attempts": attempts,
            "activity_id": activity_id,
            "detail": detail,
            "claimed_at": (claimed_at or now).isoformat(),
            "updated_at": now.isoformat(),
        }
        await self.store.put(shard_of(key), key, doc)

    async def all(self) -> dict[str, dict[str, Any]]:
        """Every record (for reports and the benchmark)."""
        records: dict[str, dict[str, Any]] = {}
        for collection in delivery_collections():
            records.update(await self.store.all(collection))
        return records


class UnreachableList:
    """Recipients that answered 403/404: no network call until they come back."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def get(self, recipient: str) -> dict[str, Any] | None:
        return await self.store.get(UNREACHABLE, recipient)

    async def mark(self, recipient: str, status: int, reason: str, now: datetime) -> None:
        doc = {"recipient": recipient, "status": status, "reason": reason, "at": now.isoformat()}
        await self.store.put(UNREACHABLE, recipient, doc)

    async def clear(self, recipient: str) -> bool:
        return await self.store.delete(UNREACHABLE, recipient)
