"""Validate Adaptive Cards against the official 1.5 schema; import ``assert_valid_card``.

    from tests.cards.schema import assert_valid_card
    assert_valid_card(build_something(...))

Besides the JSON schema (which is permissive about unknown properties), the
helper checks what Teams needs and the schema cannot express: version 1.5, a
non-empty body, and that every ``Action.Submit`` carries a ``command``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft6Validator

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "schemas" / "adaptive-card-1.5.json"


@cache
def validator() -> Draft6Validator:
    """The Draft 6 validator of the Adaptive Card 1.5 schema (loaded once)."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft6Validator(schema)


def card_errors(card: dict[str, Any]) -> list[str]:
    """Every problem with ``card``, as readable lines (empty when valid)."""
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<card>'}: {error.message}"
        for error in validator().iter_errors(card)
    ]
    if card.get("version") != "1.5":
        problems.append(f"<card>: version is {card.get('version')!r}, expected '1.5'")
    if not card.get("body"):
        problems.append("<card>: empty body")
    problems += [f"actions: {p}" for p in _submit_problems(card)]
    return problems


def _submit_problems(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") == "Action.Submit" and not (node.get("data") or {}).get("command"):
            found.append(f"Action.Submit {node.get('title')!r} has no data.command")
        for child in node.values():
            found += _submit_problems(child)
    elif isinstance(node, list):
        for child in node:
            found += _submit_problems(child)
    return found


def assert_valid_card(card: dict[str, Any]) -> None:
    """Fail with every problem listed when ``card`` is not a valid Adaptive Card 1.5."""
    problems = card_errors(card)
    assert not problems, "invalid Adaptive Card:\n" + "\n".join(problems)
