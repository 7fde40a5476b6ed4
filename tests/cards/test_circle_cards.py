"""Every circle card validates against the Adaptive Card 1.5 schema."""

from __future__ import annotations

import json

from cards.circle_completion import CompletionContent, MemberJourney, build_circle_completion_card
from cards.circle_list import CircleLine, build_circle_list_card
from cards.circle_prompt import (
    PromptContent,
    build_circle_checked_in_card,
    build_circle_prompt_card,
)
from cards.circle_status import MemberLine, StatusContent, build_circle_status_card
from tests.cards.schema import assert_valid_card, card_errors

PROMPT = PromptContent(
    "c1", "Explorers", 3, "Contribute", "Give first.", ("One", "Two"), "Why?", "What did you give?"
)


def test_prompt_card_has_the_check_in_form() -> None:
    card = build_circle_prompt_card(PROMPT, lead="Reminder")
    assert_valid_card(card)
    ids = {e.get("id") for e in card["body"][-1]["items"]}
    assert ids == {"text", "rating"}
    action = card["actions"][0]
    assert (action["type"], action["verb"], action["data"]) == (
        "Action.Execute",
        "checkin",
        {"circle_id": "c1", "week": 3},
    )
    assert action["fallback"]["data"]["command"] == "checkin"


def test_checked_in_card_has_no_form() -> None:
    card = build_circle_checked_in_card(PROMPT, done="Done for week 3", reflection="gave")
    assert_valid_card(card)
    assert "Input." not in json.dumps(card) and "actions" not in card


def test_status_cards_forming_and_active() -> None:
    members = (MemberLine("Adele", True, 2, 4, True, "learn"), MemberLine("Lee", False, 0))
    cards = {
        state: build_circle_status_card(
            StatusContent("Explorers", state, 2, 12, "Mondays at 09:00 (UTC)", members, None)
        )
        for state in ("forming", "active", "completed")
    }
    for card in cards.values():
        assert_valid_card(card)
    assert "Next prompt: none" in json.dumps(cards["active"])
    assert "week 2 of 12" not in json.dumps(cards["forming"])


def test_completion_and_list_cards() -> None:
    journey = MemberJourney("Adele", 11, 7, (3, None, 4) + (5,) * 9, "learn")
    assert_valid_card(
        build_circle_completion_card(CompletionContent("Explorers", True, (journey,)))
    )
    assert_valid_card(build_circle_completion_card(CompletionContent("X", False, ())))
    line = CircleLine("Explorers", "forming", 2, 5, "Mondays at 09:00 (UTC)")
    assert_valid_card(build_circle_list_card((line,), (line,)))
    assert_valid_card(build_circle_list_card((), ()))


def test_the_validator_catches_a_broken_card() -> None:
    card = build_circle_prompt_card(PROMPT)
    card["body"][-1]["items"][1]["choices"] = "nope"
    assert card_errors(card)
