"""The ``adoption summary`` cards: the tenant view and one team's view.

Builders are pure functions from the view dataclasses below (filled by
``bot.admin.summary``) to an Adaptive Card 1.5 dict. The tenant card lists at most
:data:`TOP_N` healthiest and weakest teams, so its size does not grow with the number
of teams; names are cut to :data:`NAME_LIMIT` characters. Teams rejects cards over
about 28 KB (:data:`cards.size.CARD_LIMIT_BYTES`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cards.elements import (
    Element,
    adaptive_card,
    columns,
    container,
    escape_markdown,
    facts,
    heading,
    open_url,
    submit,
    text,
)

TOP_N = 5
NAME_LIMIT = 60
ARROWS = {"up": "↑", "down": "↓", "flat": "→", "new": "✦", "none": "·"}
BAND_COLOURS = {"green": "Good", "amber": "Warning", "red": "Attention", "none": "Default"}


@dataclass(frozen=True)
class TeamLine:
    """One team in a top/bottom list."""

    name: str
    score: int | None
    band: str
    direction: str = "none"
    reply_rate: float | None = None
    active_share: float | None = None


@dataclass(frozen=True)
class ChampionActivity:
    """Champions' nudges in the period and the measured lift (7 days after vs before)."""

    champions: int = 0
    nudges: int = 0
    measured: int = 0
    threads_change: float | None = None
    replies_change: float | None = None
    reply_rate_change: float | None = None


@dataclass(frozen=True)
class CircleActivity:
    """Working Out Loud circles: how many run, how well they check in, how many finished."""

    active: int = 0
    forming: int = 0
    completed: int = 0
    checkin_rate: float | None = None


@dataclass(frozen=True)
class TenantView:
    """Everything the tenant card shows."""

    period: str
    teams: int
    bands: dict[str, int]
    healthiest: list[TeamLine]
    weakest: list[TeamLine]
    reply_rate: float | None
    previous_reply_rate: float | None
    active_share: float | None
    previous_active_share: float | None
    champions: ChampionActivity = field(default_factory=ChampionActivity)
    circles: CircleActivity = field(default_factory=CircleActivity)
    dashboard_url: str | None = None
    goals: list[str] = field(default_factory=list)  # worded goal lines with their status


@dataclass(frozen=True)
class WeekLine:
    """One week of a team; ``None`` counts: the week is outside the collected span."""

    week: str
    posts: int | None
    replies: int | None
    reply_rate: float | None
    active_share: float | None
    median_first_reply_minutes: float | None


@dataclass(frozen=True)
class TeamView:
    """Everything the team card shows; ``action`` is the suggested action as text."""

    period: str
    name: str
    score: int | None
    band: str
    direction: str
    weeks: list[WeekLine]
    personas: dict[str, int]
    champions: ChampionActivity
    action: str
    benchmark: str = ""  # e.g. "Top 30% of your 10 teams for reply rate (62%)"
    goals: list[str] = field(default_factory=list)  # worded goal lines with their status
    no_data_note: str = ""  # why some weeks show "–": before the collected span


def pct(value: float | None) -> str:
    """``0.667`` → ``"67%"``; ``None`` → ``"–"``."""
    return "–" if value is None else f"{value * 100:.0f}%"


def points(now: float | None, before: float | None) -> str:
    """Change between two shares in percentage points, e.g. ``"+8 pts"``."""
    if now is None or before is None:
        return "no comparison"
    return f"{(now - before) * 100:+.0f} pts"


def minutes(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f} min" if value < 120 else f"{value / 60:.1f} h"


def _name(name: str) -> str:
    cut = name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"
    return escape_markdown(cut)


def _score(score: int | None) -> str:
    return "–" if score is None else str(score)


def _team_lines(title: str, lines: list[TeamLine]) -> Element:
    rows: list[Element] = [text(title, weight="Bolder", spacing="Medium")]
    if not lines:
        rows.append(text("No scored teams yet.", isSubtle=True, spacing="Small"))
    for line in lines[:TOP_N]:
        rows.append(
            columns(
                [text(_name(line.name), spacing="None")],
                [
                    text(
                        f"{_score(line.score)} {ARROWS.get(line.direction, '·')}",
                        color=BAND_COLOURS.get(line.band, "Default"),
                        weight="Bolder",
                        horizontalAlignment="Right",
                        spacing="None",
                    )
                ],
                widths=["stretch", "auto"],
            )
        )
    return container(rows)


def champion_facts(activity: ChampionActivity) -> Element:
    """Nudges and their measured lift as a fact set."""
    if activity.nudges == 0:
        lift = "no nudges in this period"
    elif activity.measured == 0:
        lift = "not measurable yet (7 days must pass)"
    else:
        lift = (
            f"threads {activity.threads_change or 0:+.1f}, "
            f"replies {activity.replies_change or 0:+.1f} per nudge; "
            f"reply rate {_signed_points(activity.reply_rate_change)}"
        )
    return facts(
        [
            ("Champions", str(activity.champions)),
            ("Nudges", str(activity.nudges)),
            ("Lift (7 days after vs before)", lift),
        ]
    )


def _signed_points(change: float | None) -> str:
    return "–" if change is None else f"{change * 100:+.0f} pts"


def build_tenant_summary_card(view: TenantView) -> dict[str, Any]:
    """The tenant card: bands, top and bottom five, tenant rates, champions, circles."""
    bands = view.bands
    body: list[Element] = [
        heading("Adoption summary"),
        text(f"{view.teams} teams · {view.period}", isSubtle=True, spacing="None"),
        text("Health", weight="Bolder", spacing="Medium"),
        columns(
            [text(f"🟢 {bands.get('green', 0)} green", color="Good")],
            [text(f"🟠 {bands.get('amber', 0)} amber", color="Warning")],
            [text(f"🔴 {bands.get('red', 0)} red", color="Attention")],
            [text(f"⚪ {bands.get('none', 0)} no data", isSubtle=True)],
        ),
        columns(
            [_team_lines("Healthiest", view.healthiest)],
            [_team_lines("Weakest", view.weakest)],
        ),
        text("Tenant, vs the period before", weight="Bolder", spacing="Medium"),
        facts(
            [
                (
                    "Reply rate",
                    f"{pct(view.reply_rate)} ({points(view.reply_rate, view.previous_reply_rate)})",
                ),
                (
                    "Active share",
                    f"{pct(view.active_share)} "
                    f"({points(view.active_share, view.previous_active_share)})",
                ),
            ]
        ),
        text("Champion activity", weight="Bolder", spacing="Medium"),
        champion_facts(view.champions),
        text("Working Out Loud circles", weight="Bolder", spacing="Medium"),
        facts(
            [
                ("Active", str(view.circles.active)),
                ("Forming", str(view.circles.forming)),
                ("Check-in rate", pct(view.circles.checkin_rate)),
                ("Completed", str(view.circles.completed)),
            ]
        ),
    ]
    actions = [submit("Sync now", "adoption sync"), submit("Dashboard link", "dashboard")]
    if view.dashboard_url:
        actions.insert(0, open_url("Open dashboard", view.dashboard_url))
    return adaptive_card(body, actions, fallback_text="Adoption summary")


def goal_lines(goals: list[str], *, limit: int = 8) -> list[Element]:
    """A "Goals" heading and one line per goal (nothing without goals)."""
    if not goals:
        return []
    return [
        text("Goals", weight="Bolder", spacing="Medium"),
        text("\n\n".join(goals[:limit]), spacing="Small"),
    ]


def build_team_summary_card(view: TeamView) -> dict[str, Any]:
    """One team: weekly rows, personas, its champions' nudges and the suggested action."""
    header = [text(h, weight="Bolder", spacing="None") for h in ("Week", "Posts", "Replies")]
    header += [text(h, weight="Bolder", spacing="None") for h in ("Reply rate", "Active")]
    cols: list[list[Element]] = [[h] for h in header]
    for week in view.weeks[-12:]:
        values = (
            week.week,
            "–" if week.posts is None else str(week.posts),
            "–" if week.replies is None else str(week.replies),
            pct(week.reply_rate),
            pct(week.active_share),
        )
        for col, value in zip(cols, values, strict=True):
            col.append(text(value, spacing="None"))
    personas = ", ".join(f"{n} {name}" for name, n in view.personas.items()) or "–"
    body: list[Element] = [
        heading(_name(view.name)),
        text(
            f"Health {_score(view.score)} ({view.band}) {ARROWS.get(view.direction, '·')}"
            f" · {view.period}",
            color=BAND_COLOURS.get(view.band, "Default"),
            weight="Bolder",
            spacing="None",
        ),
        *([text(view.benchmark, isSubtle=True, spacing="None")] if view.benchmark else []),
        columns(*cols, widths=["auto", "auto", "auto", "auto", "auto"]),
        *([text(view.no_data_note, isSubtle=True, spacing="Small")] if view.no_data_note else []),
        text("Personas", weight="Bolder", spacing="Medium"),
        text(personas, spacing="Small"),
        text("Champions' nudges", weight="Bolder", spacing="Medium"),
        champion_facts(view.champions),
        *goal_lines(view.goals),
        container(
            [text("Suggested action", weight="Bolder"), text(view.action)],
            style="emphasis",
            spacing="Medium",
        ),
    ]
    actions = [submit("Tenant summary", "adoption summary"), submit("Dashboard link", "dashboard")]
    return adaptive_card(body, actions, fallback_text=f"Adoption: {view.name}")
