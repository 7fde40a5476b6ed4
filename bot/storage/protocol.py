"""The document-store protocol shared by every backend.

A store holds *collections* of JSON documents, each under a string key. Every
method is a coroutine so that a server-backed store can be added without
touching callers. Documents go in and come out as plain ``dict`` copies: a
caller never holds a reference into the store (``read_all`` excepted: its documents
are shared snapshots that the caller only reads).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

Document = dict[str, Any]

_COLLECTION_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,119}$")


def validate_collection_name(name: str) -> str:
    """Return ``name`` if it is a valid collection name, else raise ``ValueError``.

    Names are lower-case letters, digits, ``_``, ``.`` and ``-`` (they become file
    names in the TinyDB backend).
    """
    if not _COLLECTION_NAME.match(name):
        raise ValueError(f"invalid collection name {name!r}")
    return name


class Versioned(Protocol):
    """The two calls a conditional read-modify-write needs (see ``bot.storage.update``)."""

    async def get_versioned(self, collection: str, key: str) -> tuple[Document | None, int | None]:
        """The document and its version (``(None, None)`` when absent)."""
        ...

    async def put_if_version(
        self, collection: str, key: str, doc: Mapping[str, Any], expected_version: int | None
    ) -> int:
        """Write ``doc`` only if the stored version is ``expected_version``."""
        ...


@runtime_checkable
class DocumentStore(Protocol):
    """Keyed JSON documents in named collections; every write is durable when it returns."""

    async def get(self, collection: str, key: str) -> Document | None:
        """The document under ``key``, or ``None``."""
        ...

    async def get_many(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], Document | None]:
        """Each ``(collection, key)`` with its document (``None`` when absent), at once:
        one query on PostgreSQL, whatever the collections."""
        ...

    async def put(self, collection: str, key: str, doc: Mapping[str, Any]) -> None:
        """Insert or replace the document under ``key``."""
        ...

    async def put_many(
        self, collection: str, docs: Mapping[str, Mapping[str, Any]], *, owned: bool = False
    ) -> None:
        """Insert or replace many documents in one durable write.

        ``owned``: the caller hands the documents over (built for this call, JSON only,
        referenced nowhere else), so the store may keep them without copying."""
        ...

    async def insert_if_absent(self, collection: str, key: str, doc: Mapping[str, Any]) -> bool:
        """Insert ``doc`` only when ``key`` is free; ``True`` when it was inserted."""
        ...

    async def delete(self, collection: str, key: str) -> bool:
        """Remove the document under ``key``; ``True`` when there was one."""
        ...

    async def all(self, collection: str) -> dict[str, Document]:
        """Every document of the collection, by key (empty for an unknown collection)."""
        ...

    async def read_all(self, collection: str) -> dict[str, Document]:
        """Every document of the collection, for reading only: the caller must not change
        them. Unlike :meth:`all` a backend may skip the copy (and the TinyDB backend does
        not keep a collection it had not opened in memory), so a report can read thousands
        of collections cheaply. Later writes never show through a returned document."""
        ...

    async def read_all_many(self, collections: Iterable[str]) -> dict[str, dict[str, Document]]:
        """:meth:`read_all` of each collection at once, by name (``{}`` for an empty or
        unknown one): one query on PostgreSQL; on TinyDB one trip to its reader thread, so
        reading thousands of files never holds the event loop."""
        ...

    async def collections(self) -> list[str]:
        """Names of the collections that hold at least one document."""
        ...

    async def close(self) -> None:
        """Release files, locks or connections; the store is not used afterwards."""
        ...

    async def get_versioned(self, collection: str, key: str) -> tuple[Document | None, int | None]:
        """The document and its version (``(None, None)`` when absent).

        A version changes on every write of the document and is never reused, so a
        document deleted and written again does not look unchanged.
        """
        ...

    async def put_if_version(
        self, collection: str, key: str, doc: Mapping[str, Any], expected_version: int | None
    ) -> int:
        """Write ``doc`` only if the stored version is ``expected_version`` (``None``: absent).

        Returns the new version; raises ``ConflictError`` when the document changed.
        """
        ...

    async def change(
        self,
        collection: str,
        key: str,
        fn: Callable[[Document | None], Mapping[str, Any] | None],
    ) -> Document | None:
        """``fn(current)`` written with a conditional write, retried on conflict.

        ``None`` from ``fn``: leave the document as it is. Returns what is stored after.
        Every backend delegates to :func:`bot.storage.update.change`.
        """
        ...
