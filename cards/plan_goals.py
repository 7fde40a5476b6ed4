"""Adoption-plan cards an admin asks for: the goal list (`plans`) and the review links
(`adoption review`). Pure builders: worded lines in, an Adaptive Card 1.5 dict out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cards.elements import Element, adaptive_card, heading, open_url, text

MAX_GOALS = 30  # keeps the card well under Teams' size limit


def build_plans_card(*, title: str, lines: Sequence[str], empty: str, hint: str) -> dict[str, Any]:
    """The goals with their status, one line each (``empty`` when there are none)."""
    body: list[Element] = [heading(title)]
    if lines:
        body += [text(line, spacing="Small") for line in lines[:MAX_GOALS]]
        body.append(text(hint, isSubtle=True, size="Small", spacing="Medium"))
    else:
        body.append(text(empty))
    return adaptive_card(body, fallback_text=title)


def build_review_card(
    *, title: str, intro: str, links: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    """An intro and one button per review: ``(label, signed url)``."""
    body: list[Element] = [heading(title), text(intro)]
    actions = [open_url(label, url) for label, url in links]
    return adaptive_card(body, actions, fallback_text=title)
