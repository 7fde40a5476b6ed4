"""The delivery log and the unreachable list: what was sent, and to whom we cannot send.

Delivery records live in ``bot.deliveries.<xx>``: the idempotency key is hashed
into one of :data:`SHARDS` collections, because the TinyDB backend rewrites a
whole collection file on every write and a single 10,000-record file would make
each claim ~20 ms. A record::

    {"key", "recipient", "state", "attempts", "activity_id", "detail",
     "claimed_at", "updated_at", "feature", "week"}

``feature`` (``tips``, ``digest``, ``circle``, ``nudge`` …) and ``week`` (ISO week label)
come from :meth:`DeliveryLog.label`, set by the fan-out before the send, so the delivery
report can count per feature and week.

``state`` is ``sending`` (claimed, outcome not yet known), ``delivered``,
``retrying`` (waiting to retry after an answer that proves nothing was posted),
``failed`` (the connector answered with a final error, nothing was posted),
``unreachable``, ``skipped`` (the person muted it) or ``in_doubt`` (no HTTP answer at all,
or a ``sending`` record found at start: the run that claimed it died, see
:meth:`DeliveryLog.settle_in_doubt`). Records older than the retention are pruned to a
key-only tombstone (``{"key", "state", "pruned": true}``) so a key stays at most once.
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
from bot.storage import ConflictError, DocumentStore

DELIVERIES_PREFIX = "bot.deliveries"
SHARDS = 32

SENDING = "sending"
DELIVERED = "delivered"
FAILED = "failed"
RETRYING = "retrying"
UNREACHABLE_STATE = "unreachable"
SKIPPED = "skipped"
IN_DOUBT = "in_doubt"
#: states that prove nothing was posted: a later send with the same key may try again
RETRYABLE_STATES = frozenset({FAILED, RETRYING, UNREACHABLE_STATE, SKIPPED})
#: pruned records of these states keep a tombstone (the key must stay at most once)
KEEP_KEY_STATES = frozenset({DELIVERED, IN_DOUBT, SENDING})


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
        self._labels: dict[str, dict[str, str]] = {}

    def label(self, key: str, feature: str, week: str) -> None:
        """Remember what ``key`` is for; written on its next records (kept in memory only)."""
        self._labels[key] = {"feature": feature, "week": week}

    def _label_of(self, key: str) -> dict[str, str]:
        return self._labels.get(key) or label_from_key(key)

    async def get(self, key: str) -> dict[str, Any] | None:
        return await self.store.get(shard_of(key), key)

    def _fresh_claim(self, key: str, recipient: str, now: datetime) -> dict[str, Any]:
        """The record of a key just claimed: ``sending``, nothing posted yet."""
        return {
            "key": key,
            "recipient": recipient,
            "state": SENDING,
            "attempts": 0,
            "activity_id": None,
            "detail": "",
            "claimed_at": now.isoformat(),
            "updated_at": now.isoformat(),
            **self._label_of(key),
        }

    async def claim(self, key: str, recipient: str, now: datetime) -> bool:
        """Atomically claim ``key`` (state ``sending``); ``False`` when a record exists."""
        doc = self._fresh_claim(key, recipient, now)
        return await self.store.insert_if_absent(shard_of(key), key, doc)

    async def reclaim(self, key: str, recipient: str, now: datetime) -> bool:
        """Claim ``key`` again when its record proves nothing was posted (a retryable state).

        A conditional write from the record read: when two instances retry the same key at
        once, exactly one gets ``True`` (a delete and re-insert would let the second delete
        the first one's fresh claim and both would send)."""
        collection = shard_of(key)
        record, version = await self.store.get_versioned(collection, key)
        if record is None:
            return await self.claim(key, recipient, now)
        if record.get("state") not in RETRYABLE_STATES:
            return False
        doc = self._fresh_claim(key, recipient, now)
        try:
            await self.store.put_if_version(collection, key, doc, version)
        except ConflictError:
            return False
        return True

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
            **self._label_of(key),
        }
        await self.store.put(shard_of(key), key, doc)
        if state not in (SENDING, RETRYING):
            self._labels.pop(key, None)

    async def settle_in_doubt(self, now: datetime) -> list[dict[str, Any]]:
        """When this instance starts leading: every record left ``sending`` becomes ``in_doubt``.

        ``sending`` is a claim whose outcome was never written (a kill between claim and
        confirmation). Each change is a conditional write: a send that confirms its outcome
        meanwhile (a live sender, e.g. another instance's turn) keeps it. Returns the settled
        records.
        """
        settled: list[dict[str, Any]] = []
        for collection in delivery_collections():
            for key, doc in (await self.store.all(collection)).items():
                if doc.get("state") != SENDING:
                    continue
                current, version = await self.store.get_versioned(collection, key)
                if current is None or current.get("state") != SENDING:
                    continue
                detail = (
                    f"in doubt: claimed at {current.get('claimed_at')} by a run that ended "
                    "before confirming; not resent (at most once)"
                )
                changed = {**current, "state": IN_DOUBT, "detail": detail}
                changed["updated_at"] = now.isoformat()
                try:
                    await self.store.put_if_version(collection, key, changed, version)
                except ConflictError:  # its sender confirmed the outcome just now
                    continue
                settled.append(changed)
        return settled

    async def prune(self, before: datetime) -> int:
        """Drop records last updated before ``before``; keys that must stay at most once keep a
        tombstone. Returns how many records were pruned."""
        pruned = 0
        for collection in delivery_collections():
            for key, doc in (await self.store.all(collection)).items():
                if doc.get("pruned") or not _older(doc, before):
                    continue
                if doc.get("state") in KEEP_KEY_STATES:
                    await self.store.put(
                        collection, key, {"key": key, "state": doc["state"], "pruned": True}
                    )
                else:
                    await self.store.delete(collection, key)
                pruned += 1
        return pruned

    async def all(self) -> dict[str, dict[str, Any]]:
        """Every record (for reports and the benchmark)."""
        records: dict[str, dict[str, Any]] = {}
        for collection in delivery_collections():
            records.update(await self.store.all(collection))
        return records


def _older(doc: dict[str, Any], before: datetime) -> bool:
    stamp = doc.get("updated_at") or doc.get("claimed_at")
    return bool(stamp) and datetime.fromisoformat(str(stamp)) < before


def label_from_key(key: str) -> dict[str, str]:
    """Feature and week of keys written before records carried them (best effort)."""
    head = key.split(":", 1)[0].split("/", 1)[0]
    feature = {"tip": "tips", "digest": "digest", "circle": "circle"}.get(head, "")
    week = next((part for part in key.split(":") if "-W" in part), "")
    return {"feature": feature, "week": week} if feature else {}


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
