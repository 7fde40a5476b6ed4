"""Adaptive Cards as Bot Framework messages (used by replies and proactive delivery).

Every card leaves through :func:`checked`, which measures it with :func:`cards.size.fits`:
Teams refuses or silently drops a message over ~28 KB, so an oversize card is never sent
as is. It is replaced by a short text saying the answer was too long and how to narrow it,
and the replacement is logged with the card's size.
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity, Attachment

from bot.messages import core as msg
from cards.size import CARD_LIMIT_BYTES, card_bytes, fits

log = logging.getLogger(__name__)

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


def card_attachment(card: dict[str, Any]) -> Attachment:
    """Wrap an Adaptive Card dict as a message attachment (send it through :func:`checked`)."""
    return Attachment(content_type=ADAPTIVE_CARD, content=card)


def card_fits(card: dict[str, Any], *, where: str) -> bool:
    """Whether ``card`` may be sent; an oversize one is logged (``where``: what sent it)."""
    if fits(card):
        return True
    log.warning(
        "card too large for Teams, replaced by a short text: %s (%d bytes, limit %d)",
        where,
        card_bytes(card),
        CARD_LIMIT_BYTES,
    )
    return False


def too_long_text() -> str:
    """The text an oversize card is replaced by."""
    return msg.CARD_TOO_LONG


def checked(activity: Activity, *, where: str) -> Activity:
    """``activity``, or a short text instead when one of its cards is over the size limit."""
    for attachment in activity.attachments or []:
        content = attachment.content
        is_card = attachment.content_type == ADAPTIVE_CARD and isinstance(content, dict)
        if is_card and not card_fits(content, where=where):
            return MessageFactory.text(too_long_text())
    return activity


def card_message(card: dict[str, Any], *, summary: str = "", where: str = "") -> Activity:
    """A message carrying ``card`` (checked for size), with an optional notification summary."""
    activity = MessageFactory.attachment(card_attachment(card))
    if summary:
        activity.summary = summary
    return checked(activity, where=where or "card")
