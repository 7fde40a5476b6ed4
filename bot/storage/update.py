"""``update``: a safe read-modify-write of one document on any backend.

It reads the document with its version, applies a *pure* function and writes
the result only if nobody wrote in between; on a conflict it reads again and
retries. Two instances updating the same document therefore never lose a write.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.storage.errors import ConflictError
from bot.storage.protocol import Document, DocumentStore

DEFAULT_RETRIES = 50


async def update(
    store: DocumentStore,
    collection: str,
    key: str,
    fn: Callable[[Document | None], Mapping[str, Any]],
    *,
    retries: int = DEFAULT_RETRIES,
) -> Document:
    """Replace the document under ``key`` by ``fn(current)``; return what was written.

    ``fn`` gets a copy of the current document (``None`` when absent) and may run
    several times, so it must not have side effects. Raises ``ConflictError`` when
    the document still changed under us after ``retries`` attempts.
    """
    for _ in range(retries + 1):
        current, version = await store.get_versioned(collection, key)
        new = dict(fn(current))
        try:
            await store.put_if_version(collection, key, new, version)
        except ConflictError:
            continue
        return new
    raise ConflictError(f"{collection}/{key} kept changing: gave up after {retries} retries")
