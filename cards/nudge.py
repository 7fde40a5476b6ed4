"""The nudge card a champion posts into a team's General channel."""

from __future__ import annotations

from typing import Any

from cards.elements import adaptive_card, container, escape_markdown, heading, submit, text


def build_nudge_card(
    *, title: str, message: str, champion_line: str, habit_title: str, habit: str
) -> dict[str, Any]:
    """The champion's (or the library's) message, who sent it and one habit to try.

    ``message`` is shown literally: a champion's own words cannot add links or formatting.
    """
    body = [
        heading(title),
        text(escape_markdown(message)),
        text(champion_line, isSubtle=True, size="Small"),
        container(
            [text(habit_title, weight="Bolder"), text(habit)], style="emphasis", separator=True
        ),
    ]
    return adaptive_card(body, [submit("Show me a tip", "tips")], fallback_text=message)
