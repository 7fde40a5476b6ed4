"""One fan-out path: the Monday tip job goes through the batched sender within the budgets;
keys a killed run left ``sending`` are settled as in doubt at start."""

from __future__ import annotations

from datetime import timedelta

from bot._delivery_log import DeliveryLog
from bot.clock import FakeClock
from bot.coaching_delivery import send_weekly_tips
from bot.proactive import DeliveryStatus
from tests.bot.audience_support import (
    RecordingLimiter,
    most_in_any_window,
    per_key,
    seed_tip_users,
)
from tests.bot.proactive_support import CARD, known_user
from tests.conftest import START, AppFactory, Trimtab
from tests.fakes.activities import MEGAN


async def test_monday_tip_job_for_1000_users_uses_the_batched_sender_within_budgets(
    trimtab: Trimtab,
) -> None:
    users = await seed_tip_users(trimtab, 1000, START)
    limiter = RecordingLimiter(trimtab)
    trimtab.services.proactive.limiter = limiter
    trimtab.clock.set(START + timedelta(hours=1))  # Monday 09:00 in the configured zone (UTC)

    result = await send_weekly_tips(trimtab.services)

    assert sorted(result.sent) == sorted(users) and result.failed == []
    sent = trimtab.connector.sent
    assert len(sent) == 1000 and len({s.conversation_id for s in sent}) == 1000
    assert trimtab.connector.max_in_flight > 1, "sent in batches, not one at a time"
    assert len(limiter.booked) == 1000, "every request waited for room under the budgets"
    [tenant] = per_key(limiter.booked, tenant=True).values()
    assert most_in_any_window(tenant, 1.0) <= 50, "the tenant budget: 50 requests a second"
    assert most_in_any_window(tenant, 0.1) <= 5, "paced: at most 5 per 100 ms"
    assert max(tenant) - min(tenant) >= 19.0, "1,000 at 50/s take at least 20 s (fake time)"
    for conversation in per_key(limiter.booked, tenant=False).values():
        assert most_in_any_window(conversation, 1.0) <= 7
    records = await DeliveryLog(trimtab.store).all()
    tips = [r for r in records.values() if r["key"].startswith("tip:")]
    assert {(r["state"], r["feature"], r["week"]) for r in tips} == {
        ("delivered", "tips", "2026-W48")
    }

    assert (await send_weekly_tips(trimtab.services)).sent == []  # the next quarter hour
    assert len(trimtab.connector.sent) == 1000


async def test_a_key_left_sending_by_a_killed_run_is_in_doubt_after_restart(
    make_trimtab: AppFactory,
) -> None:
    first = await make_trimtab()
    recipient = await known_user(first, MEGAN)
    log = DeliveryLog(first.store)
    assert await log.claim("tip:megan:2026-W48", recipient, START)  # claimed, never confirmed

    second = await make_trimtab(store=first.store, clock=FakeClock(START + timedelta(hours=1)))
    record = await log.get("tip:megan:2026-W48")
    assert record is not None and record["state"] == "in_doubt"
    assert "in doubt" in record["detail"]
    again = await second.services.proactive.send(recipient, CARD, key="tip:megan:2026-W48")
    assert again.status is DeliveryStatus.DUPLICATE and "in doubt" in again.detail
    assert second.connector.sent == []


async def test_the_delivery_log_is_pruned_after_the_retention_but_keys_stay_once(
    make_trimtab: AppFactory,
) -> None:
    first = await make_trimtab()
    recipient = await known_user(first, MEGAN)
    sent = await first.services.proactive.send(recipient, CARD, key="tip:megan:2026-W48")
    assert sent.status is DeliveryStatus.DELIVERED
    first.connector.fail(500)
    failed = await first.services.proactive.send(recipient, "hello", key="x:failed")
    assert failed.status is DeliveryStatus.FAILED or failed.attempts >= 1

    later = FakeClock(START + timedelta(days=31))
    second = await make_trimtab(
        store=first.store, clock=later, TRIMTAB_DELIVERY_RETENTION_DAYS="30"
    )
    log = DeliveryLog(first.store)
    assert await log.get("tip:megan:2026-W48") == {
        "key": "tip:megan:2026-W48",
        "state": "delivered",
        "pruned": True,
    }
    again = await second.services.proactive.send(recipient, CARD, key="tip:megan:2026-W48")
    assert again.status is DeliveryStatus.DUPLICATE
