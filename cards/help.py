"""The help card: the commands this user's role may use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cards.elements import adaptive_card, container, heading, submit, text


@dataclass(frozen=True)
class HelpEntry:
    usage: str
    summary: str


def build_help_card(
    *,
    title: str,
    intro: str,
    role_line: str,
    entries: list[HelpEntry],
    lead: str | None = None,
    quick_commands: tuple[str, ...] = ("tips", "circle list"),
) -> dict[str, Any]:
    """List ``entries`` (usage in code style, one-line summary) with quick buttons."""
    body = [heading(title)]
    if lead:
        body.append(text(lead, color="Attention"))
    body.append(text(intro, isSubtle=True))
    body.append(text(role_line))
    # One markdown list, not a TextBlock per command: Teams renders it the same, and the
    # card stays small however many commands there are (it is serialised on every `help`).
    listing = "\n".join(f"- `{e.usage}` — {e.summary}" for e in entries)
    body.append(container([text(listing, spacing="Small")], separator=True))
    usages = {e.usage.split(" <")[0].split(" [")[0] for e in entries}
    actions = [submit(cmd.capitalize(), cmd) for cmd in quick_commands if cmd in usages]
    return adaptive_card(body, actions, fallback_text=f"{title}: type help")
