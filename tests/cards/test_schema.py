"""The schema helper itself: it accepts a good card and catches broken ones."""

from __future__ import annotations

from cards.elements import adaptive_card, submit, text
from tests.cards.schema import assert_valid_card, card_errors


def test_valid_card_passes() -> None:
    assert_valid_card(adaptive_card([text("hello")], [submit("Help", "help")]))


def test_unknown_element_type_is_caught() -> None:
    card = adaptive_card([{"type": "TextBlok", "text": "typo"}])
    assert card_errors(card)


def test_wrong_property_type_is_caught() -> None:
    card = adaptive_card([text("hi", wrap="yes")])
    assert any("wrap" in problem for problem in card_errors(card))


def test_wrong_version_and_empty_body_are_caught() -> None:
    card = adaptive_card([])
    card["version"] = "1.6"
    problems = card_errors(card)
    assert any("version" in p for p in problems) and any("empty body" in p for p in problems)


def test_submit_without_command_is_caught() -> None:
    card = adaptive_card([text("x")], [{"type": "Action.Submit", "title": "Go", "data": {}}])
    assert any("no data.command" in p for p in card_errors(card))
