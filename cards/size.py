"""How big a card is as Teams counts it, and the limit every card we send stays under.

Teams refuses (or silently drops) a message whose card is over about 28 KB. Builders keep
their lists short ("and N more"); the bot checks every card with :func:`fits` before sending.
"""

from __future__ import annotations

import json
from typing import Any

CARD_LIMIT_BYTES = 28_000
"""A little under Teams' ~28 KB message limit, leaving room for the activity around the card."""

LIST_LIMIT = 10
"""Lines a card shows of a list that can grow without bound (circles, teams, people)."""


def card_bytes(card: dict[str, Any]) -> int:
    """The card's size as Teams counts it (UTF-8 JSON)."""
    return len(json.dumps(card, ensure_ascii=False).encode())


def fits(card: dict[str, Any]) -> bool:
    """``True`` when the card is small enough to send."""
    return card_bytes(card) < CARD_LIMIT_BYTES


def shown_and_more(
    items: tuple[Any, ...] | list[Any], limit: int = LIST_LIMIT
) -> tuple[list[Any], int]:
    """The first ``limit`` items and how many more there are (for an "and N more" line)."""
    shown = list(items[:limit])
    return shown, max(0, len(items) - len(shown))
