"""Circle delivery over time: card fallback, restart, ending early, the full 12 weeks."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from bot.circles_delivery import WAKE_JOB_ID, run_circle_due
from bot.clock import FakeClock
from bot.storage import TinyDBStore
from tests.bot.circles_support import card_week, form_explorers, prompt_cards
from tests.conftest import START, AppFactory, Trimtab
from tests.fakes.activities import ADELE, ALEX, GROUP_CHAT_ID, LEE, MEGAN, TENANT_ID

FOUR = (ADELE, MEGAN, LEE, ALEX)


async def started(trimtab: Trimtab) -> None:
    await form_explorers(trimtab, FOUR)
    await trimtab.send(trimtab.teams.group(ADELE, "circle start Explorers"))


async def test_submit_fallback_updates_the_prompt_card_in_place(trimtab: Trimtab) -> None:
    await started(trimtab)
    posted = next(s for s in trimtab.connector.to(LEE.personal_conversation) if s.cards)
    data = posted.cards[0]["actions"][0]["fallback"]["data"]
    await trimtab.send(trimtab.teams.submit(LEE, {**data, "text": "ten names", "rating": "4"}))
    updates = [s for s in trimtab.connector.to(LEE.personal_conversation) if s.method == "PUT"]
    assert [u.activity_id for u in updates] == [posted.activity_id]
    assert "You checked in for week 1, 4/5" in updates[0].all_text()
    assert "Checked in to **Explorers** for week 1, 4/5" in trimtab.connector.sent[-1].text
    status = await trimtab.services.circles.status(TENANT_ID, LEE.aad_id, None, trimtab.clock())
    assert [m.checked_in for m in status.members] == [False, False, True, False]


async def test_restart_does_not_resend_week_one(make_trimtab: AppFactory, tmp_path: Path) -> None:
    data_dir = tmp_path / "circles-data"
    first_store = await TinyDBStore.open(data_dir)
    first = await make_trimtab(store=first_store)
    await started(first)
    assert all(len(prompt_cards(first, p)) == 1 for p in FOUR)
    await first_store.close()

    second_store = await TinyDBStore.open(data_dir)
    try:
        clock = FakeClock(START + timedelta(hours=1))
        second = await make_trimtab(store=second_store, clock=clock)
        await run_circle_due(second.services)
        assert all(len(prompt_cards(second, p)) == 1 for p in FOUR)
        assert second.services.scheduler.get_job(WAKE_JOB_ID) is not None

        clock.set(START + timedelta(days=7, hours=1))  # Monday 30 Nov 09:00: week 2
        await run_circle_due(second.services)
        await run_circle_due(second.services)
        for person in FOUR:
            weeks = [card_week(c) for c in prompt_cards(second, person)]
            # Wednesday's reminder was > 24 h old when the bot next looked: skipped, not sent.
            assert weeks == [1, 2], (person.name, weeks)
    finally:
        await second_store.close()


async def test_facilitator_ends_early_with_a_summary(trimtab: Trimtab) -> None:
    await started(trimtab)
    await trimtab.say(MEGAN, "goal write a blog post a month")
    await trimtab.say(MEGAN, "checkin 5/5 first post out")
    replies = await trimtab.send(trimtab.teams.group(ADELE, "circle end Explorers"))
    assert "**Explorers** has ended" in replies[0].text
    summary = replies[1].all_text()
    assert "Explorers has ended" in summary and "write a blog post a month" in summary
    assert "1 of 12 check-ins" in summary
    assert trimtab.services.scheduler.get_job(WAKE_JOB_ID) is None
    trimtab.clock.advance(timedelta(days=8))
    before = len(trimtab.connector.sent)
    await run_circle_due(trimtab.services)
    assert len(trimtab.connector.sent) == before


async def test_twelve_weeks_end_with_a_completion_card(trimtab: Trimtab) -> None:
    await started(trimtab)
    trimtab.clock.advance(timedelta(hours=1))  # Mondays 09:00 from now on: the slot itself
    for _ in range(12):
        await trimtab.say(MEGAN, "checkin 4/5 steady")
        trimtab.clock.advance(timedelta(days=7))
        await run_circle_due(trimtab.services)
    for person in FOUR:
        texts = [s.all_text() for s in trimtab.connector.to(person.personal_conversation)]
        assert sum("finished its 12 weeks" in t for t in texts) == 1, person.name
        assert sorted({card_week(c) for c in prompt_cards(trimtab, person)}) == list(range(1, 13))
    megan = [c for s in trimtab.connector.to(MEGAN.personal_conversation) for c in s.cards]
    completion = json.dumps(megan[-1])
    assert "12 of 12 check-ins" in completion and "longest streak 12" in completion
    chat = [s.all_text() for s in trimtab.connector.to(GROUP_CHAT_ID)]
    assert sum("finished its 12 weeks" in t for t in chat) == 1
    assert trimtab.services.scheduler.get_job(WAKE_JOB_ID) is None
