"""`tips`: the persona question, lesson order per persona, Done / Next / Stop, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.coaching_delivery import send_weekly_tips
from bot.storage import TinyDBStore
from coaching.lessons import BY_ID, LESSONS, ORDER, Persona
from coaching.progress import PROGRESS
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import MEGAN
from tests.fakes.connector import Sent


def title_of(sent: list[Sent]) -> str:
    """The lesson title on the (last) tip card answered."""
    card = sent[-1].cards[0]
    headings = [b["text"] for b in card["body"] if b.get("style") == "heading"]
    assert headings, f"no tip card in {sent[-1].all_text()!r}"
    return headings[0]


async def test_first_tips_asks_the_persona_once(trimtab: Trimtab) -> None:
    [asked] = await trimtab.say(MEGAN, "tips")
    assert asked.submit_commands() == [
        "tips persona new",
        "tips persona member",
        "tips persona owner",
        "tips persona skip",
    ]
    second = await trimtab.say(MEGAN, "tips")
    assert title_of(second) == BY_ID[ORDER[Persona.MEMBER][0]].title, "unanswered = default order"


@pytest.mark.parametrize("persona", list(Persona))
async def test_lesson_order_follows_the_persona(trimtab: Trimtab, persona: Persona) -> None:
    await trimtab.say(MEGAN, "tips")
    click = trimtab.teams.submit(MEGAN, {"command": f"tips persona {persona.value}"})
    seen = [title_of(await trimtab.send(click))]
    for _ in range(len(LESSONS) - 1):
        current = next(lesson for lesson in LESSONS if lesson.title == seen[-1])
        done = trimtab.teams.submit(MEGAN, {"command": "tips done", "lesson": current.id})
        seen.append(title_of(await trimtab.send(done)))
    assert seen == [BY_ID[lesson_id].title for lesson_id in ORDER[persona]]
    last = next(lesson for lesson in LESSONS if lesson.title == seen[-1])
    [end] = await trimtab.send(
        trimtab.teams.submit(MEGAN, {"command": "tips done", "lesson": last.id})
    )
    assert "all 8 habits" in end.text


async def test_orders_differ_between_personas() -> None:
    assert len({ORDER[p] for p in Persona}) == len(Persona)
    assert all(sorted(ORDER[p]) == sorted(BY_ID) for p in Persona), "every persona gets all"


async def test_skip_the_question_gives_the_default_order(trimtab: Trimtab) -> None:
    await trimtab.say(MEGAN, "tips")
    sent = await trimtab.send(trimtab.teams.submit(MEGAN, {"command": "tips persona skip"}))
    assert "No problem" in sent[0].all_text()
    assert title_of(sent) == BY_ID[ORDER[Persona.MEMBER][0]].title


async def test_next_skips_and_the_skipped_lesson_comes_back(trimtab: Trimtab) -> None:
    order = [BY_ID[i].title for i in ORDER[Persona.NEW]]
    await trimtab.say(MEGAN, "tips")
    await trimtab.say(MEGAN, "tips persona new")
    assert title_of(await trimtab.say(MEGAN, "tips next")) == order[1]
    assert title_of(await trimtab.say(MEGAN, "tips")) == order[1], "tips repeats the current"
    assert title_of(await trimtab.say(MEGAN, "tips done")) == order[2]
    for _ in range(5):
        await trimtab.say(MEGAN, "tips done")
    assert title_of(await trimtab.say(MEGAN, "tips done")) == order[0], "skipped one comes back"


async def test_bad_tips_input_gets_clear_answers(trimtab: Trimtab) -> None:
    [persona] = await trimtab.say(MEGAN, "tips persona banana")
    assert "`new`, `member` and `owner`" in persona.text
    [extra] = await trimtab.say(MEGAN, "tips please")
    assert "`tips off`" in extra.text


async def test_stop_button_turns_weekly_tips_off_and_on(trimtab: Trimtab) -> None:
    await trimtab.say(MEGAN, "tips")
    [off] = await trimtab.send(trimtab.teams.submit(MEGAN, {"command": "tips off"}))
    assert off.text.startswith("Weekly tips are off")
    assert (await trimtab.say(MEGAN, "tips off"))[0].text.startswith("Weekly tips were already")
    card = (await trimtab.say(MEGAN, "tips"))[0].cards[0]
    assert card["actions"][-1]["data"]["command"] == "tips on"
    assert (await trimtab.say(MEGAN, "tips on"))[0].text.startswith("Weekly tips are on")
    doc = await trimtab.store.get(PROGRESS, MEGAN.aad_id)
    assert doc is not None and doc["weekly"] is True


async def test_progress_and_opt_out_survive_a_restart(
    make_trimtab: AppFactory, tmp_path: Path
) -> None:
    order = [BY_ID[i].title for i in ORDER[Persona.OWNER]]
    data = tmp_path / "coaching-data"
    store = await TinyDBStore.open(data)
    first = await make_trimtab(store=store)
    await first.say(MEGAN, "tips")
    await first.say(MEGAN, "tips persona owner")
    assert title_of(await first.say(MEGAN, "tips done")) == order[1]
    await first.say(MEGAN, "tips off")
    await first.client.close()
    await store.close()

    reopened = await TinyDBStore.open(data)
    second = await make_trimtab(store=reopened)
    assert title_of(await second.say(MEGAN, "tips")) == order[1], "no persona question again"
    second.connector.clear()
    result = await send_weekly_tips(second.services)
    assert result.sent == [] and second.connector.sent == [], "opted out stays opted out"
    await second.client.close()
    await reopened.close()
