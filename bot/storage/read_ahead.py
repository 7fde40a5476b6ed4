"""Read ahead: the documents a turn will read, fetched in one round trip.

A turn reads a handful of small documents one after another (the sender's user
record, their admin and champion entries, whether they were unreachable). On an
embedded store each read is a memory lookup; on PostgreSQL each is a round trip
to the server, and together they were most of a short turn's cost. A turn
therefore names the documents it will read, and a store that :class:`ReadsAhead`
fetches them at once::

    async with read_ahead(store, [("bot.users", aad), ("bot.admins", aad)]):
        ...  # store.get of those keys is answered from the fetched snapshot

The snapshot lives in a context variable, so it belongs to the turn's task
alone and ends with the block. A block inside another (a command that, once it
knows the circle, reads its check-ins, goals and members' mutes at once) adds what
it fetches to the outer snapshot, which then ends with the outer block; ``get_many``
is answered from the snapshot too, for the keys it holds.

The store keeps the snapshot current with its own writes (a turn reads what it
wrote); a write by another instance during the turn is seen
by the next turn, as if the turn's reads had all happened at its start. Versioned
reads (``get_versioned``, the first half of every conditional write) always go to
the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, Protocol, runtime_checkable

from bot.storage._copy import copy_json
from bot.storage.protocol import Document

DocumentKey = tuple[str, str]  # (collection, key)

# (the store that read ahead, what it read): another store in the process (a second
# instance in a test, a migration's target) never answers from or writes to it
_SNAPSHOT: ContextVar[tuple[object, dict[DocumentKey, Document | None]] | None] = ContextVar(
    "trimtab_read_ahead", default=None
)


@runtime_checkable
class ReadsAhead(Protocol):
    """A store whose reads are round trips, worth fetching at once (``reads_ahead``)."""

    reads_ahead: bool

    async def get_many(self, keys: Iterable[DocumentKey]) -> dict[DocumentKey, Document | None]:
        """Each ``(collection, key)`` with its document, ``None`` where there is none."""
        ...


@asynccontextmanager
async def read_ahead(store: object, keys: Iterable[DocumentKey]) -> AsyncIterator[None]:
    """Within the block, ``store.get`` of ``keys`` is served from one fetch (when the
    store reads ahead; otherwise the block changes nothing)."""
    if not isinstance(store, ReadsAhead) or not store.reads_ahead:
        yield
        return
    outer = _snapshot_of(store)
    if outer is not None:  # nested: fetch what the turn has not read yet, keep it to the end
        missing = [key for key in dict.fromkeys(keys) if key not in outer]
        if missing:
            outer.update(await store.get_many(missing))
        yield
        return
    token = _SNAPSHOT.set((store, await store.get_many(dict.fromkeys(keys))))
    try:
        yield
    finally:
        _SNAPSHOT.reset(token)


def _snapshot_of(store: object) -> dict[DocumentKey, Document | None] | None:
    current = _SNAPSHOT.get()
    return current[1] if current is not None and current[0] is store else None


def split(
    store: object, keys: Iterable[DocumentKey]
) -> tuple[dict[DocumentKey, Document | None], list[DocumentKey]]:
    """What the snapshot answers of ``keys`` (copies), and the keys it does not hold."""
    snapshot = _snapshot_of(store)
    wanted = list(dict.fromkeys(keys))
    if snapshot is None:
        return {}, wanted
    known: dict[DocumentKey, Document | None] = {}
    missing: list[DocumentKey] = []
    for key in wanted:
        if key not in snapshot:
            missing.append(key)
        else:
            doc = snapshot[key]
            known[key] = copy_json(doc) if doc is not None else None
    return known, missing


def wrote(store: object, collection: str, docs: Mapping[str, Mapping[str, Any] | None]) -> None:
    """Keep the snapshot equal to what ``store`` now holds (``None``: deleted)."""
    snapshot = _snapshot_of(store)
    if snapshot is None:
        return
    for key, doc in docs.items():
        if (collection, key) in snapshot:
            snapshot[(collection, key)] = copy_json(dict(doc)) if doc is not None else None
