"""``circle list``: the user's own circles and forming circles with room, with Join buttons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cards.elements import Element, adaptive_card, heading, submit, text


@dataclass(frozen=True)
class CircleLine:
    name: str
    state: str
    members: int
    limit: int
    slot: str


def _line(c: CircleLine) -> Element:
    return text(f"**{c.name}** · {c.state} · {c.members}/{c.limit} members · {c.slot}")


def build_circle_list_card(
    mine: tuple[CircleLine, ...], joinable: tuple[CircleLine, ...]
) -> dict[str, Any]:
    """Two sections; every joinable circle gets a *Join* button (``circle join <name>``)."""
    body: list[Element] = [heading("Circles"), text("Your circles", weight="Bolder")]
    body += [_line(c) for c in mine] or [text("You are not in a circle yet.", isSubtle=True)]
    body.append(text("Open to join", weight="Bolder", separator=True))
    body += [_line(c) for c in joinable] or [
        text("No circle is looking for members. Start one: `circle create Explorers`.")
    ]
    actions = [submit(f"Join {c.name}", f"circle join {c.name}") for c in joinable[:5]]
    return adaptive_card(body, actions, fallback_text="Circles")
