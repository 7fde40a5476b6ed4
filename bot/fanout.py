"""The one fan-out path: every broadcast (tips, digests, circle prompts and reminders,
nudges) goes through :class:`FanOut` and from there through ``ProactiveSender.send_many``.

    results = await services.fanout.send([
        Outgoing("user:<aad>", card, key="tip:<aad>:2026-W48", feature="tips",
                 week="2026-W48", person="<aad>"),
    ])

What the fan-out adds to the sender:

* **mutes**: a message to a person who muted its feature (``mute tips`` …) is not sent and
  is recorded as ``skipped`` in the delivery log (never ``failed``); a key already delivered
  or in doubt keeps its record;
* **labels**: every record carries its feature and ISO week (the delivery report);
* **"Mute these"**: every Adaptive Card to a person gets a button that mutes what it is;
* **acks**: every card action carries ``<feature>/<week>`` so acting on it is counted.

Rate limits, retries and at-most-once stay the sender's (:mod:`bot.proactive`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from botbuilder.schema import Activity

from audience import Feature, Preferences, PreferencesRepository, is_muted
from bot._delivery_log import RETRYABLE_STATES, SKIPPED
from bot.attachments import ADAPTIVE_CARD
from bot.clock import Clock
from bot.messages import audience as msg
from bot.proactive import Delivery, DeliveryStatus, Message, ProactiveSender
from cards.mute import for_recipient

#: features a person can mute, by the fan-out's feature name
MUTABLE = {"tips": Feature.TIPS, "digest": Feature.DIGEST, "circle": Feature.CIRCLE}


@dataclass(frozen=True)
class Outgoing:
    """One message of a broadcast."""

    recipient: str
    message: Message
    key: str
    feature: str
    week: str
    person: str | None = None
    """The AAD id whose mutes apply (``None``: a team or chat, never muted)."""
    circle: str | None = None
    """The circle's name, for ``mute circle <name>``."""

    def mute_command(self) -> str | None:
        if self.person is None or self.feature not in MUTABLE:
            return None
        return f"mute circle {self.circle}" if self.feature == "circle" else f"mute {self.feature}"


class FanOut:
    """Mutes, labels and the mute button around the batched sender."""

    def __init__(
        self, sender: ProactiveSender, preferences: PreferencesRepository, *, clock: Clock
    ) -> None:
        self.sender = sender
        self.preferences = preferences
        self.clock = clock

    async def send(self, items: Sequence[Outgoing]) -> list[Delivery]:
        """Send ``items`` (muted ones skipped); results in input order."""
        prefs = await self._preferences(items)
        now = self.clock()
        results: dict[int, Delivery] = {}
        batch: list[tuple[int, Outgoing]] = []
        for index, item in enumerate(items):
            feature = MUTABLE.get(item.feature)
            mine = prefs.get((item.person or "").lower())
            if feature and is_muted(mine, feature, now=now, circle=item.circle):
                results[index] = await self._skip(item)
            else:
                batch.append((index, item))
        for item in (i for _, i in batch):
            self.sender.log.label(item.key, item.feature, item.week)
        sent = await self.sender.send_many(
            (item.recipient, _with_mute_button(item), item.key) for _, item in batch
        )
        results.update({index: d for (index, _), d in zip(batch, sent, strict=True)})
        return [results[i] for i in range(len(items))]

    async def _preferences(self, items: Sequence[Outgoing]) -> dict[str, Preferences]:
        if not any(i.person and i.feature in MUTABLE for i in items):
            return {}
        return {p.user_id.lower(): p for p in await self.preferences.all() if p.mutes}

    async def _skip(self, item: Outgoing) -> Delivery:
        log = self.sender.log
        record = await log.get(item.key)
        if record is None or record.get("state") in RETRYABLE_STATES:
            log.label(item.key, item.feature, item.week)
            await log.finish(
                item.key,
                item.recipient,
                SKIPPED,
                attempts=0,
                activity_id=None,
                detail=msg.SKIPPED_DETAIL,
                now=self.clock(),
            )
        return Delivery(item.key, item.recipient, DeliveryStatus.SKIPPED, 0, None, "muted")


def _with_mute_button(item: Outgoing) -> Message:
    """The message with its card(s) tagged for acknowledgements and, for a person, muting."""
    command = item.mute_command()
    options: dict[str, Any] = {
        "ack": f"{item.feature}/{item.week}",
        "mute": (msg.MUTE_BUTTON, command) if command else None,
    }
    message = item.message
    if isinstance(message, dict) and message.get("type") == "AdaptiveCard":
        return for_recipient(message, **options)
    if isinstance(message, Activity) and message.attachments:
        copy = Activity().deserialize(message.serialize())
        for attachment in copy.attachments:
            if attachment.content_type == ADAPTIVE_CARD and isinstance(attachment.content, dict):
                attachment.content = for_recipient(attachment.content, **options)
        return copy
    return message
