"""The review as one self-contained, print-ready HTML document.

Like adoption's report (whose charts and number filters it reuses): inline CSS, inline
SVG, no script and nothing fetched, so a CSM can send the file or its PDF as it is. Each
``section.page`` starts a printed A4 page and is sized to fit on one.
"""

from __future__ import annotations

from collections.abc import Mapping

from jinja2 import Environment
from markupsafe import Markup

from adoption import charts
from adoption.charts import Series
from adoption.report_html import (
    ACTION_TEXT,
    MEASURE_TEXT,
    change,
    minutes,
    pct,
    team_charts,
    template_environment,
)
from adoption.weeks import IsoWeek, weeks_between
from plans.registry import METRICS, RATIO
from plans.review import GoalStatus, Review
from plans.trajectory import WINDOW_WEEKS, planned_value, weeks_apart

GOAL_CHARTS = 4  # charts on the goals page (two rows of two)
ROWS = 10  # longest table on a page

STATUS_TEXT: Mapping[str, str] = {
    "met": "met",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "no_data": "not enough data",
}
STATUS_COLOURS: Mapping[str, str] = {
    "met": charts.BAND_COLOURS["green"],
    "on_track": charts.BAND_COLOURS["green"],
    "at_risk": charts.BAND_COLOURS["amber"],
    "off_track": charts.BAND_COLOURS["red"],
    "no_data": charts.BAND_COLOURS["none"],
}
RECOMMENDATION_TEXT: Mapping[str, str] = {
    **ACTION_TEXT,
    "rescue_red_teams": "Teams that turned red this period need a champion's nudge now:",
    "support_red_teams": "These teams stay red: pair each with a champion and set one goal:",
    "share_green_practice": "No team is red: ask the healthiest teams to share what works:",
    "recruit_champions": "Fewer than half the teams have a champion; recruit one in:",
    "revisit_goals": "Some goals are off track: revisit their use case and target with the team.",
    "set_goals": "No adoption goals yet: agree one goal and its use case with each key team.",
    "keep_plans": "Champions cover the teams and goals are on course: keep the plan.",
}
LOOP_TEXT: Mapping[str, str] = {
    "band_drop": "health band dropped",
    "goal_off_track": "goal went off track",
    "find_champion": "find a champion",
    "celebration": "goal met",
}


def _value(metric: str, value: float | None) -> str:
    if value is None:
        return "–"
    unit = METRICS[metric].unit
    if unit == RATIO:
        return pct(value)
    return minutes(value) if unit == "minutes" else f"{value:.0f}"


def goal_chart(status: GoalStatus) -> Markup:
    """Actual weekly values, the plan line (baseline → target) and the projection."""
    goal, t = status.goal, status.trajectory
    start, due = IsoWeek.of(goal.start), IsoWeek.of(goal.due)
    last = max(due, *(w.week for w in status.series)) if status.series else due
    weeks = weeks_between(min(start.monday, goal.start), last.sunday)
    actual = {w.week: w.value for w in status.series}
    base = goal.baseline if goal.baseline is not None else goal.target
    # the fitted line: from its first fitted week (up to WINDOW_WEEKS back) to the due week
    evaluated = status.series[-1].week if status.series else start
    fit_from = weeks_apart(start, evaluated) - (WINDOW_WEEKS - 1)
    projection = [
        t.projection_at(x) if (x := weeks_apart(start, w)) >= fit_from else None for w in weeks
    ]
    percent = METRICS[goal.metric].unit == RATIO
    return charts.line_chart(
        [w.label for w in weeks],
        [
            Series("Actual", [actual.get(w) for w in weeks], charts.PALETTE[0]),
            Series(
                "Plan",
                [planned_value(base, goal.target, start, due, w) for w in weeks],
                charts.PALETTE[4],
            ),
            Series("Projection", projection, charts.PALETTE[2]),
        ],
        title=f"{goal.team_name}: {MEASURE_TEXT.get(goal.metric, goal.metric)} goal",
        width=340,
        height=170,
        percent=percent,
        y_max=1.0 if percent else None,
    )


def _environment() -> Environment:
    env = template_environment("plans")
    env.globals.update(
        band_colours=charts.BAND_COLOURS, measure_text=MEASURE_TEXT, status_text=STATUS_TEXT,
        status_colours=STATUS_COLOURS, recommendation_text=RECOMMENDATION_TEXT,
        loop_text=LOOP_TEXT, value=_value, rows=ROWS,
    )  # fmt: skip
    return env


def _comparison(review: Review) -> list[tuple[str, str, str, str]]:
    """Key figures: name, this period, the period before, change."""
    now, then = review.current.tenant, review.previous.tenant

    def delta(a: float | None, b: float | None, *, points: bool = False) -> str:
        if a is None or b is None:
            return "–"
        if points:
            return f"{(a - b) * 100:+.0f} pts"
        return change((a - b) / b) if b else "new"

    def n(count: int | None) -> str:  # counts may be None (no data) once coverage lands
        return "–" if count is None else str(count)

    t, p = now.totals, then.totals
    return [
        ("Conversations started", n(t.posts), n(p.posts), delta(t.posts, p.posts)),
        ("Replies", n(t.replies), n(p.replies), delta(t.replies, p.replies)),
        ("Reply rate", pct(t.reply_rate), pct(p.reply_rate),
         delta(t.reply_rate, p.reply_rate, points=True)),
        ("Median first reply", minutes(t.median_first_reply_minutes),
         minutes(p.median_first_reply_minutes),
         delta(t.median_first_reply_minutes, p.median_first_reply_minutes)),
        ("Active posters", n(t.active_posters), n(p.active_posters),
         delta(t.active_posters, p.active_posters)),
        ("Written by champions", pct(t.champion_share), pct(p.champion_share),
         delta(t.champion_share, p.champion_share, points=True)),
        ("Green teams", str(now.bands["green"]), str(then.bands["green"]),
         f"{now.bands['green'] - then.bands['green']:+d}"),
        ("Red teams", str(now.bands["red"]), str(then.bands["red"]),
         f"{now.bands['red'] - then.bands['red']:+d}"),
    ]  # fmt: skip


_ENV: Environment | None = None


def to_html(review: Review) -> str:
    """The review document (a short "no data" document when the period had no activity)."""
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    labels = review.current.week_labels
    return _ENV.get_template("review.html.j2").render(
        r=review,
        comparison=_comparison(review),
        top=[(t, team_charts(t, labels)) for t in review.top],
        bottom=[(t, team_charts(t, labels)) for t in review.bottom],
        goal_charts=[goal_chart(g) for g in review.goals[:GOAL_CHARTS]],
    )
