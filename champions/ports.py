"""What the champions package needs from the outside world, as protocols it owns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from adoption.ports import Documents as AdoptionDocuments


class Documents(AdoptionDocuments, Protocol):
    """The tracker's subset (a nudge's lift reads its threads) plus an atomic insert."""

    async def insert_if_absent(self, collection: str, key: str, doc: Mapping[str, Any]) -> bool: ...
