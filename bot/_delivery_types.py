"""What a proactive send takes and gives back: :data:`Message` in, :class:`Delivery` out.

Also which connector answers are transient (:func:`retryable`), prove nothing was posted
(``NOT_POSTED``) or mean the recipient is gone (``GONE``). See :mod:`bot.proactive`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeAlias, Union

from botbuilder.core import MessageFactory
from botbuilder.schema import Activity, ActivityTypes

from bot.attachments import card_attachment, checked

Message: TypeAlias = Union[Activity, dict[str, Any], str]  # noqa: UP007 (Activity is untyped)
#: the bot was removed, the user blocked it or the conversation is gone
GONE = (403, 404)
#: answers that prove the message was not posted (502/504 may hide a post: they do not)
NOT_POSTED = (412, 429, 500, 503)


class DeliveryStatus(StrEnum):
    DELIVERED = "delivered"
    DUPLICATE = "duplicate"
    UNREACHABLE = "unreachable"
    FAILED = "failed"
    SKIPPED = "skipped"
    """Not sent: the person muted it (recorded by :mod:`bot.fanout`, never by ``send``)."""


@dataclass(frozen=True)
class Delivery:
    """The outcome of one send or update."""

    key: str | None
    recipient: str
    status: DeliveryStatus
    attempts: int
    activity_id: str | None
    detail: str = ""


def retryable(status: int) -> bool:
    """429, 412 and 5xx are transient; 0 (no answer) is in doubt and not retried."""
    return status in (412, 429) or 500 <= status <= 599


def to_activity(message: Message) -> Activity:
    """An outgoing message activity from an Activity, an Adaptive Card dict or text.

    Cards are size-checked: an oversize one becomes a short text (:func:`bot.attachments.checked`).
    """
    if isinstance(message, Activity):
        return checked(Activity().deserialize(message.serialize()), where="proactive message")
    if isinstance(message, str):
        return MessageFactory.text(message)
    if isinstance(message, dict):
        if message.get("type") != "AdaptiveCard":
            raise ValueError("a dict message must be an Adaptive Card (type 'AdaptiveCard')")
        activity = Activity(type=ActivityTypes.message, attachments=[card_attachment(message)])
        return checked(activity, where="proactive card")
    raise TypeError(f"message must be an Activity, an Adaptive Card dict or str, not {message!r}")
