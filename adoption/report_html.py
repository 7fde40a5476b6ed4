"""The report as one self-contained HTML file.

The HTML has no script, no external stylesheet, font or image: the CSS is inline and
the charts are inline SVG from :mod:`adoption.charts`, so the file works offline and can
be mailed or put on screen in a QBR as is. The plans review renders with the same
environment and filters (:func:`template_environment`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from adoption import charts
from adoption.charts import Series
from adoption.metrics import WeekMetrics
from adoption.report import AdoptionReport, TeamReport

ACTION_TEXT: Mapping[str, str] = {
    "answer_open_threads": "Answer open threads: reply in the thread to every unanswered post.",
    "invite_quiet_members": "Bring quiet members in: @mention them on threads that concern them.",
    "reply_sooner": "Reply sooner: agree a same-day reply habit for channel posts.",
    "restart_conversations": "Restart the conversation: a champion nudge or a weekly question.",
    "keep_going": "On target: share what works with other teams.",
    "start_conversations": "No activity yet: start one channel conversation this week.",
}
MEASURE_TEXT: Mapping[str, str] = {
    "reply_rate": "reply rate",
    "active_share": "active share",
    "median_first_reply_minutes": "time to first reply",
    "trend": "week-over-week trend",
}


def pct(value: float | None) -> str:
    """A share as a whole percentage (``–`` without data)."""
    return "–" if value is None else f"{value * 100:.0f}%"


def minutes(value: float | None) -> str:
    """A duration in minutes, hours or days (``–`` without data)."""
    if value is None:
        return "–"
    if value < 90:
        return f"{value:.0f} min"
    if value < 48 * 60:
        return f"{value / 60:.1f} h"
    return f"{value / 1440:.1f} d"


def change(value: float | None) -> str:
    """A relative change as a signed percentage (``–`` without data)."""
    return "–" if value is None else f"{value * 100:+.0f}%"


def values(weeks: list[WeekMetrics], measure: str) -> list[float | None]:
    """One measure per week for a chart; ``None`` (a gap) where the week has no data."""
    return [getattr(w, measure) if w.collected else None for w in weeks]


def team_charts(team: TeamReport, labels: list[str]) -> dict[str, Markup]:
    """The two charts of a team section: weekly activity and weekly reply rate."""
    return {
        "activity": charts.stacked_bar_chart(
            labels,
            [
                Series("Posts", values(team.weeks, "posts")),
                Series("Replies", values(team.weeks, "replies")),
            ],
            title=f"{team.name}: posts and replies per week",
            width=560,
            height=200,
        ),
        "reply_rate": charts.line_chart(
            labels,
            [
                Series("Reply rate", values(team.weeks, "reply_rate"), charts.PALETTE[1]),
                Series("Active share", values(team.weeks, "active_share"), charts.PALETTE[2]),
            ],
            title=f"{team.name}: reply rate and active share per week",
            width=560,
            height=200,
            percent=True,
            y_max=1.0,
        ),
    }


@dataclass(frozen=True, slots=True)
class _TeamView:
    report: TeamReport
    charts: dict[str, Markup]
    spark: Markup


def template_environment(package: str) -> Environment:
    """A Jinja environment over ``package``'s ``templates`` folder with the report's
    autoescaping, strictness and number filters (``pct``, ``minutes``, ``change``).

    The report and the plans review render with it, so both format figures the same way.
    """
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=pct, minutes=minutes, change=change)
    return env


def _environment() -> Environment:
    env = template_environment("adoption")
    env.globals.update(
        band_colours=charts.BAND_COLOURS, action_text=ACTION_TEXT, measure_text=MEASURE_TEXT
    )
    return env


_ENV: Environment | None = None


def to_html(report: AdoptionReport) -> str:
    """One self-contained HTML page: summary tiles, tenant trend, health table, team pages."""
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    labels = report.week_labels
    tenant = report.tenant
    overview = {
        "activity": charts.stacked_bar_chart(
            labels,
            [
                Series("Posts", values(tenant.weeks, "posts")),
                Series("Replies", values(tenant.weeks, "replies")),
            ],
            title="All teams: posts and replies per week",
        ),
        "reply_rate": charts.line_chart(
            labels,
            [
                Series("Reply rate", values(tenant.weeks, "reply_rate"), charts.PALETTE[1]),
                Series("Active share", values(tenant.weeks, "active_share"), charts.PALETTE[2]),
                Series("Champion share", values(tenant.weeks, "champion_share"), charts.PALETTE[3]),
            ],
            title="All teams: reply rate, active share and champion share per week",
            percent=True,
            y_max=1.0,
        ),
        "bands": charts.health_bands_bar(tenant.bands, title="Teams by health band"),
    }
    teams = [
        _TeamView(
            team,
            team_charts(team, labels),
            charts.sparkline(values(team.weeks, "activity"), title=f"{team.name}: weekly activity"),
        )
        for team in report.teams
    ]
    # healthiest first, teams without a score last
    ranked = sorted(
        teams, key=lambda t: (t.report.health.score is None, -(t.report.health.score or 0))
    )
    return _ENV.get_template("report.html.j2").render(
        report=report, tenant=tenant, overview=overview, teams=teams, ranked=ranked
    )
