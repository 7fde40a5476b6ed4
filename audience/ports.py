"""What the audience package needs from the outside world, as protocols it owns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class Documents(Protocol):
    """The subset of Trimtab's document store the audience package uses."""

    async def get(self, collection: str, key: str) -> dict[str, Any] | None: ...

    async def put(self, collection: str, key: str, doc: Mapping[str, Any]) -> None: ...

    async def all(self, collection: str) -> dict[str, dict[str, Any]]: ...
