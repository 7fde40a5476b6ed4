"""Issue 3 "Must show": a circle formed in a group chat, started, prompted, checked in."""

from __future__ import annotations

import json
from datetime import timedelta

from bot.circles_delivery import WAKE_JOB_ID, run_circle_due
from tests.bot.circles_support import MEMBERS, card_week, form_explorers, prompt_cards
from tests.conftest import Trimtab
from tests.fakes.activities import ADELE, ALEX, GRADY, LEE, MEGAN


async def test_must_show_circle_in_a_group_chat(trimtab: Trimtab) -> None:
    await form_explorers(trimtab)
    refused = await trimtab.send(trimtab.teams.group(GRADY, "circle join Explorers"))
    assert "full" in refused[0].text and "at most 5" in refused[0].text

    started = await trimtab.send(trimtab.teams.group(ADELE, "circle start Explorers"))
    assert "week 1 of 12" in started[0].text
    for person in MEMBERS:
        cards = prompt_cards(trimtab, person)
        assert len(cards) == 1, person.name
        assert "week 1 of 12" in json.dumps(cards[0])
        assert "Choose a goal" in json.dumps(cards[0])
    assert prompt_cards(trimtab, GRADY) == []
    notes = [s.text for s in trimtab.connector.to("19:group-chat-7c1a2f@thread.v2")]
    assert any("week 1 of 12 begins" in n for n in notes)

    data = prompt_cards(trimtab, MEGAN)[0]["actions"][0]["data"]
    invoke = trimtab.teams.execute(
        MEGAN, "checkin", {**data, "text": "Wrote my goal", "rating": "3"}
    )
    await trimtab.send(invoke)
    status, body = trimtab.responses[-1]
    assert status == 200
    refreshed = json.loads(body)
    assert refreshed["type"] == "application/vnd.microsoft.card.adaptive"
    card_text = json.dumps(refreshed["value"])
    assert "You checked in for week 1, 3/5" in card_text and "Input.Text" not in card_text

    answer = await trimtab.send(trimtab.teams.group(LEE, "circle status Explorers"))
    rows = answer[0].all_text()
    assert rows.count("✅ checked in") == 1 and rows.count("⏳ open") == 4
    megan_row = rows.split("Megan Bowen")[1].split("streak")[0]
    assert "✅ checked in" in megan_row
    assert "Next prompt: Monday 30 Nov 2026, 09:00 UTC" in rows
    assert trimtab.services.scheduler.get_job(WAKE_JOB_ID) is not None


async def test_week_two_once_and_reminders_only_to_the_silent(trimtab: Trimtab) -> None:
    await form_explorers(trimtab, MEMBERS[:4])
    await trimtab.send(trimtab.teams.group(ADELE, "circle start Explorers"))
    await trimtab.say(MEGAN, "checkin 4/5 listed ten people")

    trimtab.clock.advance(timedelta(days=1, hours=23))  # not yet two days
    await run_circle_due(trimtab.services)
    assert all(len(prompt_cards(trimtab, p)) == 1 for p in MEMBERS[:4])

    trimtab.clock.advance(timedelta(hours=1))  # Wednesday 08:00: reminders
    await run_circle_due(trimtab.services)
    await run_circle_due(trimtab.services)
    assert len(prompt_cards(trimtab, MEGAN)) == 1
    for person in (ADELE, LEE, ALEX):
        cards = prompt_cards(trimtab, person)
        assert len(cards) == 2, person.name
        assert "Reminder" in json.dumps(cards[1]) and "Choose a goal" in json.dumps(cards[1])

    trimtab.clock.advance(timedelta(days=5, hours=1))  # Monday 30 Nov 09:00: week 2
    await run_circle_due(trimtab.services)
    await run_circle_due(trimtab.services)
    for person in MEMBERS[:4]:
        weeks = [card_week(c) for c in prompt_cards(trimtab, person)]
        assert weeks.count(2) == 1, (person.name, weeks)
