"""Proactive delivery: the one way Trimtab speaks first (prompts, tips, nudges, digests).

    sender = services.proactive
    d = await sender.send("user:<aad id>", card_dict, key="circle:c1:week:3:<aad id>")
    d.status  # DELIVERED | DUPLICATE | UNREACHABLE | FAILED

Recipients are directory keys (``user:``, ``team:``, ``chat:``, ``channel:``; see
:mod:`bot._delivery_targets`). Messages are an ``Activity``, an Adaptive Card dict
(wrapped as an attachment) or plain text.

Rules:

* **Rate limits**: every connector request waits for room under Teams' per
  conversation and per tenant windows (:mod:`bot._ratelimit`).
* **Retries**: 429, 412 and 5xx are retried with exponential backoff and jitter,
  never sooner than ``Retry-After``, at most ``max_attempts`` requests.
* **Unreachable**: 403/404 (bot removed, user blocked, conversation gone) marks the
  recipient in ``bot.unreachable``; later sends return ``UNREACHABLE`` without a
  network call until the recipient talks to the bot or installs it again.
* **Idempotency (at most once)**: a keyed send claims the key with
  ``insert_if_absent`` *before* the request (state ``sending``) and records the
  outcome after. A key with any record other than ``failed``/``unreachable``
  is never sent again — also after a restart. A record left in ``sending`` by a
  run that died between claim and confirmation is *in doubt* and is not resent
  (the product rule: never send the same week's prompt twice); ``send`` answers
  ``DUPLICATE`` with the detail "in doubt". No HTTP answer at all (timeout,
  connection reset) is also in doubt and is not retried.

Errors: a malformed recipient key raises ``ValueError``, a message of the wrong
type ``TypeError``/``ValueError``. Everything else — unknown recipient, connector
failures, exhausted retries — comes back as a :class:`Delivery`, never raised.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Iterable
from typing import Any

from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ConversationReference

from bot import _delivery_connector as connector
from bot._delivery_install import Installer, install_reference
from bot._delivery_log import (
    DELIVERED,
    FAILED,
    RETRYABLE_STATES,
    RETRYING,
    SENDING,
    UNREACHABLE_STATE,
    DeliveryLog,
    UnreachableList,
)
from bot._delivery_outcomes import Outcomes
from bot._delivery_targets import (
    UnknownRecipient,
    new_chat_for,
    parse_recipient,
    tenant_of,
)
from bot._delivery_types import (
    GONE,
    NOT_POSTED,
    Delivery,
    DeliveryStatus,
    Message,
    retryable,
    to_activity,
)
from bot._ratelimit import PACED_TENANT_WINDOWS, RateLimiter
from bot.clock import Clock, Monotonic, Sleep
from bot.directory import Directory
from bot.storage import DocumentStore

__all__ = ["Delivery", "DeliveryStatus", "Message", "ProactiveSender", "retryable", "to_activity"]


class ProactiveSender:
    """Sends and updates proactive messages under Teams' limits (see the module docstring)."""

    def __init__(
        self,
        adapter: CloudAdapter,
        store: DocumentStore,
        directory: Directory,
        *,
        clock: Clock,
        app_id: str | None = None,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        limiter: RateLimiter | None = None,
        max_attempts: int = 5,
        base_delay: float = 1.0,
        max_delay: float = 60.0,
        concurrency: int = 16,
        rng: Callable[[], float] = random.random,
        installer: Installer | None = None,
    ) -> None:
        self.adapter = adapter
        self.directory = directory
        self.log = DeliveryLog(store)
        self.unreachable = UnreachableList(store)
        self.limiter = limiter or RateLimiter(
            tenant=PACED_TENANT_WINDOWS, clock=monotonic, sleep=sleep, margin=0.05
        )
        self.clock = clock
        self.app_id = app_id or None
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.concurrency = concurrency
        self.rng = rng
        self.installer = installer
        self._inflight: set[str] = set()
        self.outcomes = Outcomes(self.log, self.unreachable, clock)

    # --- public API ----------------------------------------------------------------------

    async def is_unreachable(self, recipient: str) -> bool:
        return await self.unreachable.get(parse_recipient(recipient)) is not None

    async def send(self, recipient: str, message: Message, *, key: str | None = None) -> Delivery:
        """Deliver ``message`` to ``recipient`` once; ``key`` makes it at-most-once forever."""
        recipient = parse_recipient(recipient)
        activity = to_activity(message)
        if (early := await self._precheck(recipient, key)) is not None:
            return early
        try:
            reference = await self._reference(recipient)
        except (UnknownRecipient, connector.ConnectorFailure) as error:
            found = await self._without_conversation(recipient, key, error)
            if isinstance(found, Delivery):
                return found
            reference = found
        return await self._deliver(recipient, reference, activity, key)

    async def _without_conversation(
        self, recipient: str, key: str | None, error: Exception
    ) -> ConversationReference | Delivery:
        """No conversation and none could be created: install the app through Graph (when
        configured) and use its chat, or record why the person is not reached."""
        failure = error if isinstance(error, connector.ConnectorFailure) else None
        installable = failure is None or failure.status in GONE
        if self.installer is None or not recipient.startswith("user:") or not installable:
            if failure is not None:
                return await self.outcomes.failed(
                    key, recipient, failure, 1, claimed=key is not None
                )
            return await self.outcomes.finish(
                key, recipient, FAILED, 0, None, str(error), claimed=False
            )
        found = await install_reference(self.installer, self.directory, recipient, self.app_id)
        if isinstance(found, ConversationReference):
            return found
        await self.unreachable.mark(recipient, 403, found, self.clock())
        return await self.outcomes.finish(
            key, recipient, UNREACHABLE_STATE, 0, None, found, claimed=key is not None
        )

    async def update(self, recipient: str, activity_id: str, message: Message) -> Delivery:
        """Replace a message sent earlier (e.g. a card) in place; not idempotency-keyed."""
        recipient = parse_recipient(recipient)
        activity = to_activity(message)
        if (early := await self._precheck(recipient, None)) is not None:
            return early
        reference = await self.directory.reference(recipient)
        if reference is None:
            detail = f"no conversation reference for {recipient}: nothing to update"
            return await self.outcomes.finish(
                None, recipient, FAILED, 0, None, detail, claimed=False
            )

        async def call() -> str | None:
            return await connector.put(self.adapter, reference, activity_id, activity, self.app_id)

        return await self._attempts(recipient, reference, call, None, claimed=False)

    async def send_many(self, items: Iterable[tuple[str, Message, str | None]]) -> list[Delivery]:
        """Send many messages with at most ``concurrency`` in flight; results in input order.

        Every recipient is validated first: one malformed key raises ``ValueError``
        before anything is sent.
        """
        work = [(parse_recipient(r), m, k) for r, m, k in items]
        results: list[Delivery | None] = [None] * len(work)
        queue = iter(enumerate(work))

        async def worker() -> None:
            for index, (recipient, message, key) in queue:
                results[index] = await self.send(recipient, message, key=key)

        await asyncio.gather(*(worker() for _ in range(max(1, self.concurrency))))
        return [r for r in results if r is not None]

    # --- steps ---------------------------------------------------------------------------

    async def _precheck(self, recipient: str, key: str | None) -> Delivery | None:
        mark = await self.unreachable.get(recipient)
        if mark is not None:
            detail = f"unreachable since {mark.get('at')}: {mark.get('reason')}"
            return Delivery(key, recipient, DeliveryStatus.UNREACHABLE, 0, None, detail)
        if key is None:
            return None
        record = await self.log.get(key)
        if record is None or record.get("state") in RETRYABLE_STATES:
            return None
        return self.outcomes.duplicate(key, recipient, record, key in self._inflight)

    async def _reference(self, recipient: str) -> ConversationReference:
        reference = await self.directory.reference(recipient)
        if reference is not None:
            return reference
        chat = await new_chat_for(self.directory, recipient)
        await self.limiter.acquire(f"create:{recipient}", chat.tenant_id)
        reference = await connector.create_personal(
            self.adapter,
            app_id=self.app_id,
            service_url=chat.service_url,
            tenant_id=chat.tenant_id,
            member=chat.member,
        )
        await self.directory.save_reference(recipient, reference)
        return reference

    async def _deliver(
        self, recipient: str, reference: ConversationReference, activity: Activity, key: str | None
    ) -> Delivery:
        conversation_id = reference.conversation.id
        await self.limiter.acquire(conversation_id, tenant_of(reference))
        if key is not None:
            if not await self._claim(key, recipient):
                record = await self.log.get(key) or {}
                return self.outcomes.duplicate(key, recipient, record, key in self._inflight)
            self._inflight.add(key)
        try:

            async def call() -> str | None:
                return await connector.post(self.adapter, reference, activity, self.app_id)

            return await self._attempts(recipient, reference, call, key, claimed=True, booked=True)
        finally:
            if key is not None:
                self._inflight.discard(key)

    async def _claim(self, key: str, recipient: str) -> bool:
        if await self.log.claim(key, recipient, self.clock()):
            return True
        if key in self._inflight:
            return False
        # a failed, unreachable or skipped record may be retried: one conditional write
        # decides between instances retrying it at once
        return await self.log.reclaim(key, recipient, self.clock())

    async def _attempts(
        self,
        recipient: str,
        reference: ConversationReference,
        call: Callable[[], Any],
        key: str | None,
        *,
        claimed: bool,
        booked: bool = False,
    ) -> Delivery:
        conversation_id, tenant = reference.conversation.id, tenant_of(reference)
        attempt = 0
        while True:
            attempt += 1
            if not booked:
                await self.limiter.acquire(conversation_id, tenant)
            booked = False
            try:
                activity_id = await call()
            except connector.ConnectorFailure as error:
                if retryable(error.status) and attempt < self.max_attempts:
                    pending = claimed and key is not None and error.status in NOT_POSTED
                    if pending:  # a crash while waiting must not leave the key in doubt
                        await self.outcomes.mark(key, recipient, RETRYING, attempt, str(error))
                    await self.sleep(self.backoff(attempt, error.retry_after))
                    if pending:
                        await self.outcomes.mark(key, recipient, SENDING, attempt, "")
                    continue
                return await self.outcomes.failed(key, recipient, error, attempt, claimed=claimed)
            return await self.outcomes.finish(
                key, recipient, DELIVERED, attempt, activity_id, "", claimed=claimed
            )

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with jitter (half fixed, half random), never below Retry-After."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        jittered = ceiling / 2 + self.rng() * ceiling / 2
        return max(retry_after or 0.0, jittered)
