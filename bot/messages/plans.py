"""Wording of adoption plans: `plan add`, `plans`, `plan remove`, `adoption review`, the
feedback-loop cards and the goal lines on the team card, digest and dashboard."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.messages.user_text import echo
from cards.elements import escape_markdown
from plans.errors import BadDateError, DateInPastError, TargetError, UnknownMetricError
from plans.errors import UnknownTeamError as UnknownPlanTeamError
from plans.percentiles import Standing
from plans.registry import METRICS, MINUTES, RATIO
from plans.review import GoalStatus

PLAN_ADD_USAGE = (
    'Set a goal like this: `plan add <team> <metric> <target> by <date> ["use case"]`, '
    'e.g. `plan add Sales reply_rate 60% by 2027-03-31 "decisions move to channels"`. '
    "Use `tenant` as the team for all teams."
)
UNKNOWN_METRIC = "I don't measure “{metric}”. Goals can use one of these metrics: {known}."
TARGET_OUT_OF_RANGE = (
    "The target “{target}” does not fit {metric}: give a value from {low} to {high}."
)
BAD_DATE = "“{text}” is not a date: write it as YYYY-MM-DD, e.g. 2027-03-31."
DATE_IN_PAST = "The date {due} is not after today ({today}): a goal needs a date in the future."
UNKNOWN_TEAM = "I have no adoption data for a team called “{wanted}”."
DID_YOU_MEAN = " Did you mean {candidates}?"
NO_TEAMS_HINT = " Run `adoption sync` first, or check the name with `adoption summary`."

GOAL_ADDED = (
    "Goal **{id}** set for **{team}**: {metric} {target} by {due}{use_case}. "
    "Baseline {baseline}. I'll judge it weekly; see it with `plans {team_arg}`."
)
USE_CASE = " (“{use_case}”)"
NO_BASELINE = "not measured yet (the first week with data becomes the baseline)"
PLANS_TITLE = "Adoption goals"
PLANS_TITLE_TEAM = "Adoption goals · {team}"
PLANS_NONE = "No goals yet. Set one with `plan add <team> <metric> <target> by <date>`."
PLANS_NONE_TEAM = (
    "No goals for {team} yet. Set one with `plan add {team} <metric> <target> by <date>`."
)
PLANS_HINT = "Remove a goal with `plan remove <id>`."
GOAL_LINE = "**{id}** · {team}: {metric} {target} by {due} — {status}{latest}"
GOAL_LATEST = " (now {value})"
REMOVED = "Goal {id} removed."
NOT_FOUND = "There is no goal {id}. `plans` lists the goals and their ids."
CELEBRATE_ON = "Goal {id}: when it is met, I'll celebrate in the team's General channel."
CELEBRATE_OFF = "Goal {id}: no celebration when it is met."
CELEBRATE_USAGE = (
    "Use `plan celebrate <id> on` or `plan celebrate <id> off`, e.g. `plan celebrate g1 off`."
)
REMOVE_USAGE = "Name the goal to remove: `plan remove <id>`, e.g. `plan remove g1`."

STATUS_TEXT: Mapping[str, str] = {
    "met": "met ✓",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "no_data": "not enough data yet",
}

REVIEW_TITLE = "Adoption reviews"
REVIEW_INTRO = (
    "Print-ready reviews for your customer: the period against the one before, goals, "
    "top and bottom teams, champions, circles, the loops that fired and three recommendations. "
    "The links are signed for you until {expires} ({zone}); please don't forward them."
)
REVIEW_MONTH = "Monthly insight review · {label}"
REVIEW_QUARTER = "Quarterly business review · {label}"

# --- feedback loops -----------------------------------------------------------------------
ALERT_TITLE = "{team} needs a nudge"
ALERT_INTRO = "You are a champion of **{team}**. This week:"
REASON_BAND = "its health dropped from {before} to {now}"
REASON_GOAL = "goal {id} ({metric}) went off track"
REASON_MET = "goal {id} ({metric}) was met"
SUGGESTED = "Suggested nudge"
POST_NUDGE = "Post this nudge"
ALERT_FOOTER = "The button posts it in the team's General channel as your nudge."
FIND_TITLE = "{team} has no champion"
FIND_INTRO = "**{team}** needs attention ({reasons}), but no champion is among its members."
FIND_PEOPLE = "Its most active people in the last four weeks:"
FIND_NOBODY = "Nobody posted or replied there in the last four weeks."
FIND_HINT = "Ask one of them to champion the team, then add them with `champion add @person`."
CELEBRATE_TITLE = "Goal met: {team} 🎉"
CELEBRATE_TEXT = "This team reached its goal: {goals}. Thank you, everyone: keep it going!"


def value_text(metric: str, value: float | None) -> str:
    """A metric's value as people read it: shares as ``60%``, minutes as ``45 min``."""
    if value is None:
        return "–"
    unit = METRICS[metric].unit if metric in METRICS else ""
    if unit == RATIO:
        return f"{value * 100:.0f}%"
    return f"{value:.0f} min" if unit == MINUTES else f"{value:.0f}"


def range_text(metric: str, low: float, high: float) -> tuple[str, str]:
    """The ends of a metric's range in its own unit."""
    return value_text(metric, low), value_text(metric, high)


def candidates_text(names: Sequence[str]) -> str:
    return " or ".join(f"“{n}”" for n in names)


BENCHMARK = "Top {top}% of your {ranked} teams for reply rate ({value})"


def goal_line(status: GoalStatus) -> str:
    """One goal with its status: ``g1 · Sales: reply_rate 60% by 2027-03-31 — on track``."""
    goal, now = status.goal, status.trajectory
    latest = ""
    if now.latest is not None:
        latest = GOAL_LATEST.format(value=value_text(goal.metric, now.latest))
    return GOAL_LINE.format(
        id=goal.id,
        team=escape_markdown(goal.team_name),
        metric=goal.metric,
        target=value_text(goal.metric, goal.target),
        due=goal.due.isoformat(),
        status=STATUS_TEXT.get(now.status, now.status),
        latest=latest,
    )


def benchmark_line(standing: Standing | None) -> str:
    """ "Top 30% of your 10 teams for reply rate (62%)"; empty without a standing."""
    if standing is None:
        return ""
    value = value_text("reply_rate", standing.value)
    return BENCHMARK.format(top=standing.top_percent, ranked=standing.ranked, value=value)


def unknown_metric(error: UnknownMetricError, _command: str = "", _args: str = "") -> str:
    return UNKNOWN_METRIC.format(metric=echo(error.metric), known=", ".join(error.known))


def target_error(error: TargetError, _command: str = "", _args: str = "") -> str:
    low, high = range_text(error.metric, error.low, error.high)
    return TARGET_OUT_OF_RANGE.format(
        target=echo(error.target), metric=error.metric, low=low, high=high
    )


def date_in_past(error: DateInPastError, _command: str = "", _args: str = "") -> str:
    return DATE_IN_PAST.format(due=error.due.isoformat(), today=error.today.isoformat())


def bad_date(error: BadDateError, _command: str = "", _args: str = "") -> str:
    return BAD_DATE.format(text=echo(error.text))


def unknown_team(error: UnknownPlanTeamError, _command: str = "", _args: str = "") -> str:
    answer = UNKNOWN_TEAM.format(wanted=echo(error.wanted))
    if error.candidates:
        return answer + DID_YOU_MEAN.format(candidates=candidates_text(error.candidates))
    return answer + NO_TEAMS_HINT
