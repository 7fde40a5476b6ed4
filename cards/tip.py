"""The tip card: one lesson of the conversation-first path with Done / Next / Stop."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cards.elements import adaptive_card, container, heading, submit, text


@dataclass(frozen=True)
class TipContent:
    """What a tip card shows (plain data, no bot types)."""

    lesson_id: str
    title: str
    habit: str
    example: str
    why: str
    position: int
    total: int


def build_tip_card(
    tip: TipContent, *, lead: str | None = None, weekly: bool = True
) -> dict[str, Any]:
    """The lesson with its example and why; Done / Next / Stop (or Restart) as buttons.

    ``weekly`` says whether the user still gets the weekly tip: the last button
    is then *Stop weekly tips*, otherwise *Weekly tips on*.
    """
    body = []
    if lead:
        body.append(text(lead, isSubtle=True))
    body += [
        text(f"Habit {tip.position} of {tip.total}", isSubtle=True, spacing="None", size="Small"),
        heading(tip.title),
        text(tip.habit, weight="Bolder"),
        container(
            [text("Example", weight="Bolder", size="Small"), text(tip.example)],
            style="emphasis",
            separator=True,
        ),
        text("Why it matters", weight="Bolder", size="Small"),
        text(tip.why),
    ]
    actions = [
        submit("Done", "tips done", lesson=tip.lesson_id),
        submit("Next", "tips next", lesson=tip.lesson_id),
        submit("Stop weekly tips", "tips off") if weekly else submit("Weekly tips on", "tips on"),
    ]
    return adaptive_card(body, actions, fallback_text=f"{tip.title}: {tip.habit}")
