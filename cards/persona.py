"""The one-time, skippable question that orders a user's lessons."""

from __future__ import annotations

from typing import Any

from cards.elements import adaptive_card, heading, submit, text


def build_persona_card(
    *, title: str, question: str, choices: list[tuple[str, str]], skip_label: str
) -> dict[str, Any]:
    """``choices`` are ``(persona value, button label)``; every button answers with a command."""
    actions = [submit(label, f"tips persona {value}") for value, label in choices]
    actions.append(submit(skip_label, "tips persona skip"))
    return adaptive_card([heading(title), text(question)], actions, fallback_text=question)
