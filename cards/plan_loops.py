"""Feedback-loop cards (docs/plans.md, "Feedback loops"): the alert a team's champions
get, the "find a champion" card for admins, and the celebration in a team's General
channel. Pure builders: worded text in, an Adaptive Card 1.5 dict out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cards.elements import Element, adaptive_card, container, escape_markdown, heading, submit, text


def build_alert_card(
    *,
    title: str,
    intro: str,
    reasons: Sequence[str],
    suggestion_title: str,
    suggestion: str,
    button: str,
    command: str | None,
    footer: str,
    loop_key: str,
) -> dict[str, Any]:
    """Why the team needs attention and a suggested nudge; the button runs ``command``
    (``nudge <team> <message>``) and carries the loop's key so the bot records who acted.
    Without a ``command`` (team not reachable) the card has no button."""
    body: list[Element] = [
        heading(title),
        text(intro),
        text("\n\n".join(f"- {r}" for r in reasons), spacing="Small"),
        container(
            [text(suggestion_title, weight="Bolder"), text(escape_markdown(suggestion))],
            style="emphasis",
            separator=True,
        ),
    ]
    actions = []
    if command:
        body.append(text(footer, isSubtle=True, size="Small"))
        actions.append(submit(button, command, plan_loop=loop_key))
    return adaptive_card(body, actions, fallback_text=title)


def build_find_champion_card(
    *, title: str, intro: str, people_title: str, people: Sequence[str], nobody: str, hint: str
) -> dict[str, Any]:
    """A team without a champion and its most active people, for the admins."""
    body: list[Element] = [heading(title), text(intro)]
    if people:
        lines = "\n\n".join(f"{i}. {escape_markdown(p)}" for i, p in enumerate(people, 1))
        body += [text(people_title, weight="Bolder"), text(lines, spacing="Small")]
    else:
        body.append(text(nobody, isSubtle=True))
    body.append(text(hint, isSubtle=True, size="Small", spacing="Medium"))
    return adaptive_card(body, fallback_text=title)


def build_celebration_card(*, title: str, message: str) -> dict[str, Any]:
    """A short celebration for the team's General channel."""
    return adaptive_card([heading(title), text(message)], fallback_text=title)
