"""``update`` and ``change``: a safe read-modify-write of one document on any backend.

Both read the document with its version, apply a *pure* function and write the
result only if nobody wrote in between; on a conflict they read again and
retry. Two instances updating the same document therefore never lose a write.
A rule the function checks (a circle is full, a limit is reached) is checked on
the fresh document of the attempt that wins, so it cannot be exceeded either:
the function raises, and the exception leaves ``update``/``change`` unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.storage.errors import ConflictError
from bot.storage.protocol import Document, DocumentStore, Versioned

DEFAULT_RETRIES = 50

Change = Callable[[Document | None], Mapping[str, Any] | None]


async def change(
    store: Versioned,
    collection: str,
    key: str,
    fn: Change,
    *,
    retries: int = DEFAULT_RETRIES,
) -> Document | None:
    """Replace the document under ``key`` by ``fn(current)``; return what is stored after.

    ``fn`` gets a copy of the current document (``None`` when absent) and may run
    several times, so it must not have side effects. When it returns ``None`` nothing
    is written and the current document is returned. Raises ``ConflictError`` when the
    document still changed under us after ``retries`` attempts.
    """
    for _ in range(retries + 1):
        current, version = await store.get_versioned(collection, key)
        proposed = fn(None if current is None else dict(current))
        if proposed is None:
            return current
        new = dict(proposed)
        try:
            await store.put_if_version(collection, key, new, version)
        except ConflictError:
            continue
        return new
    raise ConflictError(f"{collection}/{key} kept changing: gave up after {retries} retries")


class ChangeByVersion:
    """Mixin: a backend's ``change`` is :func:`change` over its own versioned reads and
    conditional writes (every backend behaves the same; only those two differ)."""

    async def change(self: Versioned, collection: str, key: str, fn: Change) -> Document | None:
        """``fn(current)`` as a conditional write retried on conflict (:func:`change`)."""
        return await change(self, collection, key, fn)


async def update(
    store: DocumentStore | Versioned,
    collection: str,
    key: str,
    fn: Callable[[Document | None], Mapping[str, Any]],
    *,
    retries: int = DEFAULT_RETRIES,
) -> Document:
    """Like :func:`change` for a function that always writes; returns what was written."""
    written = await change(store, collection, key, fn, retries=retries)
    assert written is not None  # fn never returns None
    return written
