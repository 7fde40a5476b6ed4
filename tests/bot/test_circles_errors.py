"""Bad input and refused actions through the bot: each answer says what and shows an example."""

from __future__ import annotations

import pytest

from bot.messages.circles import explain
from tests.conftest import Trimtab
from tests.fakes.activities import ADELE, GRADY, LEE, MEGAN
from wol_circles import TooManyCircles


async def answer(trimtab: Trimtab, person, text: str) -> str:  # type: ignore[no-untyped-def]
    replies = await trimtab.send(trimtab.teams.group(person, text))
    assert len(replies) == 1, [r.text for r in replies]
    return replies[0].text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "circle create Explorers tuesday 25:00",
            "25:00 is not a time; try `circle create Explorers tuesday 08:30 Europe/Berlin`",
        ),
        (
            "circle create Explorers tuesdai 08:30",
            "tuesdai is not a weekday; try `circle create Explorers tuesday 08:30 Europe/Berlin`",
        ),
        (
            "circle create Explorers tuesday 08:30 Europe/Berln",
            "Europe/Berln is not a time zone",
        ),
        ("circle create Explorers tuesday", "tuesday needs a time after it; try `circle create"),
        ("circle create", "try `circle create Explorers tuesday 08:30 Europe/Berlin`"),
        ("circle join", "Which circle? Give its name; try `circle join Explorers`"),
        ("circle start Nowhere", "There is no open circle called **Nowhere**"),
    ],
)
async def test_bad_input_gets_a_correct_example(trimtab: Trimtab, text: str, expected: str) -> None:
    assert expected in await answer(trimtab, ADELE, text)


async def test_zone_suggestion_and_no_circle_created(trimtab: Trimtab) -> None:
    text = await answer(trimtab, ADELE, "circle create Explorers tuesday 08:30 europe/berln")
    assert "Europe/Berlin" in text
    assert "not in a circle yet" in (await trimtab.say(ADELE, "circle list"))[0].all_text()


async def test_refusals(trimtab: Trimtab) -> None:
    await answer(trimtab, ADELE, "circle create Explorers")
    dup = await answer(trimtab, MEGAN, "circle create explorers")
    assert "A circle called **Explorers** already exists" in dup
    assert "at least" not in await answer(trimtab, MEGAN, "circle join Explorers")
    refused = await answer(trimtab, MEGAN, "circle start Explorers")
    assert refused == "Only the facilitator of **Explorers** can do that."
    again = await answer(trimtab, MEGAN, "circle join Explorers")
    assert "already in **Explorers**" in again
    not_started = await answer(trimtab, MEGAN, "checkin 4/5 fine")
    assert "not active yet" in not_started and "`circle start Explorers`" in not_started
    stranger = await answer(trimtab, GRADY, "checkin Explorers 4/5 sneaking in")
    assert "You are not a member of **Explorers**" in stranger
    nobody = await answer(trimtab, LEE, "circle status")
    assert "not in an open circle" in nobody
    await trimtab.send(trimtab.teams.group(ADELE, "circle start Explorers"))
    bad_rating = await answer(trimtab, MEGAN, "checkin 9/5 too good")
    assert "not a rating from 1 to 5; try `checkin 4/5" in bad_rating
    leave = await answer(trimtab, ADELE, "circle leave Explorers")
    assert "cannot leave **Explorers**" in leave and "`circle end Explorers`" in leave


async def test_checkin_card_for_a_circle_the_user_is_not_in(trimtab: Trimtab) -> None:
    await answer(trimtab, ADELE, "circle create Explorers")
    await answer(trimtab, MEGAN, "circle join Explorers")
    await trimtab.send(trimtab.teams.group(ADELE, "circle start Explorers"))
    circle_id = (await trimtab.services.circles.repo.all())[0].id
    replies = await trimtab.send(
        trimtab.teams.submit(GRADY, {"command": "checkin", "circle_id": circle_id, "week": 1})
    )
    assert "You are not a member of **Explorers**" in replies[0].text


async def test_one_person_cannot_fill_the_tenant_with_circles(trimtab: Trimtab) -> None:
    """300 circles by one member made every `circle list` card too large for Teams."""
    for i in range(5):
        assert "is forming" in await answer(trimtab, ADELE, f"circle create Alpha {i}")
    refused = await answer(trimtab, ADELE, "circle create Alpha 5")
    assert "already in 5 open circles" in refused and "`circle leave Alpha 0`" in refused
    await answer(trimtab, MEGAN, "circle create Beta")
    assert "already in 5 open circles" in await answer(trimtab, ADELE, "circle join Beta")
    listing = (await trimtab.say(MEGAN, "circle list"))[0].all_text()
    assert "Alpha 5" not in listing and "Alpha 4" in listing
    await answer(trimtab, ADELE, "circle end Alpha 0")
    assert "Beta" in await answer(trimtab, ADELE, "circle join Beta")


def test_too_many_circles_while_their_names_are_not_known_yet() -> None:
    """Five joins under way whose circles are not written yet: no name to suggest leaving."""
    answer = explain(TooManyCircles(5, ()))
    assert "already joining or in 5 open circles" in answer and "circle leave" not in answer
