"""What was delivered, to whom, and what failed: per feature and ISO week.

    report = await delivery_report(services, "2026-W48")
    report.rows         # FeatureWeek(feature, sent, delivered, retried, skipped, …)
    report.unreachable  # UnreachablePerson(name, recipient, feature, reason)
    report.in_doubt     # InDoubt(name, recipient, feature, key, claimed_at): not resent

Counted from the delivery log (records carry ``feature`` and ``week``) and the
acknowledgements in ``bot.acks`` (a check-in or a button pressed on a card: *acted*).
Pruned tombstones carry no feature and are not counted.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from audience import iso_week
from bot._delivery_log import (
    DELIVERED,
    FAILED,
    IN_DOUBT,
    SENDING,
    SKIPPED,
    UNREACHABLE_STATE,
    DeliveryLog,
)
from bot.services import Services
from bot.storage import DocumentStore

ACKS = "bot.acks"
NOT_INSTALLED = "not installed"


@dataclass
class FeatureWeek:
    feature: str
    week: str
    sent: int = 0
    delivered: int = 0
    retried: int = 0
    skipped: int = 0
    unreachable: int = 0
    failed: int = 0
    in_doubt: int = 0
    acted: int = 0

    def counts(self) -> list[int]:
        return [
            self.sent,
            self.delivered,
            self.retried,
            self.skipped,
            self.unreachable,
            self.failed,
            self.in_doubt,
            self.acted,
        ]


@dataclass(frozen=True)
class UnreachablePerson:
    name: str
    recipient: str
    feature: str
    reason: str
    """``blocked`` (403), ``not_found`` (404) or ``uninstalled`` (no app; Graph did not install)."""


@dataclass(frozen=True)
class InDoubt:
    """A key claimed by a run that died before the connector answered (a killed leader's
    in-flight request): maybe delivered, maybe not, never resent (at most once)."""

    name: str
    recipient: str
    feature: str
    key: str
    claimed_at: str


@dataclass
class DeliveryReport:
    week: str
    rows: list[FeatureWeek] = field(default_factory=list)
    unreachable: list[UnreachablePerson] = field(default_factory=list)
    in_doubt: list[InDoubt] = field(default_factory=list)


class AckLog:
    """``bot.acks``: who acted on which feature's card in which week (one record each)."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store

    async def record(self, tag: str, user_id: str, now: datetime) -> bool:
        """``tag`` is ``<feature>/<ISO week>`` as the fan-out wrote it on the card."""
        feature, _, week = tag.partition("/")
        if not feature or not week:
            return False
        doc = {"feature": feature, "week": week, "user": user_id, "at": now.isoformat()}
        return await self.store.insert_if_absent(ACKS, f"{tag}/{user_id}", doc)

    async def counts(self, week: str) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for doc in (await self.store.all(ACKS)).values():
            if doc.get("week") == week:
                found[str(doc["feature"])] += 1
        return found


def reason_of(record: dict[str, Any]) -> str:
    detail = str(record.get("detail") or "")
    if NOT_INSTALLED in detail:
        return "uninstalled"
    return "not_found" if "HTTP 404" in detail else "blocked"


_WEEK = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$", re.I)


def parse_week(raw: str, services: Services) -> str | None:
    """``2026-W48`` (any case) as written, this ISO week for ``""``, ``None`` when malformed."""
    raw = raw.strip()
    if not raw:
        return this_week(services)
    return raw.upper() if _WEEK.match(raw) else None


def this_week(services: Services) -> str:
    return iso_week(services.clock().astimezone(services.settings.timezone).date())


async def delivery_report(services: Services, week: str) -> DeliveryReport:
    """Counts per feature for ``week`` and the unreachable people with the reason."""
    rows: dict[str, FeatureWeek] = {}
    report = DeliveryReport(week)
    users = await services.directory.users()
    for record in (await DeliveryLog(services.store).all()).values():
        feature = record.get("feature")
        if not feature or record.get("week") != week:
            continue
        row = rows.setdefault(feature, FeatureWeek(feature, week))
        state = record.get("state")
        if state == SKIPPED:
            row.skipped += 1
            continue
        row.sent += 1
        row.retried += int(record.get("attempts") or 0) > 1
        row.delivered += state == DELIVERED
        row.failed += state == FAILED
        row.in_doubt += state in (IN_DOUBT, SENDING)
        recipient = str(record.get("recipient", ""))
        name = str((users.get(recipient.removeprefix("user:")) or {}).get("name") or recipient)
        if state == UNREACHABLE_STATE:
            row.unreachable += 1
            report.unreachable.append(
                UnreachablePerson(name, recipient, feature, reason_of(record))
            )
        elif state == IN_DOUBT:
            claimed = str(record.get("claimed_at") or "")
            report.in_doubt.append(
                InDoubt(name, recipient, feature, str(record.get("key", "")), claimed)
            )
    for feature, acted in (await AckLog(services.store).counts(week)).items():
        rows.setdefault(feature, FeatureWeek(feature, week)).acted = acted
    report.rows = [rows[f] for f in sorted(rows)]
    report.unreachable.sort(key=lambda p: (p.feature, p.name.casefold()))
    report.in_doubt.sort(key=lambda p: (p.feature, p.name.casefold(), p.key))
    return report
