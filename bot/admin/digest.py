"""The weekly adoption digest: ``digest on`` / ``digest off`` and the Monday job.

Subscriptions live in ``digest.subscriptions`` (key: the admin's AAD object id). Every
Monday at 08:00 in the admin's own zone (``TRIMTAB_TIMEZONE`` when unknown)
:func:`send_weekly_digests` sends each subscribed admin the digest of the week that just
ended, in their 1:1 chat, through the one fan-out path (``services.fanout``) with the
idempotency key ``digest:<aad id>:<ISO week>`` (the week the digest is sent in).
``digest.sent`` records what went out under the same key, so a restart, a second run or a
misfired job never sends a week twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from apscheduler.triggers.interval import IntervalTrigger

from adoption.weeks import IsoWeek
from audience import WeeklySlot, due_week
from bot.admin.summary import load, shared_period, tenant_view
from bot.attachments import card_message
from bot.coaching_delivery import JOB_EVERY_MINUTES, person_zones
from bot.delivery_report import delivery_report
from bot.fanout import Outgoing
from bot.messages import admin as msg
from bot.messages import audience as msg_audience
from bot.plan_status import with_goals
from bot.roles import Role, UserRef
from bot.services import Services
from bot.storage import DocumentStore
from cards.digest import build_digest_card
from cards.elements import text
from champions import TenantScope

log = logging.getLogger(__name__)

SUBSCRIPTIONS = "digest.subscriptions"
SENT = "digest.sent"
JOB_ID = "digest.weekly"
DONE_STATUSES = frozenset({"delivered", "duplicate", "unreachable"})
DIGEST_SLOT = WeeklySlot(0, time(8, 0))


class DigestRepository:
    """The one owner of ``digest.subscriptions`` and ``digest.sent``."""

    COLLECTIONS = (SUBSCRIPTIONS, SENT)

    def __init__(self, store: DocumentStore) -> None:
        self._store = store

    async def subscribe(self, user: UserRef, now: datetime, tenant_id: str = "") -> bool:
        doc = {
            "aad_id": user.aad_id.lower(),
            "name": user.name,
            "upn": user.upn,
            "since": now.isoformat(),
            "tenant_id": tenant_id,
        }
        return await self._store.insert_if_absent(SUBSCRIPTIONS, user.aad_id.lower(), doc)

    async def unsubscribe(self, user: UserRef) -> bool:
        return await self._store.delete(SUBSCRIPTIONS, user.aad_id.lower())

    async def subscribers(self, scope: TenantScope | None = None) -> list[dict[str, Any]]:
        """Every subscription (of the scope's tenant), by AAD id."""
        docs = (await self._store.all(SUBSCRIPTIONS)).values()
        mine = [d for d in docs if scope is None or scope.holds(d.get("tenant_id"))]
        return sorted(mine, key=lambda d: str(d["aad_id"]))

    async def was_sent(self, key: str) -> bool:
        return await self._store.get(SENT, key) is not None

    async def mark_sent(self, key: str, doc: dict[str, Any]) -> None:
        await self._store.put(SENT, key, doc)


async def subscribe(
    services: Services, user: UserRef, now: datetime, scope: TenantScope | None = None
) -> bool:
    """Turn the digest on for ``user`` (of the scope's tenant); ``False`` when it already was."""
    tenant = scope.tenant_id if scope else ""
    return await DigestRepository(services.store).subscribe(user, now, tenant)


async def unsubscribe(services: Services, user: UserRef) -> bool:
    """Turn the digest off for ``user``; ``False`` when it was not on."""
    return await DigestRepository(services.store).unsubscribe(user)


def digest_key(aad_id: str, week: str) -> str:
    """The idempotency key of one admin's digest in one ISO week (``2026-W48``)."""
    return f"digest:{aad_id.lower()}:{week}"


@dataclass(frozen=True)
class DigestOutcome:
    """What happened to one admin's digest: a delivery status, ``already_sent`` or
    ``not_admin``."""

    admin: str
    key: str
    status: str


def _status(delivery: Any) -> str:
    status = getattr(delivery, "status", delivery)
    return str(getattr(status, "value", status)).lower()


async def digest_card(services: Services, now: datetime) -> tuple[dict[str, Any], str]:
    """The digest card sent the week after ``week`` (the last full week before ``now``), and
    that week's label. It measures the shared period of card and dashboard (the last four
    full weeks vs the four before), so a team's band is the same in all three."""
    shared = shared_period(now, services)
    data = await load(services, shared.current, now=now, previous=shared.previous)
    week = IsoWeek.of(shared.current.end).label
    view = await with_goals(services, now, tenant_view(data, top=3))
    card = build_digest_card(view, week=week)
    unreachable = (await delivery_report(services, week)).unreachable
    if unreachable:  # the admin hears who Trimtab could not reach, and why
        people = ", ".join(
            f"{p.name} ({msg_audience.UNREACHABLE_REASONS.get(p.reason, p.reason)})"
            for p in unreachable[:10]
        )
        line = msg_audience.DIGEST_UNREACHABLE.format(
            count=len(unreachable), week=week, people=people
        )
        card["body"].append(text(line, color="Warning", separator=True))
    return card, week


async def send_weekly_digests(
    services: Services, now: datetime | None = None
) -> list[DigestOutcome]:
    """Send this week's digest to every subscribed admin whose Monday 08:00 has come in their
    own zone (the configured zone when unknown) and who has not had it yet.

    The digest shows the home tenant's adoption data: it goes to the home tenant's admins.
    """
    now = now or services.clock()
    repo = DigestRepository(services.store)
    subscribers = await repo.subscribers(await services.tenancy.home_scope())
    zones = await person_zones(services)
    outcomes: list[DigestOutcome] = []
    batch: list[tuple[str, str]] = []
    for sub in subscribers:
        aad = sub["aad_id"]
        week = due_week(now, DIGEST_SLOT, zones.get(aad, services.settings.timezone.key))
        if week is None:
            continue
        key = digest_key(aad, week)
        user = UserRef(aad_id=aad, teams_id="", name=sub.get("name", ""), upn=sub.get("upn", ""))
        if await repo.was_sent(key):
            outcomes.append(DigestOutcome(aad, key, "already_sent"))
        elif await services.roles.role_of(user) < Role.ADMIN:
            outcomes.append(DigestOutcome(aad, key, "not_admin"))
        else:
            batch.append((aad, week))
    if not batch:
        return outcomes
    card, shown = await digest_card(services, now)
    activity = card_message(card, summary=msg.DIGEST_SUMMARY.format(week=shown), where="digest")
    items = [
        Outgoing(f"user:{aad}", activity, digest_key(aad, week), "digest", week, person=aad)
        for aad, week in batch
    ]
    for item, delivery in zip(items, await services.fanout.send(items), strict=True):
        status = _status(delivery)
        if status in DONE_STATUSES:
            doc = {"admin": item.person, "week": item.week, "status": status, "at": now.isoformat()}
            await repo.mark_sent(item.key, doc)
        outcomes.append(DigestOutcome(str(item.person), item.key, status))
    return outcomes


async def _job(services: Services) -> None:
    try:
        outcomes = await send_weekly_digests(services)
    except Exception:
        log.exception("weekly digest job failed")
        return
    log.info("weekly digest: %s", ", ".join(f"{o.admin}={o.status}" for o in outcomes) or "none")


def install_digest_job(services: Services) -> None:
    """Every 15 minutes: each admin is due at Monday 08:00 in their own zone, once per ISO
    week, with a day to catch up."""
    services.scheduler.add_job(
        _job,
        IntervalTrigger(minutes=JOB_EVERY_MINUTES),
        args=[services],
        id=JOB_ID,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
