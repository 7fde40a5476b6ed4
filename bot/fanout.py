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
* **acks**: every card action carries ``<feature>/<week>`` so acting on it is counted;
* **a stored plan**: who gets what under which key is written to the database before the
  first send and removed when the batch is done; the scheduler leader resumes plans a dead
  instance left (:meth:`FanOut.resume_pending`, :mod:`bot.fanout_plans`).

Rate limits, retries and at-most-once stay the sender's (:mod:`bot.proactive`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from botbuilder.schema import Activity

from audience import Feature, Preferences, PreferencesRepository, is_muted
from bot._delivery_log import RETRYABLE_STATES, SKIPPED
from bot._delivery_targets import parse_recipient
from bot.attachments import ADAPTIVE_CARD
from bot.clock import Clock
from bot.fanout_plans import MAX_AGE, BadPlan, FanOutPlans, read_plan
from bot.messages import audience as msg
from bot.proactive import Delivery, DeliveryStatus, Message, ProactiveSender
from cards.mute import for_recipient

log = logging.getLogger(__name__)

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


@dataclass
class Resumed:
    """What :meth:`FanOut.resume_pending` did with the plans it found."""

    resumed: list[str] = field(default_factory=list)
    delivered: int = 0
    already: int = 0
    """keys a dead run had delivered, or left in doubt: not sent again"""
    other: int = 0
    dropped: list[str] = field(default_factory=list)
    """stale or unreadable plans: not sent (logged with their keys)"""


class FanOut:
    """Mutes, labels and the mute button around the batched sender."""

    def __init__(
        self, sender: ProactiveSender, preferences: PreferencesRepository, *, clock: Clock
    ) -> None:
        self.sender = sender
        self.preferences = preferences
        self.clock = clock
        self.plans = FanOutPlans(sender.log.store)
        self._live: set[str] = set()  # plans this process is sending now: never "resumed"

    async def send(self, items: Sequence[Outgoing]) -> list[Delivery]:
        """Send ``items`` (muted ones skipped); results in input order.

        The plan (recipients, messages, keys) is stored before the first request and
        removed when every item has an outcome, so a leader can resume it if this
        process dies mid-way.
        """
        if not items:
            return []
        for item in items:
            parse_recipient(item.recipient)  # a malformed key fails before anything is stored
        plan_id = await self.plans.save(items, self.clock())
        self._live.add(plan_id)
        try:
            results = await self._send(items)
        finally:
            self._live.discard(plan_id)
        await self.plans.done(plan_id)
        return results

    async def resume_pending(self) -> Resumed:
        """Send what plans left by dead runs still owe (the leader, when elected).

        Keys already delivered or in doubt come back ``DUPLICATE`` without a request, so only
        items the dead run never claimed are sent. Stale (older than a day) or unreadable
        plans are dropped and logged with their keys.
        """
        outcome = Resumed()
        now = self.clock()
        for plan_id, doc in (await self.plans.pending()).items():
            if plan_id in self._live:
                continue
            try:
                plan = read_plan(doc)
            except BadPlan as error:
                log.error("dropped an unreadable fan-out plan: %s", error)
                outcome.dropped.append(plan_id)
                await self.plans.done(plan_id)
                continue
            items = [Outgoing(**item) for item in plan.items]
            keys = [item.key for item in items]
            if now - plan.created_at > MAX_AGE:
                log.warning(
                    "dropped fan-out plan %s from %s (older than %s, not sent late): %d keys: %s",
                    plan_id,
                    plan.created_at.isoformat(),
                    MAX_AGE,
                    len(keys),
                    ", ".join(keys[:20]),
                )
                outcome.dropped.append(plan_id)
                await self.plans.done(plan_id)
                continue
            try:
                results = await self._send(items)
            except (TypeError, ValueError) as error:  # a recipient or message gone bad
                log.error("dropped fan-out plan %s: %s: %s", plan_id, type(error).__name__, error)
                outcome.dropped.append(plan_id)
                await self.plans.done(plan_id)
                continue
            await self.plans.done(plan_id)
            outcome.resumed.append(plan_id)
            sent = sum(r.status is DeliveryStatus.DELIVERED for r in results)
            before = sum(r.status is DeliveryStatus.DUPLICATE for r in results)
            outcome.delivered += sent
            outcome.already += before
            outcome.other += len(results) - sent - before
            log.warning(
                "resumed fan-out plan %s left by a run that ended mid-way (%d keys): %d sent "
                "now, %d delivered or in doubt before (not resent), %d other",
                plan_id,
                len(keys),
                sent,
                before,
                len(results) - sent - before,
            )
        return outcome

    async def _send(self, items: Sequence[Outgoing]) -> list[Delivery]:
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
