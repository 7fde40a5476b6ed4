"""The weekly adoption digest an admin receives on Monday morning in their 1:1 chat.

A compact form of the tenant summary, sent the week after ``week``, over the period card
and dashboard show too (the last four full weeks): health bands, reply rate and active
share against the period before, the three weakest teams,
champion nudges and circles, and buttons to the full summary and the dashboard.
"""

from __future__ import annotations

from typing import Any

from cards.adoption_summary import ARROWS, TenantView, goal_lines, pct, points
from cards.elements import Element, adaptive_card, escape_markdown, facts, heading, submit, text

DIGEST_WEAKEST = 3


def build_digest_card(view: TenantView, *, week: str) -> dict[str, Any]:
    """The digest sent after ``week`` (e.g. ``2026-W47``) from a :class:`TenantView`, whose
    ``period`` text names the period measured."""
    bands = view.bands
    weakest = [
        f"{escape_markdown(line.name)}: {line.score if line.score is not None else '–'} "
        f"{ARROWS.get(line.direction, '·')}"
        for line in view.weakest[:DIGEST_WEAKEST]
    ]
    body: list[Element] = [
        heading(f"Weekly adoption digest · {week}"),
        text(f"{view.teams} teams · {view.period}", isSubtle=True, spacing="None"),
        facts(
            [
                (
                    "Health",
                    f"{bands.get('green', 0)} green · {bands.get('amber', 0)} amber · "
                    f"{bands.get('red', 0)} red",
                ),
                (
                    "Reply rate",
                    f"{pct(view.reply_rate)} ({points(view.reply_rate, view.previous_reply_rate)})",
                ),
                (
                    "Active share",
                    f"{pct(view.active_share)} "
                    f"({points(view.active_share, view.previous_active_share)})",
                ),
                ("Champion nudges", str(view.champions.nudges)),
                (
                    "Circles",
                    f"{view.circles.active} active · check-in rate "
                    f"{pct(view.circles.checkin_rate)} · {view.circles.completed} completed",
                ),
            ]
        ),
        text("Needs attention", weight="Bolder", spacing="Medium"),
        text("\n\n".join(weakest) if weakest else "No scored teams yet.", spacing="Small"),
        *goal_lines(view.goals, limit=5),
        text("Type `digest off` to stop this digest.", isSubtle=True, spacing="Medium"),
    ]
    actions = [submit("Full summary", "adoption summary"), submit("Dashboard link", "dashboard")]
    return adaptive_card(body, actions, fallback_text=f"Weekly adoption digest {week}")
