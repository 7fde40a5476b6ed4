"""`mute …` / `unmute …`: muted sends are skipped (recorded, not failed), for exactly as long
as asked; every proactive card offers "Mute these"; muting what you do not get says so."""

from __future__ import annotations

from datetime import timedelta

from bot._delivery_log import DeliveryLog
from bot.coaching_delivery import send_weekly_tips
from tests.bot.circles_support import form_explorers, prompt_cards
from tests.conftest import START, Trimtab
from tests.fakes.activities import ADELE, LEE, MEGAN

MONDAY_NINE = START + timedelta(hours=1)


async def start_tips(trimtab: Trimtab, person: object) -> None:
    await trimtab.say(person, "tips")
    await trimtab.say(person, "tips persona new")
    trimtab.connector.clear()


async def test_mute_tips_for_2_weeks_stops_exactly_two_mondays(trimtab: Trimtab) -> None:
    await start_tips(trimtab, MEGAN)
    [answer] = await trimtab.say(MEGAN, "mute tips for 2 weeks")
    assert "Muted tips until Mon 07 Dec 2026 08:00" in answer.text
    trimtab.connector.clear()

    got = []
    for week in range(4):
        trimtab.clock.set(MONDAY_NINE + timedelta(weeks=week))
        result = await send_weekly_tips(trimtab.services)
        got.append((result.sent, result.muted))
    assert got == [
        ([], [MEGAN.aad_id]),
        ([], [MEGAN.aad_id]),
        ([MEGAN.aad_id], []),
        ([MEGAN.aad_id], []),
    ]
    assert len(trimtab.connector.to(MEGAN.personal_conversation)) == 2
    records = await DeliveryLog(trimtab.store).all()
    states = {r["week"]: r["state"] for r in records.values() if r.get("feature") == "tips"}
    assert states == {
        "2026-W48": "skipped",
        "2026-W49": "skipped",
        "2026-W50": "delivered",
        "2026-W51": "delivered",
    }


async def test_unmute_brings_the_tips_back_the_same_week(trimtab: Trimtab) -> None:
    await start_tips(trimtab, MEGAN)
    await trimtab.say(MEGAN, "mute all")
    trimtab.clock.set(MONDAY_NINE)
    assert (await send_weekly_tips(trimtab.services)).muted == [MEGAN.aad_id]
    [answer] = await trimtab.say(MEGAN, "unmute all")
    assert answer.text.startswith("Unmuted all")
    trimtab.connector.clear()
    assert (await send_weekly_tips(trimtab.services)).sent == [MEGAN.aad_id]


async def test_every_proactive_tip_card_has_a_mute_button(trimtab: Trimtab) -> None:
    await start_tips(trimtab, MEGAN)
    trimtab.clock.set(MONDAY_NINE)
    await send_weekly_tips(trimtab.services)
    [tip] = trimtab.connector.to(MEGAN.personal_conversation)
    assert "mute tips" in tip.submit_commands()
    pressed = await trimtab.send(trimtab.teams.submit(MEGAN, {"command": "mute tips"}))
    assert pressed[0].text.startswith("Muted tips.")


async def test_mute_of_something_not_received_says_so(trimtab: Trimtab) -> None:
    [answer] = await trimtab.say(LEE, "mute tips")
    assert answer.text == (
        "You do not receive tips, so there is nothing to mute. You receive: nothing yet."
    )
    await start_tips(trimtab, LEE)
    [answer] = await trimtab.say(LEE, "mute circle Alpha")
    assert "You do not receive circle Alpha" in answer.text and "You receive: tips" in answer.text
    [answer] = await trimtab.say(LEE, "mute digest for 3 weeks")
    assert "You do not receive digest" in answer.text


async def test_mute_bad_input_answers_clearly(trimtab: Trimtab) -> None:
    await start_tips(trimtab, LEE)
    assert "Mute what?" in (await trimtab.say(LEE, "mute"))[0].text
    assert "not “parties”" in (await trimtab.say(LEE, "mute parties"))[0].text
    assert "not a number of weeks" in (await trimtab.say(LEE, "mute tips for ever"))[0].text
    assert (await trimtab.say(LEE, "unmute tips"))[0].text == "tips is not muted."


async def test_help_lists_mute_unmute_and_my_timezone(trimtab: Trimtab) -> None:
    [card] = await trimtab.say(LEE, "help")
    text = card.all_text()
    assert "mute tips|digest|circle <name>|all [for N weeks]" in text
    assert "unmute tips|digest|circle <name>|all" in text
    assert "my timezone [<IANA zone>]" in text


async def test_a_muted_circle_member_is_skipped_and_shown_snoozed(trimtab: Trimtab) -> None:
    await form_explorers(trimtab, (ADELE, MEGAN, LEE))
    [answer] = await trimtab.say(MEGAN, "mute circle explorers for 1 week")
    assert answer.text.startswith("Muted circle Explorers until")
    trimtab.connector.clear()
    await trimtab.send(trimtab.teams.group(ADELE, "circle start Explorers"))

    assert prompt_cards(trimtab, MEGAN) == []
    [lee_card] = prompt_cards(trimtab, LEE)
    assert "mute circle Explorers" in [a["data"].get("command") for a in lee_card["actions"]]
    records = (await DeliveryLog(trimtab.store).all()).values()
    megan = [r for r in records if r["recipient"] == f"user:{MEGAN.aad_id}"]
    assert [(r["state"], r["feature"]) for r in megan] == [("skipped", "circle")]

    [status] = await trimtab.say(ADELE, "circle status Explorers")
    assert "snoozed until Mon 30 Nov 2026" in status.all_text()
