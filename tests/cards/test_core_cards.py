"""Help and welcome cards: schema-valid, and they say what the user can do."""

from __future__ import annotations

import json

import pytest

from cards.help import HelpEntry, build_help_card
from cards.welcome import build_welcome_card
from tests.cards.schema import assert_valid_card

ENTRIES = [
    HelpEntry("help", "this list"),
    HelpEntry("tips", "next lesson"),
    HelpEntry("circle list", "circles"),
]


def test_help_card_lists_every_entry_in_one_block() -> None:
    card = build_help_card(
        title="What I can do",
        intro="Type a command.",
        role_line="You are a **member**.",
        entries=ENTRIES,
    )
    assert_valid_card(card)
    listing = card["body"][-1]["items"][0]["text"]
    assert listing.splitlines() == [
        "- `help` — this list",
        "- `tips` — next lesson",
        "- `circle list` — circles",
    ]
    assert [a["data"]["command"] for a in card["actions"]] == ["tips", "circle list"]


def test_help_card_lead_line_comes_first() -> None:
    card = build_help_card(
        title="T", intro="i", role_line="r", entries=ENTRIES, lead="I don't know `x`."
    )
    assert card["body"][1] == {
        "type": "TextBlock",
        "text": "I don't know `x`.",
        "wrap": True,
        "color": "Attention",
    }


@pytest.mark.parametrize("personal", [True, False])
def test_welcome_card(personal: bool) -> None:
    card = build_welcome_card(title="Hi", message="Welcome", personal=personal)
    assert_valid_card(card)
    first = card["actions"][0]["data"]["command"]
    assert first == ("tips" if personal else "circle list")


def test_help_card_for_many_commands_stays_small() -> None:
    entries = [HelpEntry(f"command {i}", "does a thing") for i in range(40)]
    card = build_help_card(title="T", intro="i", role_line="r", entries=entries)
    assert len(json.dumps(card)) < 4000
