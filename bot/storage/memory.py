"""In-process document store: the reference behaviour of the protocol."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.storage._copy import copy_json
from bot.storage.protocol import Document, validate_collection_name


class MemoryStore:
    """A ``DocumentStore`` that lives in a dict; nothing survives the process."""

    def __init__(self) -> None:
        self._data: dict[str, dict[str, Document]] = {}

    def _collection(self, name: str) -> dict[str, Document]:
        return self._data.setdefault(validate_collection_name(name), {})

    async def get(self, collection: str, key: str) -> Document | None:
        doc = self._collection(collection).get(key)
        return copy_json(doc) if doc is not None else None

    async def put(self, collection: str, key: str, doc: Mapping[str, Any]) -> None:
        self._collection(collection)[key] = copy_json(dict(doc))

    async def put_many(self, collection: str, docs: Mapping[str, Mapping[str, Any]]) -> None:
        target = self._collection(collection)
        for key, doc in docs.items():
            target[key] = copy_json(dict(doc))

    async def insert_if_absent(self, collection: str, key: str, doc: Mapping[str, Any]) -> bool:
        target = self._collection(collection)
        if key in target:
            return False
        target[key] = copy_json(dict(doc))
        return True

    async def delete(self, collection: str, key: str) -> bool:
        return self._collection(collection).pop(key, None) is not None

    async def all(self, collection: str) -> dict[str, Document]:
        return copy_json(self._collection(collection))

    async def collections(self) -> list[str]:
        return sorted(name for name, docs in self._data.items() if docs)

    async def close(self) -> None:
        """Nothing to release; present so every backend closes the same way."""
