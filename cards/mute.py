"""What the fan-out adds to every proactive card: a "Mute these" button and an ack tag.

The ack tag (``<feature>/<ISO week>``) rides in every action's data, so when the recipient
acts on the card (a check-in, any button) the bot can count who acted on what.
"""

from __future__ import annotations

import copy
from typing import Any

from cards.elements import submit

ACK = "ack"
_ACTIONS = ("Action.Submit", "Action.Execute")


def for_recipient(
    card: dict[str, Any], *, ack: str, mute: tuple[str, str] | None = None
) -> dict[str, Any]:
    """A copy of ``card`` whose actions carry ``ack``, plus a ``mute`` = (title, command)
    button unless the card already offers that command."""
    result = copy.deepcopy(card)
    if mute is not None:
        title, command = mute
        actions = list(result.get("actions") or [])
        if not any((a.get("data") or {}).get("command") == command for a in actions):
            actions.append(submit(title, command))
        result["actions"] = actions
    _tag(result, ack)
    return result


def _tag(node: Any, ack: str) -> None:
    if isinstance(node, dict):
        if node.get("type") in _ACTIONS:
            data = node.get("data")
            node["data"] = {**(data if isinstance(data, dict) else {}), ACK: ack}
        for child in node.values():
            _tag(child, ack)
    elif isinstance(node, list):
        for child in node:
            _tag(child, ack)
