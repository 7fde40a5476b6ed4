"""Small constructors for card elements, so builders read like the card they make."""

from __future__ import annotations

import re
from typing import Any

SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"

Element = dict[str, Any]

# Characters Teams' card markdown gives a meaning to anywhere in a line (emphasis, links, code,
# strike-through, autolinks), and the markers that only count at the start of a line (lists,
# headings, quotes); a backslash makes each one literal. Fewer escapes render cleaner on the
# mobile clients, so nothing else is touched.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]~<>])")
_LINE_START_MARKER = re.compile(r"^(\s*)(\d+\.|[-+#])(?=\s|#|$)", re.MULTILINE)


def escape_markdown(value: str) -> str:
    """``value`` as literal text inside a markdown TextBlock or FactSet value.

    Every piece of text a person typed (names, goals, nudge messages, reflections) goes through
    this before it is put into a card other people see, so it cannot render as a link, fake
    emphasis, a list or a heading.
    """
    escaped = _INLINE_SPECIAL.sub(r"\\\1", value)
    return _LINE_START_MARKER.sub(lambda m: f"{m.group(1)}{_escape_marker(m.group(2))}", escaped)


def _escape_marker(marker: str) -> str:
    return marker[:-1] + "\\." if marker.endswith(".") else "\\" + marker


def adaptive_card(
    body: list[Element],
    actions: list[Element] | None = None,
    *,
    fallback_text: str | None = None,
) -> dict[str, Any]:
    """An Adaptive Card 1.5 around ``body`` and ``actions``."""
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA_URL,
        "version": VERSION,
        "body": body,
    }
    if actions:
        card["actions"] = actions
    if fallback_text:
        card["fallbackText"] = fallback_text
    return card


def text(value: str, **props: Any) -> Element:
    """A wrapping TextBlock; ``props`` pass through (size, weight, color, isSubtle …)."""
    return {"type": "TextBlock", "text": value, "wrap": True, **props}


def heading(value: str) -> Element:
    return text(value, size="Large", weight="Bolder", style="heading")


def facts(pairs: list[tuple[str, str]]) -> Element:
    return {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in pairs]}


def container(items: list[Element], **props: Any) -> Element:
    return {"type": "Container", "items": items, **props}


def columns(*cols: list[Element], widths: list[str] | None = None) -> Element:
    widths = widths or ["stretch"] * len(cols)
    return {
        "type": "ColumnSet",
        "columns": [
            {"type": "Column", "width": w, "items": items}
            for w, items in zip(widths, cols, strict=True)
        ],
    }


def submit(title: str, command: str, **data: Any) -> Element:
    """A button that sends ``command`` back to the bot as if typed (plus ``data``)."""
    return {"type": "Action.Submit", "title": title, "data": {"command": command, **data}}


def execute(title: str, verb: str, **data: Any) -> Element:
    """A universal ``Action.Execute`` button (the bot can refresh the card in place)."""
    return {"type": "Action.Execute", "title": title, "verb": verb, "data": data}


def open_url(title: str, url: str) -> Element:
    return {"type": "Action.OpenUrl", "title": title, "url": url}
