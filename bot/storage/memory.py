"""In-process document store: the reference behaviour of the protocol."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from bot.storage._copy import copy_json
from bot.storage.errors import ConflictError
from bot.storage.protocol import Document, validate_collection_name
from bot.storage.update import ChangeByVersion


class MemoryStore(ChangeByVersion):
    """A ``DocumentStore`` that lives in a dict; nothing survives the process."""

    reads_ahead = False  # reads are dict lookups: nothing to gain from a turn's read-ahead

    def __init__(self) -> None:
        self._data: dict[str, dict[str, Document]] = {}
        self._versions: dict[tuple[str, str], int] = {}
        self._next_version = itertools.count(1)

    def _collection(self, name: str) -> dict[str, Document]:
        return self._data.setdefault(validate_collection_name(name), {})

    def _write(self, collection: str, key: str, doc: Mapping[str, Any]) -> int:
        self._collection(collection)[key] = copy_json(dict(doc))
        version = self._versions[(collection, key)] = next(self._next_version)
        return version

    async def get(self, collection: str, key: str) -> Document | None:
        doc = self._collection(collection).get(key)
        return copy_json(doc) if doc is not None else None

    async def get_many(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], Document | None]:
        return {(c, k): await self.get(c, k) for c, k in dict.fromkeys(keys)}

    async def put(self, collection: str, key: str, doc: Mapping[str, Any]) -> None:
        self._write(collection, key, doc)

    async def put_many(
        self, collection: str, docs: Mapping[str, Mapping[str, Any]], *, owned: bool = False
    ) -> None:
        for key, doc in docs.items():
            self._write(collection, key, doc)

    async def insert_if_absent(self, collection: str, key: str, doc: Mapping[str, Any]) -> bool:
        if key in self._collection(collection):
            return False
        self._write(collection, key, doc)
        return True

    async def delete(self, collection: str, key: str) -> bool:
        self._versions.pop((collection, key), None)
        return self._collection(collection).pop(key, None) is not None

    async def all(self, collection: str) -> dict[str, Document]:
        return copy_json(self._collection(collection))

    async def read_all(self, collection: str) -> dict[str, Document]:
        # Stored documents are replaced on write, never changed in place: no copy needed.
        return dict(self._data.get(validate_collection_name(collection), {}))

    async def read_all_many(self, collections: Iterable[str]) -> dict[str, dict[str, Document]]:
        return {name: await self.read_all(name) for name in dict.fromkeys(collections)}

    async def collections(self) -> list[str]:
        return sorted(name for name, docs in self._data.items() if docs)

    async def get_versioned(self, collection: str, key: str) -> tuple[Document | None, int | None]:
        doc = await self.get(collection, key)
        return (doc, self._versions[(collection, key)]) if doc is not None else (None, None)

    async def put_if_version(
        self, collection: str, key: str, doc: Mapping[str, Any], expected_version: int | None
    ) -> int:
        present = key in self._collection(collection)
        current = self._versions.get((collection, key)) if present else None
        if current != expected_version:
            raise ConflictError(f"{collection}/{key} changed (version {current})")
        return self._write(collection, key, doc)

    async def close(self) -> None:
        """Nothing to release; present so every backend closes the same way."""
