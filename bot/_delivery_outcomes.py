"""Recording a proactive send's outcome: the delivery log, the unreachable list, the log line.

Used by :class:`bot.proactive.ProactiveSender` after each attempt; see its module for the
states and the at-most-once rule.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from bot._delivery_connector import ConnectorFailure
from bot._delivery_log import (
    DELIVERED,
    FAILED,
    IN_DOUBT,
    UNREACHABLE_STATE,
    DeliveryLog,
    UnreachableList,
)
from bot._delivery_types import GONE, Delivery, DeliveryStatus
from bot.clock import Clock

log = logging.getLogger("bot.proactive")


class Outcomes:
    """Where a send's outcome is written; shared by every send of one sender."""

    def __init__(self, deliveries: DeliveryLog, unreachable: UnreachableList, clock: Clock) -> None:
        self.log = deliveries
        self.unreachable = unreachable
        self.clock = clock

    def duplicate(
        self, key: str, recipient: str, record: dict[str, Any], in_flight: bool
    ) -> Delivery:
        """Not sent: the key was delivered, is being sent here, or is in doubt."""
        state = record.get("state")
        if state == DELIVERED:
            detail = f"already delivered at {record.get('updated_at')}"
        elif in_flight:
            detail = "already being sent"
        else:
            detail = (
                f"in doubt: claimed at {record.get('claimed_at')} by a run that did not confirm "
                "the outcome; not resent (at most once)"
            )
        return Delivery(
            key, recipient, DeliveryStatus.DUPLICATE, 0, record.get("activity_id"), detail
        )

    async def mark(
        self, key: str | None, recipient: str, state: str, attempts: int, detail: str
    ) -> None:
        """Record a keyed send's state between attempts (``retrying``, ``sending``)."""
        assert key is not None
        await self.log.finish(
            key,
            recipient,
            state,
            attempts=attempts,
            activity_id=None,
            detail=detail,
            now=self.clock(),
        )

    async def failed(
        self,
        key: str | None,
        recipient: str,
        error: ConnectorFailure,
        attempts: int,
        *,
        claimed: bool,
    ) -> Delivery:
        """The outcome of a connector failure: 403/404 mark the recipient unreachable; no
        answer at all is in doubt; anything else failed."""
        if error.status in GONE:
            reason = f"HTTP {error.status} from the connector (bot removed, user blocked or gone)"
            await self.unreachable.mark(recipient, error.status, reason, self.clock())
            return await self.finish(
                key, recipient, UNREACHABLE_STATE, attempts, None, reason, claimed=claimed
            )
        state = FAILED if error.status else IN_DOUBT
        return await self.finish(key, recipient, state, attempts, None, str(error), claimed=claimed)

    async def finish(
        self,
        key: str | None,
        recipient: str,
        state: str,
        attempts: int,
        activity_id: str | None,
        detail: str,
        *,
        claimed: bool,
    ) -> Delivery:
        """Record the outcome (a keyed send only when it was claimed; an unkeyed one
        under a fresh key) and log anything but a delivery."""
        now: datetime = self.clock()
        if claimed or key is None:
            record_key = key if key is not None else f"anon:{uuid.uuid4()}"
            await self.log.finish(
                record_key,
                recipient,
                state,
                attempts=attempts,
                activity_id=activity_id,
                detail=detail,
                now=now,
            )
        status = {
            DELIVERED: DeliveryStatus.DELIVERED,
            UNREACHABLE_STATE: DeliveryStatus.UNREACHABLE,
        }.get(state, DeliveryStatus.FAILED)
        if status is not DeliveryStatus.DELIVERED:
            log.warning(
                "proactive delivery to %s (key %s) %s after %d attempt(s): %s",
                recipient,
                key,
                state,
                attempts,
                detail,
            )
        return Delivery(key, recipient, status, attempts, activity_id, detail)
