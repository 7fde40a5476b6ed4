"""Adaptive Cards as Bot Framework attachments (used by replies and proactive delivery)."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Attachment

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


def card_attachment(card: dict[str, Any]) -> Attachment:
    """Wrap an Adaptive Card dict as a message attachment."""
    return Attachment(content_type=ADAPTIVE_CARD, content=card)
