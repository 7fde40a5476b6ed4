"""Helpers of the plan surface tests (no tests here)."""

from __future__ import annotations

from plans.log import LoopEntry
from tests.bot.admin_data import SALES, at


def sales_band_drop() -> LoopEntry:
    """A band-drop loop for ``admin_data``'s Sales, fired Thu 12 Nov 2026 09:00 UTC to a2."""
    why = ("band_drop:green->amber",)
    return LoopEntry("band_drop|team-a|2026-W46", "band_drop", SALES, "Sales",
                     at("2026-11-12 09:00"), "champions", ("a2",), why)  # fmt: skip
