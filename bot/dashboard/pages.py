"""What each dashboard page shows: template context built from :class:`AdminData`.

Pure functions (no request, no store): the routes load the data and pick the
template. Charts are inline SVG from :mod:`adoption.charts`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from adoption.charts import Series, health_bands_bar, line_chart, sparkline, stacked_bar_chart
from adoption.comparison import DEFAULT_PERIOD_WEEKS
from adoption.metrics import WeekMetrics
from adoption.report import TOO_FEW_PEOPLE, TeamReport
from adoption.report_html import values
from bot.admin.sources import circle_activity
from bot.admin.summary import (
    AdminData,
    champion_activity,
    no_data_note,
    period_text,
    ranked,
)
from bot.dashboard.tables import Table, num, pct, signed
from bot.messages import admin as msg


def team_href(team_id: str, weeks: int = DEFAULT_PERIOD_WEEKS) -> str:
    """A team page's path, for the same period as the page linking to it."""
    path = f"/dashboard/team/{quote(team_id, safe='')}"
    return path if weeks == DEFAULT_PERIOD_WEEKS else f"{path}?weeks={weeks}"


def weekly_charts(weeks: list[WeekMetrics], name: str) -> list[Any]:
    """Activity bars and rate lines for a run of weeks."""
    labels = [w.week for w in weeks]
    return [
        stacked_bar_chart(
            labels,
            [
                Series("Posts", values(weeks, "posts")),  # weeks without data: gaps, never 0
                Series("Replies", values(weeks, "replies")),
            ],
            title=f"{name}: posts and replies per week",
        ),
        line_chart(
            labels,
            [
                Series("Reply rate", values(weeks, "reply_rate")),
                Series("Active share", values(weeks, "active_share")),
            ],
            title=f"{name}: reply rate and active share per week",
            percent=True,
            y_max=1.0,
        ),
    ]


def teams_table(teams: list[TeamReport], weeks: int = DEFAULT_PERIOD_WEEKS) -> Table:
    order = ranked(teams) + [t for t in teams if t.health.score is None]
    table = Table(
        "teams",
        "Teams by health",
        ["Team", "Health", "Band", "Trend", "Posts", "Replies", "Reply rate", "Active share",
         "Median first reply (min)", "Suggested action"],
    )  # fmt: skip
    for t in order:
        if t.suppressed:  # TRIMTAB_MIN_GROUP_SIZE: no measure, only why
            table.rows.append([t.name, None, "", "", None, None, None, None, None, TOO_FEW_PEOPLE])
            table.links.append(team_href(t.id, weeks))
            table.sparks.append(Markup(""))
            continue
        table.rows.append(
            [
                t.name,
                t.health.score,
                t.health.band,
                t.trend.direction if t.trend else "",
                t.totals.posts,
                t.totals.replies,
                pct(t.totals.reply_rate),
                pct(t.totals.active_share),
                num(t.totals.median_first_reply_minutes),
                msg.ACTIONS.get(t.health.action, t.health.action).split(":")[0],
            ]
        )
        table.links.append(team_href(t.id, weeks))
        table.sparks.append(
            sparkline(values(t.weeks, "activity"), title=f"{t.name}: weekly activity")
        )
    return table


def overview(data: AdminData) -> dict[str, Any]:
    tenant, before = data.report.tenant, data.previous.tenant
    return {
        "title": "Adoption overview",
        "period": period_text(data),
        "bands": tenant.bands,
        "bands_chart": health_bands_bar(tenant.bands, title="Teams by health band"),
        "charts": weekly_charts(tenant.weeks, "All teams"),
        "kpis": [
            ("Teams", str(tenant.teams), ""),
            (
                "Reply rate",
                pct(tenant.totals.reply_rate),
                _vs(tenant.totals.reply_rate, before.totals.reply_rate),
            ),
            (
                "Active share",
                pct(tenant.totals.active_share),
                _vs(tenant.totals.active_share, before.totals.active_share),
            ),
            ("Median first reply", num(tenant.totals.median_first_reply_minutes) + " min", ""),
            ("Champion nudges", str(champion_activity(data).nudges), ""),
            ("Active circles", str(circle_activity(data.circles).active), ""),
        ],
        "tables": [teams_table(data.report.teams, data.period.days // 7)],
    }


def _vs(now: float | None, then: float | None) -> str:
    if now is None or then is None:
        return "no earlier data"
    return f"{(now - then) * 100:+.0f} pts vs the period before"


def team_page(data: AdminData, team: TeamReport) -> dict[str, Any]:
    weeks = Table(
        "weeks",
        "Weekly measures",
        ["Week", "Posts", "Replies", "Reply rate", "Unanswered", "Median first reply (min)",
         "Active posters", "Active share", "Mentions", "Reactions", "Champion share"],
    )  # fmt: skip
    for w in team.weeks:
        if not w.collected:  # before the collected span: empty cells (HTML and CSV), never 0
            weeks.rows.append([w.week, *[None] * (len(weeks.headers) - 1)])
            continue
        weeks.rows.append(
            [w.week, w.posts, w.replies, pct(w.reply_rate), w.unanswered,
             num(w.median_first_reply_minutes), w.active_posters, pct(w.active_share),
             w.mentions, w.reactions, pct(w.champion_share)]
        )  # fmt: skip
    personas = Table("personas", "Personas", ["Persona", "People"])
    personas.rows = [[name, count] for name, count in team.personas.items()]
    channels = Table("channels", "Channels", ["Channel", "Posts", "Replies", "Reply rate"])
    for c in team.channels:
        if c.suppressed:
            channels.rows.append([c.name, TOO_FEW_PEOPLE, None, None])
            continue
        posts, replies = sum(w.posts for w in c.weeks), sum(w.replies for w in c.weeks)
        answered = sum((w.reply_rate or 0) * w.posts for w in c.weeks)
        channels.rows.append([c.name, posts, replies, pct(answered / posts if posts else None)])
    activity = champion_activity(data, team.id)
    return {
        "title": team.name,
        "period": " · ".join(filter(None, [period_text(data), no_data_note(team)])),
        "team": team,
        "action": msg.ACTIONS.get(team.health.action, team.health.action),
        "charts": weekly_charts(team.weeks, team.name),
        "kpis": [
            (
                "Health",
                f"{team.health.score if team.health.score is not None else '–'}",
                team.health.band,
            ),
            ("Reply rate", pct(team.totals.reply_rate), ""),
            ("Active share", pct(team.totals.active_share), ""),
            (
                "Nudges",
                str(activity.nudges),
                f"reply rate {signed(activity.reply_rate_change, percent=True)} after",
            ),
        ],
        "tables": [weeks, personas, channels],
    }


def circles_page(data: AdminData) -> dict[str, Any]:
    table = Table(
        "circles",
        "Working Out Loud circles",
        ["Circle", "State", "Members", "Week", "Check-ins", "Expected", "Check-in rate",
         "Started", "Finished"],
    )  # fmt: skip
    for c in data.circles:
        table.rows.append(
            [c.name, c.state, c.members, c.week, c.checkins, c.expected_checkins,
             pct(c.checkin_rate), c.started_at.date().isoformat() if c.started_at else "",
             c.finished_at.date().isoformat() if c.finished_at else ""]
        )  # fmt: skip
    stats = circle_activity(data.circles)
    return {
        "title": "Circles",
        "period": "all circles",
        "charts": [],
        "kpis": [
            ("Active", str(stats.active), ""),
            ("Forming", str(stats.forming), ""),
            ("Check-in rate", pct(stats.checkin_rate), "active circles, weeks passed"),
            ("Completed", str(stats.completed), ""),
        ],
        "tables": [table],
        "empty": "No circles yet: members start one with `circle create <name>`.",
    }


def champions_page(data: AdminData) -> dict[str, Any]:
    table = Table(
        "champions",
        "Champions and their nudges",
        ["Champion", "Nudges", "Measured", "Threads change", "Replies change", "Reply rate change"],
    )
    names = {c.aad_id: c.name for c in data.champions}
    by: dict[str, list[Any]] = {c.aad_id: [] for c in data.champions}
    for n in data.nudges:
        by.setdefault(n.nudge.champion, []).append(n)
    for aad, items in sorted(by.items(), key=lambda kv: names.get(kv[0], kv[0]).casefold()):
        measured = [n.lift for n in items if n.lift is not None]

        def mean(values: list[float | None]) -> float | None:
            known = [v for v in values if v is not None]
            return sum(known) / len(known) if known else None

        table.rows.append(
            [names.get(aad, aad or "unknown"), len(items), len(measured),
             signed(mean([m.threads_change for m in measured])),
             signed(mean([m.replies_change for m in measured])),
             signed(mean([m.reply_rate_change for m in measured]), percent=True)]
        )  # fmt: skip
    activity = champion_activity(data)
    return {
        "title": "Champions",
        "period": period_text(data),
        "charts": [],
        "kpis": [
            ("Champions", str(activity.champions), ""),
            ("Nudges", str(activity.nudges), ""),
            (
                "Reply rate lift",
                signed(activity.reply_rate_change, percent=True) or "–",
                "7 days after vs before",
            ),
        ],
        "tables": [table],
        "empty": "No champions yet: an admin adds one with `champion add @person`.",
    }
