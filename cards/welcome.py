"""The welcome card sent once per conversation when Trimtab is installed."""

from __future__ import annotations

from typing import Any

from cards.elements import adaptive_card, heading, submit, text


def build_welcome_card(*, title: str, message: str, personal: bool) -> dict[str, Any]:
    """Greeting plus buttons for the first steps that fit the conversation."""
    actions = [submit("Show commands", "help")]
    if personal:
        actions.insert(0, submit("First tip", "tips"))
    else:
        actions.insert(0, submit("Open circles", "circle list"))
    return adaptive_card([heading(title), text(message)], actions, fallback_text=message)
