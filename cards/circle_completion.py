"""The completion card: per member check-ins, goal, ratings over the weeks, what next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cards.elements import (
    Element,
    adaptive_card,
    container,
    escape_markdown,
    heading,
    submit,
    text,
)


@dataclass(frozen=True)
class MemberJourney:
    name: str
    checkins: int
    longest_streak: int
    ratings: tuple[int | None, ...]
    goal: str | None = None


@dataclass(frozen=True)
class CompletionContent:
    circle_name: str
    completed: bool
    """``True`` after week 12, ``False`` when the facilitator ended the circle early."""
    members: tuple[MemberJourney, ...]
    weeks_total: int = 12


def _ratings(ratings: tuple[int | None, ...]) -> str:
    return " ".join("·" if r is None else str(r) for r in ratings)


def _journey(m: MemberJourney, weeks: int) -> Element:
    items = [
        text(escape_markdown(m.name), weight="Bolder"),
        text(
            f"{m.checkins} of {weeks} check-ins · longest streak {m.longest_streak}",
            spacing="None",
        ),
        text(f"Progress week by week: {_ratings(m.ratings)}", isSubtle=True, spacing="None"),
    ]
    if m.goal:
        items.insert(1, text(f"Goal: {escape_markdown(m.goal)}", spacing="None"))
    return container(items, separator=True)


def build_circle_completion_card(summary: CompletionContent) -> dict[str, Any]:
    """Thanks, each member's journey and an invitation to start or join a new circle."""
    total = sum(m.checkins for m in summary.members)
    name = escape_markdown(summary.circle_name)
    title = (
        f"{name} finished its {summary.weeks_total} weeks 🎉"
        if summary.completed
        else f"{name} has ended"
    )
    body: list[Element] = [
        heading(title),
        text(f"{total} check-ins together. Here is each member's journey:"),
        *[_journey(m, summary.weeks_total) for m in summary.members],
        text(
            "Keep the habit: start a new circle with `circle create <name>` or join one "
            "that is forming.",
            separator=True,
        ),
    ]
    return adaptive_card(body, [submit("Open circles", "circle list")], fallback_text=title)
