"""Fan-out plans: who gets what under which idempotency key, stored before anything is sent.

:class:`bot.fanout.FanOut` writes a plan to ``bot.fanout.plans`` before it hands a batch to
the sender and deletes it when the batch is done. A plan still there means the instance
that made it died mid-way (``kill -9``, a lost container): the scheduler leader resumes it
when it is elected (:meth:`FanOut.resume_pending`). Keys make the resume safe — a key
already delivered or in doubt is not sent again — so resuming only sends what the dead
run never claimed. A plan older than :data:`MAX_AGE` is dropped (logged), never sent late.

A plan document::

    {"id", "created_at", "messages": {"<sha1>": {"activity"|"card"|"text": …}},
     "items": [{"recipient", "key", "message", "feature", "week", "person", "circle"}, …]}

Messages are stored once per distinct body (a broadcast usually sends few distinct cards).
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from botbuilder.schema import Activity

from bot.storage import DocumentStore

log = logging.getLogger(__name__)

PLANS = "bot.fanout.plans"
#: a plan left longer than this is stale: its messages are not sent any more
MAX_AGE = timedelta(hours=24)


class Planned(Protocol):
    """One message of a plan (``bot.fanout.Outgoing``)."""

    @property
    def recipient(self) -> str: ...
    @property
    def message(self) -> Any: ...
    @property
    def key(self) -> str: ...
    @property
    def feature(self) -> str: ...
    @property
    def week(self) -> str: ...
    @property
    def person(self) -> str | None: ...
    @property
    def circle(self) -> str | None: ...


class BadPlan(ValueError):
    """A stored plan that cannot be read back (says which part is wrong)."""


def message_doc(message: Any) -> dict[str, Any]:
    """A JSON form of a fan-out message (an Activity, an Adaptive Card dict or text)."""
    if isinstance(message, Activity):
        return {"activity": message.serialize()}
    if isinstance(message, dict):
        return {"card": message}
    if isinstance(message, str):
        return {"text": message}
    raise TypeError(f"message must be an Activity, an Adaptive Card dict or str, not {message!r}")


def message_from(doc: Any) -> Any:
    """The message :func:`message_doc` stored."""
    if isinstance(doc, dict):
        if isinstance(doc.get("activity"), dict):
            return Activity().deserialize(doc["activity"])
        if isinstance(doc.get("card"), dict):
            return doc["card"]
        if isinstance(doc.get("text"), str):
            return doc["text"]
    raise BadPlan(f"unreadable message {str(doc)[:80]!r}")


@dataclass(frozen=True)
class StoredPlan:
    """A plan read back: its id, when it was made, and its items (``Outgoing`` fields, the
    message decoded)."""

    id: str
    created_at: datetime
    items: list[dict[str, Any]]


def plan_doc(plan_id: str, items: Sequence[Planned], now: datetime) -> dict[str, Any]:
    messages: dict[str, dict[str, Any]] = {}
    rows = []
    for item in items:
        body = message_doc(item.message)
        digest = hashlib.sha1(
            json.dumps(body, sort_keys=True, default=str).encode(), usedforsecurity=False
        ).hexdigest()
        messages.setdefault(digest, body)
        rows.append(
            {
                "recipient": item.recipient,
                "key": item.key,
                "message": digest,
                "feature": item.feature,
                "week": item.week,
                "person": item.person,
                "circle": item.circle,
            }
        )
    return {"id": plan_id, "created_at": now.isoformat(), "messages": messages, "items": rows}


def read_plan(doc: dict[str, Any]) -> StoredPlan:
    """A stored plan document read back; :class:`BadPlan` when it is malformed."""
    try:
        created = datetime.fromisoformat(str(doc["created_at"]))
        messages = {h: message_from(body) for h, body in dict(doc["messages"]).items()}
        items = [
            {
                "recipient": str(row["recipient"]),
                "message": messages[row["message"]],
                "key": str(row["key"]),
                "feature": str(row["feature"]),
                "week": str(row["week"]),
                "person": row.get("person"),
                "circle": row.get("circle"),
            }
            for row in doc["items"]
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise BadPlan(f"plan {doc.get('id')!r}: {type(error).__name__}: {error}") from error
    return StoredPlan(str(doc.get("id")), created, items)


class FanOutPlans:
    """The one owner of ``bot.fanout.plans``."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def save(self, items: Sequence[Planned], now: datetime) -> str:
        """Store the plan of ``items`` (durable when this returns); its id."""
        plan_id = str(uuid.uuid4())
        await self.store.put(PLANS, plan_id, plan_doc(plan_id, items, now))
        return plan_id

    async def done(self, plan_id: str) -> None:
        """Every item of the plan has an outcome: forget the plan."""
        await self.store.delete(PLANS, plan_id)

    async def pending(self) -> dict[str, dict[str, Any]]:
        """Plans left by runs that did not finish them, by id (oldest first)."""
        docs = await self.store.all(PLANS)
        return dict(sorted(docs.items(), key=lambda kv: str(kv[1].get("created_at", ""))))
