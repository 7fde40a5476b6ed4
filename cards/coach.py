"""The team coaching card: the conversation-first checklist and the team's own numbers."""

from __future__ import annotations

from typing import Any

from cards.elements import Element, adaptive_card, container, facts, heading, submit, text


def build_coach_card(
    *,
    title: str,
    intro: str,
    checklist: list[str],
    numbers_title: str,
    numbers: list[tuple[str, str]] | None,
    numbers_note: str,
    focus_title: str,
    focus: str,
    focus_why: str,
) -> dict[str, Any]:
    """Checklist items as a numbered list; ``numbers`` as facts (``None``: only the note)."""
    body: list[Element] = [heading(title), text(intro)]
    body.append(
        container(
            [text(f"{i}. {item}", spacing="Small") for i, item in enumerate(checklist, 1)],
            separator=True,
        )
    )
    stats: list[Element] = [text(numbers_title, weight="Bolder")]
    if numbers:
        stats.append(facts(numbers))
    stats.append(text(numbers_note, isSubtle=True))
    body.append(container(stats, separator=True))
    body.append(
        container(
            [text(focus_title, weight="Bolder"), text(focus), text(focus_why, isSubtle=True)],
            style="emphasis",
        )
    )
    return adaptive_card(body, [submit("Tips for me", "tips")], fallback_text=title)
