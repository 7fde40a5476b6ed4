"""``copy_json``: a deep copy of JSON-shaped documents (the stores' snapshot of a write)."""

from __future__ import annotations

from bot.storage._copy import copy_json


class Subclassed(dict):  # type: ignore[type-arg]
    """Like TinyDB's Document: a dict subclass."""


def test_containers_are_copied_at_every_depth_and_atoms_are_kept() -> None:
    doc = {
        "s": "text",
        "n": 1,
        "f": 1.5,
        "b": True,
        "none": None,
        "list": [1, {"deep": ["x"]}, ("t", 2)],
        "nested": Subclassed(inner={"k": [3]}),
    }
    copied = copy_json(doc)
    assert copied == {**doc, "list": [1, {"deep": ["x"]}, ["t", 2]]}
    assert type(copied["nested"]) is dict  # a plain dict, whatever was put
    doc["list"][1]["deep"].append("y")
    doc["nested"]["inner"]["k"].append(4)
    doc["list"].append("z")
    assert copied["list"] == [1, {"deep": ["x"]}, ["t", 2]]
    assert copied["nested"] == {"inner": {"k": [3]}}
    assert copy_json(("a", [1])) == ["a", [1]]
