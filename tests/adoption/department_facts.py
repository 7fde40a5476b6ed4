"""Hand-made facts for the department tests (the story is told in test_departments.py)."""

from __future__ import annotations

from dataclasses import replace

from adoption.department_sync import NO_DEPARTMENT
from adoption.facts import ThreadFact
from tests.adoption.factories import at, msg, thread

DEPARTMENTS = {"a": "Sales", "b": "Sales", "c": "Sales", "d": "Engineering",
               "e": "Engineering", "f": NO_DEPARTMENT, "h": "Finance"}  # fmt: skip
START, END = at("2026-11-02 00:00"), at("2026-11-09 00:00")


def threads() -> list[ThreadFact]:
    t8 = thread(msg("", "2026-11-07 08:00"), msg("b", "2026-11-07 12:00"))
    return [
        thread(msg("a", "2026-11-02 09:00", mentions=1, reactions=2), msg("a", "2026-11-02 09:05"),
               msg("d", "2026-11-02 09:30"), msg("b", "2026-11-02 10:00", reactions=1)),
        thread(msg("b", "2026-11-03 10:00"), msg("c", "2026-11-03 12:00")),
        thread(msg("d", "2026-11-04 08:00")),
        thread(msg("e", "2026-11-05 09:00"), msg("a", "2026-11-05 09:10")),
        thread(msg("a", "2026-10-30 09:00"), msg("e", "2026-11-02 11:00")),
        thread(msg("g", "2026-11-06 09:00"), msg("f", "2026-11-06 09:20")),
        thread(msg("c", "2026-11-09 09:00")),
        replace(t8, root_is_post=False),
    ]  # fmt: skip
