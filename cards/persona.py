"""The one-time, skippable question that orders a user's lessons."""

from __future__ import annotations

from typing import Any

from cards.elements import Element, adaptive_card, heading, submit, text


def _choice_row(value: str, label: str) -> Element:
    # One ActionSet per choice stacks the answers vertically at full card width: four buttons
    # side by side are cut off at Teams' card width ("I'm new to Te…").
    return {"type": "ActionSet", "actions": [submit(label, f"tips persona {value}")]}


def build_persona_card(
    *, title: str, question: str, choices: list[tuple[str, str]], skip_label: str
) -> dict[str, Any]:
    """``choices`` are ``(persona value, button label)``, one full-width button each, stacked;
    every button answers with a command."""
    body = [heading(title), text(question), *[_choice_row(v, label) for v, label in choices]]
    return adaptive_card(body, [submit(skip_label, "tips persona skip")], fallback_text=question)
