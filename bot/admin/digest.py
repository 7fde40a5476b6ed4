"""The weekly adoption digest: ``digest on`` / ``digest off`` and the Monday job.

Subscriptions live in ``digest.subscriptions`` (key: the admin's AAD object id). Every
Monday at 08:00 in ``TRIMTAB_TIMEZONE`` :func:`send_weekly_digests` sends each
subscribed admin the digest of the week that just ended, in their 1:1 chat, through
``services.proactive`` with the idempotency key ``digest:<aad id>:<ISO week>`` (the
week the digest is sent in). ``digest.sent`` records what went out under the same
key, so a restart, a second run or a misfired job never sends a week twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apscheduler.triggers.cron import CronTrigger

from adoption.weeks import IsoWeek
from bot.admin.summary import last_weeks, load, tenant_view
from bot.attachments import card_message
from bot.messages import admin as msg
from bot.plan_status import with_goals
from bot.roles import Role, UserRef
from bot.services import Services
from bot.storage import DocumentStore
from cards.digest import build_digest_card
from champions import TenantScope

log = logging.getLogger(__name__)

SUBSCRIPTIONS = "digest.subscriptions"
SENT = "digest.sent"
JOB_ID = "digest.weekly"
DONE_STATUSES = frozenset({"delivered", "duplicate", "unreachable"})


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


def digest_key(aad_id: str, week: IsoWeek) -> str:
    """The idempotency key of one admin's digest in one ISO week."""
    return f"digest:{aad_id.lower()}:{week.label}"


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
    """The digest card of the last full week before ``now`` and that week's label."""
    period = last_weeks(now, services, 1)
    data = await load(services, period, now=now)
    week = IsoWeek.of(period.start).label
    view = await with_goals(services, now, tenant_view(data, top=3))
    return build_digest_card(view, week=week), week


async def send_weekly_digests(
    services: Services, now: datetime | None = None
) -> list[DigestOutcome]:
    """Send this week's digest to every subscribed admin who has not had it yet.

    The digest shows the home tenant's adoption data: it goes to the home tenant's admins.
    """
    now = now or services.clock()
    this_week = IsoWeek.of_datetime(now, services.settings.timezone)
    repo = DigestRepository(services.store)
    subscribers = await repo.subscribers(await services.tenancy.home_scope())
    outcomes: list[DigestOutcome] = []
    card: dict[str, Any] | None = None
    week = ""
    for sub in subscribers:
        aad = sub["aad_id"]
        key = digest_key(aad, this_week)
        user = UserRef(aad_id=aad, teams_id="", name=sub.get("name", ""), upn=sub.get("upn", ""))
        if await repo.was_sent(key):
            outcomes.append(DigestOutcome(aad, key, "already_sent"))
            continue
        if await services.roles.role_of(user) < Role.ADMIN:
            outcomes.append(DigestOutcome(aad, key, "not_admin"))
            continue
        if card is None:
            card, week = await digest_card(services, now)
        activity = card_message(card, summary=msg.DIGEST_SUMMARY.format(week=week), where="digest")
        delivery = await services.proactive.send(f"user:{aad}", activity, key=key)
        status = _status(delivery)
        if status in DONE_STATUSES:
            doc = {"admin": aad, "week": this_week.label, "status": status, "at": now.isoformat()}
            await repo.mark_sent(key, doc)
        outcomes.append(DigestOutcome(aad, key, status))
    return outcomes


async def _job(services: Services) -> None:
    try:
        outcomes = await send_weekly_digests(services)
    except Exception:
        log.exception("weekly digest job failed")
        return
    log.info("weekly digest: %s", ", ".join(f"{o.admin}={o.status}" for o in outcomes) or "none")


def install_digest_job(services: Services) -> None:
    """Mondays 08:00 in the configured zone; a missed run is caught up within 12 hours."""
    services.scheduler.add_job(
        _job,
        CronTrigger(day_of_week="mon", hour=8, minute=0, timezone=services.settings.timezone),
        args=[services],
        id=JOB_ID,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=12 * 3600,
    )
