"""What the audience package needs from the outside world, as protocols it owns."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

#: A pure function from the stored document (``None``: absent) to the one to write
#: (``None``: leave it as it is). It may run several times.
Change = Callable[[dict[str, Any] | None], Mapping[str, Any] | None]


class Updates(Protocol):
    """A safe read-modify-write of one document: a conditional write retried on conflict."""

    async def change(self, collection: str, key: str, fn: Change) -> dict[str, Any] | None: ...


class Documents(Updates, Protocol):
    """The subset of Trimtab's document store the audience package uses."""

    async def get(self, collection: str, key: str) -> dict[str, Any] | None: ...

    async def get_many(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], dict[str, Any] | None]:
        """Each ``(collection, key)`` with its document (``None``: absent), in one read."""
        ...

    async def put(self, collection: str, key: str, doc: Mapping[str, Any]) -> None: ...

    async def all(self, collection: str) -> dict[str, dict[str, Any]]: ...
