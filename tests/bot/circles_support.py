"""Helpers of the circle scenario tests: form a circle, read prompt cards and their week."""

from __future__ import annotations

from tests.conftest import Trimtab
from tests.fakes.activities import ADELE, ALEX, LEE, MEGAN, NESTOR, Person

MEMBERS = (ADELE, MEGAN, LEE, ALEX, NESTOR)


async def form_explorers(trimtab: Trimtab, members: tuple[Person, ...] = MEMBERS) -> None:
    """ADELE creates Explorers in the group chat; the others join there."""
    replies = await trimtab.send(trimtab.teams.group(members[0], "circle create Explorers"))
    assert "Explorers" in replies[0].text and "forming" in replies[0].text
    for person in members[1:]:
        replies = await trimtab.send(trimtab.teams.group(person, "circle join Explorers"))
        assert "You joined **Explorers**" in replies[0].text


def prompt_cards(trimtab: Trimtab, person: Person) -> list[dict]:
    return [
        card
        for sent in trimtab.connector.to(person.personal_conversation)
        for card in sent.cards
        if any(a.get("verb") == "checkin" for a in card.get("actions", []))
    ]


def card_week(card: dict) -> int:
    return int(card["actions"][0]["data"]["week"])
