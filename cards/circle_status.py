"""``circle status``: week N of 12, each member's check-in this week, streaks, next prompt."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cards.elements import Element, adaptive_card, columns, escape_markdown, heading, text


@dataclass(frozen=True)
class MemberLine:
    """One member's row: name, checked in this week or not, streak, rating."""

    name: str
    checked_in: bool
    streak: int
    rating: int | None = None
    facilitator: bool = False
    goal: str | None = None
    snoozed: str | None = None
    """When the member muted this circle: until when (e.g. ``Mon 07 Dec``, or ``unmute``)."""


@dataclass(frozen=True)
class StatusContent:
    circle_name: str
    state: str
    week: int
    weeks_total: int
    slot: str
    members: tuple[MemberLine, ...]
    next_prompt: str | None
    """The next prompt time, already written in the circle's zone (``None``: no more)."""


def _member_row(m: MemberLine) -> Element:
    name = escape_markdown(m.name) + (" (facilitator)" if m.facilitator else "")
    state = "✅ checked in" if m.checked_in else "⏳ open"
    if m.checked_in and m.rating is not None:
        state += f" · {m.rating}/5"
    detail: list[Element] = [text(name, weight="Bolder")]
    if m.goal:
        detail.append(
            text(f"Goal: {escape_markdown(m.goal)}", isSubtle=True, size="Small", spacing="None")
        )
    if m.snoozed:
        detail.append(
            text(f"💤 snoozed until {m.snoozed}", isSubtle=True, size="Small", spacing="None")
        )
    return columns(
        detail,
        [text(state, color="Good" if m.checked_in else "Default")],
        [text(f"streak {m.streak}", isSubtle=True)],
        widths=["stretch", "auto", "auto"],
    )


def build_circle_status_card(status: StatusContent) -> dict[str, Any]:
    """The status card; while forming it lists members without check-in states."""
    if status.state == "forming":
        title = f"{escape_markdown(status.circle_name)} · forming"
        lead = f"{len(status.members)} member(s) · meets {status.slot}"
    else:
        title = (
            f"{escape_markdown(status.circle_name)} · week {status.week} of {status.weeks_total}"
        )
        lead = f"{status.state} · meets {status.slot}"
    body: list[Element] = [heading(title), text(lead, isSubtle=True, spacing="None")]
    body += [_member_row(m) for m in status.members]
    if status.state == "active":
        nxt = status.next_prompt or "none: this is the last week"
        body.append(text(f"Next prompt: {nxt}", separator=True, spacing="Medium"))
    return adaptive_card(body, fallback_text=title)
