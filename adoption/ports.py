"""What the tracker needs from the outside world, as protocols it owns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class Documents(Protocol):
    """The subset of Trimtab's document store the tracker uses."""

    async def get(self, collection: str, key: str) -> dict[str, Any] | None: ...

    async def put(self, collection: str, key: str, doc: Mapping[str, Any]) -> None: ...

    async def put_many(self, collection: str, docs: Mapping[str, Mapping[str, Any]]) -> None: ...

    async def delete(self, collection: str, key: str) -> bool: ...

    async def all(self, collection: str) -> dict[str, dict[str, Any]]: ...

    async def read_all(self, collection: str) -> dict[str, dict[str, Any]]:
        """Like ``all`` but the documents are for reading only (maybe not copies)."""
        ...
