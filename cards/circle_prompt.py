"""The weekly circle prompt: the week's guide and a check-in form (``Action.Execute``).

Also the reminder (same card with a reminder lead, so a member who missed the prompt
still sees the week's title) and the "checked in" state the card is refreshed to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cards.elements import (
    Element,
    adaptive_card,
    container,
    escape_markdown,
    execute,
    heading,
    submit,
    text,
)

CHECKIN_VERB = "checkin"
RATING_CHOICES = (
    ("1", "1 · stuck"),
    ("2", "2"),
    ("3", "3 · moving"),
    ("4", "4"),
    ("5", "5 · great week"),
)


@dataclass(frozen=True)
class PromptContent:
    """One week's guide for one circle (plain data, no domain types)."""

    circle_id: str
    circle_name: str
    week: int
    title: str
    purpose: str
    exercises: tuple[str, ...]
    reflection: str
    checkin_prompt: str
    weeks_total: int = 12


def _guide(prompt: PromptContent, lead: str | None) -> list[Element]:
    body: list[Element] = [
        text(
            f"{escape_markdown(prompt.circle_name)} · week {prompt.week} of {prompt.weeks_total}",
            isSubtle=True,
            size="Small",
        ),
        heading(prompt.title),
    ]
    if lead:
        body.append(text(lead, weight="Bolder", color="Attention"))
    body.append(text(prompt.purpose))
    body.append(
        container(
            [text("Try this week", weight="Bolder", size="Small")]
            + [text(f"{i}. {e}") for i, e in enumerate(prompt.exercises, 1)],
            spacing="Medium",
        )
    )
    body.append(
        container(
            [
                text("Reflect", weight="Bolder", size="Small"),
                text(prompt.reflection, isSubtle=True),
            ],
            spacing="Medium",
        )
    )
    return body


def build_circle_prompt_card(prompt: PromptContent, *, lead: str | None = None) -> dict[str, Any]:
    """The week's guide with a reflection box, a 1–5 rating and a *Check in* button."""
    data = {"circle_id": prompt.circle_id, "week": prompt.week}
    form: list[Element] = [
        {
            "type": "Input.Text",
            "id": "text",
            "label": f"Your check-in: {prompt.checkin_prompt}",
            "placeholder": "A sentence or two about your week",
            "isMultiline": True,
            "maxLength": 1000,
        },
        {
            "type": "Input.ChoiceSet",
            "id": "rating",
            "label": "Progress toward your goal this week",
            "style": "compact",
            "choices": [{"title": t, "value": v} for v, t in RATING_CHOICES],
        },
    ]
    action = execute("Check in", CHECKIN_VERB, **data)
    # Clients without Action.Execute (older ones) fall back to a Submit of the same data.
    action["fallback"] = submit("Check in", CHECKIN_VERB, **data)
    return adaptive_card(
        [*_guide(prompt, lead), container(form, separator=True, spacing="Medium")],
        [action],
        fallback_text=f"{prompt.circle_name}, week {prompt.week}: {prompt.title}",
    )


def build_circle_checked_in_card(
    prompt: PromptContent, *, done: str, reflection: str = ""
) -> dict[str, Any]:
    """The prompt card after the member checked in: the guide, the check-in, no form."""
    body = [*_guide(prompt, None), text(done, weight="Bolder", color="Good", separator=True)]
    if reflection:
        body.append(text(f"“{escape_markdown(reflection)}”", isSubtle=True))
    return adaptive_card(body, fallback_text=done)
