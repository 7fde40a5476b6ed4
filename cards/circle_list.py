"""``circle list``: the user's own circles and forming circles with room, with Join buttons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cards.elements import Element, adaptive_card, escape_markdown, heading, submit, text
from cards.size import shown_and_more

JOIN_BUTTONS = 5


@dataclass(frozen=True)
class CircleLine:
    name: str
    state: str
    members: int
    limit: int
    slot: str


def _line(c: CircleLine) -> Element:
    return text(
        f"**{escape_markdown(c.name)}** · {c.state} · {c.members}/{c.limit} members · {c.slot}"
    )


def _more(count: int) -> list[Element]:
    if not count:
        return []
    return [text(f"… and {count} more: join one by name, `circle join <name>`.", isSubtle=True)]


def build_circle_list_card(
    mine: tuple[CircleLine, ...], joinable: tuple[CircleLine, ...]
) -> dict[str, Any]:
    """Two sections; the first joinable circles get a *Join* button (``circle join <name>``).

    Long lists are cut ("… and N more") so the card stays under Teams' size limit however many
    circles a tenant has.
    """
    body: list[Element] = [heading("Circles"), text("Your circles", weight="Bolder")]
    body += [_line(c) for c in mine] or [text("You are not in a circle yet.", isSubtle=True)]
    body.append(text("Open to join", weight="Bolder", separator=True))
    shown, more = shown_and_more(joinable)
    body += [_line(c) for c in shown] or [
        text("No circle is looking for members. Start one: `circle create Explorers`.")
    ]
    body += _more(more)
    actions = [submit(f"Join {c.name}", f"circle join {c.name}") for c in shown[:JOIN_BUTTONS]]
    return adaptive_card(body, actions, fallback_text="Circles")
