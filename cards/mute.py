"""The "Mute these" button every proactive card carries (issue #13: anyone can stop it)."""

from __future__ import annotations

import copy
from typing import Any

from cards.elements import submit


def with_mute_action(card: dict[str, Any], *, title: str, command: str) -> dict[str, Any]:
    """A copy of ``card`` with one more action that runs ``command`` (e.g. ``mute tips``).

    A card that already offers ``command`` is returned unchanged (a copy).
    """
    result = copy.deepcopy(card)
    actions = list(result.get("actions") or [])
    if not any((a.get("data") or {}).get("command") == command for a in actions):
        actions.append(submit(title, command))
    result["actions"] = actions
    return result
