"""`digest on|off` and the weekly digest: content, one per admin and week, also after a restart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.admin.digest import JOB_ID, SENT, send_weekly_digests
from bot.clock import FakeClock
from bot.coaching_delivery import JOB_EVERY_MINUTES
from bot.storage import TinyDBStore
from tests.bot.admin_data import seed_adoption
from tests.cards.schema import assert_valid_card
from tests.conftest import START, AppFactory, Trimtab
from tests.fakes.activities import ADELE, MEGAN


async def test_digest_on_off(trimtab: Trimtab) -> None:
    assert "Weekly digest on" in (await trimtab.say(ADELE, "digest on"))[0].text
    assert "already on" in (await trimtab.say(ADELE, "digest on"))[0].text
    assert "Weekly digest off" in (await trimtab.say(ADELE, "digest off"))[0].text
    assert "was not on" in (await trimtab.say(ADELE, "DIGEST OFF"))[0].text
    assert await send_weekly_digests(trimtab.services) == []
    refused = await trimtab.say(MEGAN, "digest on")
    assert refused[0].text.startswith("`digest on` is for admins")


async def test_digest_content_and_once_per_week(trimtab: Trimtab) -> None:
    await seed_adoption(trimtab.store)
    await trimtab.say(ADELE, "digest on")
    trimtab.connector.clear()
    outcomes = await send_weekly_digests(trimtab.services)
    assert [(o.admin, o.key, o.status) for o in outcomes] == [
        (ADELE.aad_id, f"digest:{ADELE.aad_id}:2026-W48", "delivered")
    ]
    sent = trimtab.connector.to(ADELE.personal_conversation)
    assert len(sent) == 1
    card = sent[0].cards[0]
    assert_valid_card(card)
    text = sent[0].all_text()
    assert "Weekly adoption digest · 2026-W47" in text
    # the period of the card and the dashboard: the last 4 full weeks vs the 4 before
    assert "2 teams · last 4 full weeks, 26 Oct – 22 Nov 2026 (vs the 4 weeks before)" in text
    facts = {f["title"]: f["value"] for f in card["body"][2]["facts"]}
    assert facts["Reply rate"] == "50% (+50 pts)"  # as on the summary card
    assert facts["Active share"] == "67% (+50 pts)"
    assert facts["Health"] == "1 green · 0 amber · 1 red"
    assert "Ops: 8 ↓" in text  # needs attention: the weakest team, falling

    again = await send_weekly_digests(trimtab.services)
    assert [o.status for o in again] == ["already_sent"]
    assert len(trimtab.connector.to(ADELE.personal_conversation)) == 1

    # Without our own record, the proactive module's idempotency key still holds.
    for key in await trimtab.store.all(SENT):
        await trimtab.store.delete(SENT, key)
    assert [o.status for o in await send_weekly_digests(trimtab.services)] == ["duplicate"]

    trimtab.clock.advance(timedelta(days=7))
    later = await send_weekly_digests(trimtab.services)
    assert [(o.key, o.status) for o in later] == [(f"digest:{ADELE.aad_id}:2026-W49", "delivered")]


async def test_digest_is_not_sent_twice_across_a_restart(
    make_trimtab: AppFactory, tmp_path: Path
) -> None:
    store = await TinyDBStore.open(tmp_path / "store")
    first = await make_trimtab(store=store)
    await seed_adoption(store)
    await first.say(ADELE, "digest on")
    assert [o.status for o in await send_weekly_digests(first.services)] == ["delivered"]
    delivered = len(first.connector.sent)
    await first.client.close()
    await store.close()

    reopened = await TinyDBStore.open(tmp_path / "store")
    try:
        second = await make_trimtab(store=reopened, clock=first.clock)
        outcomes = await send_weekly_digests(second.services)
        assert [o.status for o in outcomes] == ["already_sent"]
        assert len(second.connector.sent) == delivered
    finally:
        await reopened.close()


async def test_a_former_admin_gets_no_digest(trimtab: Trimtab) -> None:
    await trimtab.store.put(
        "digest.subscriptions", MEGAN.aad_id, {"aad_id": MEGAN.aad_id, "name": "Megan"}
    )
    assert [o.status for o in await send_weekly_digests(trimtab.services)] == ["not_admin"]
    assert trimtab.connector.sent == []


async def test_digest_goes_monday_eight_in_the_configured_zone(make_trimtab: AppFactory) -> None:
    clock = FakeClock(START - timedelta(hours=1, minutes=1))  # Monday 07:59 Berlin
    app = await make_trimtab(TRIMTAB_TIMEZONE="Europe/Berlin", clock=clock)
    job = app.services.scheduler.get_job(JOB_ID)
    assert job is not None and job.trigger.interval == timedelta(minutes=JOB_EVERY_MINUTES)
    await seed_adoption(app.store)
    await app.say(ADELE, "digest on")
    app.connector.clear()
    assert await send_weekly_digests(app.services) == []
    clock.advance(timedelta(minutes=1))  # Monday 08:00 Berlin
    assert [o.status for o in await send_weekly_digests(app.services)] == ["delivered"]
