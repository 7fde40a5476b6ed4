"""Strings of the champions feature: registry, leaderboard, nudges and stats."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.messages.coaching import METRIC_NAMES
from bot.messages.user_text import shown

if TYPE_CHECKING:
    from champions import ChampionStats, Nudge, NudgePlan

NEEDS_PERSON = "Tell me who: `champion {verb} @person` (an @mention tells me exactly who)."
NO_SUCH_PERSON = (
    "I don't know anyone called “{name}”. @mention them (`champion {verb} @person`) in a "
    "chat or channel they are in."
)
SEVERAL_PEOPLE = "“{name}” matches several people: {names}. @mention the one you mean."
ADDED = "{name} is now a champion. They can `nudge <team>` and see `champion stats`."
ALREADY = "{name} is already a champion."
REMOVED = "{name} is no longer a champion. Their nudges stay in the record."
NOT_A_CHAMPION = "{name} is not a champion, so there was nothing to remove."

CHAMPIONS_TITLE = "Champions"
CHAMPIONS_INTRO = (
    "Champions nudge teams towards conversation-first habits. Lift = change in threads plus "
    "replies in the 7 days after a nudge against the 7 days before, averaged per nudge."
)
CHAMPIONS_LIST = "Our champions"
CHAMPIONS_NONE = "No champions yet. An admin adds one with `champion add @person`."
BOARD_NUDGES = "Leaderboard: nudges"
BOARD_NUDGES_NONE = "No nudges yet."
BOARD_LIFT = "Leaderboard: measured lift"
BOARD_LIFT_NONE = "No measured lift yet: it needs adoption data around delivered nudges."
CHAMPION_LINE = "{name}"
NUDGE_LINE = "{rank}. {name} — {count} nudge{plural}"
LIFT_LINE = "{rank}. {name} — {lift:+.1f} messages per nudge ({measured} measured)"

NUDGE_USAGE = "Which team? `nudge <team name> [<message>]`, e.g. `nudge My Team`."
NO_TEAMS = "I am not installed in any team yet, so there is no team to nudge."
UNKNOWN_TEAM = "I am not in a team called “{name}”. Teams I am in: {candidates}."
UNKNOWN_TEAM_CLOSE = "I am not in a team called “{name}”. Did you mean {candidates}?"
UNNAMED_TEAM = "a team whose name I have not learnt yet"
AMBIGUOUS_TEAM = (
    "“{name}” fits several teams: {candidates}. Use the full name, or the team id in "
    "brackets if two teams share a name."
)
DAILY_LIMIT = (
    "You already nudged **{team}** today. One nudge per team per day keeps nudges welcome; "
    "the next is possible from {when}."
)
DAILY_LIMIT_OTHER = (
    "{name} already nudged **{team}** today (at {at}). A team gets one champion nudge a "
    "day, whoever sends it, so nudges stay welcome; the next is possible from {when}."
)
ANOTHER_CHAMPION = "Another champion"
NUDGED = "Nudged **{team}** in its General channel{focus}."
NUDGED_FOCUS = ", focusing on its {metric}"
NUDGE_UNREACHABLE = (
    "I could not post in **{team}**: I am no longer a member of that team. The nudge is "
    "recorded as failed; add me to the team again to nudge it."
)
NUDGE_FAILED = (
    "Teams did not accept the nudge for **{team}** ({detail}). It is recorded as failed; "
    "please try again later."
)

NUDGE_TITLE = "A nudge for {team}"
NUDGE_FROM = "From {champion}, one of our Teams champions"
NUDGE_HABIT = "Try this: {title}"

# Default nudge messages, keyed by the team's weakest measure (adoption.health names).
NUDGE_LIBRARY = {
    "reply_rate": (
        "A few questions in here are still waiting for an answer. Could you take a look "
        "and reply in their threads? Even 'I don't know, but ask Sam' helps."
    ),
    "active_share": (
        "This channel is where the team's work gets visible. If you've been reading along, "
        "post one question or update here this week instead of in a private chat."
    ),
    "median_first_reply_minutes": (
        "Questions here wait a while for a first reply. If you can help, reply in the "
        "thread; if someone else knows, @mention them."
    ),
    "trend": (
        "It's been quieter here lately. Decided something in a chat or a meeting? Post the "
        "outcome here so the whole team knows."
    ),
    None: (
        "Let's keep our conversations here in the channel: ask, answer in the thread and "
        "@mention who you need. The files and structure will follow."
    ),
}

STATS_TITLE = "Your nudges"
STATS_SUMMARY = "{count} nudge{plural} so far, {delivered} delivered, to {teams} team{tplural}."
STATS_NONE = "You have not nudged a team yet. Try `nudge <team name>`."
STATS_NUDGE_LINE = "{when} — {team}: {status}{metric}"
STATS_NUDGE_METRIC = " (focus: {metric})"
STATS_EFFECTS = "What happened after your latest nudge per team"
STATS_NO_DATA = "No adoption data yet for this team."
STATS_COMPLETE = "7 days before vs 7 days after the nudge."
STATS_PARTIAL = "The 7 days after are not over yet: {days} day{plural} so far."
STATS_THREADS = "Threads"
STATS_REPLIES = "Replies"
STATS_REPLY_RATE = "Reply rate"
STATS_ARROW = "{before} → {after}"
STATS_NO_RATE = "–"


def plural(count: int) -> str:
    return "" if count == 1 else "s"


def rate(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else STATS_NO_RATE


def nudge_line(rank: int, name: str, count: int) -> str:
    return NUDGE_LINE.format(rank=rank, name=shown(name), count=count, plural=plural(count))


def nudge_outcome(status: str, plan: NudgePlan, detail: str) -> str:
    """The answer to `nudge` once the delivery is known (``delivered``/``unreachable``/…)."""
    team = shown(plan.team_name)
    if status == "delivered":
        focus = NUDGED_FOCUS.format(metric=METRIC_NAMES[plan.metric]) if plan.metric else ""
        return NUDGED.format(team=team, focus=focus)
    if status == "unreachable":
        return NUDGE_UNREACHABLE.format(team=team)
    return NUDGE_FAILED.format(team=team, detail=shown(detail or "error"))


def stats_summary(stats: ChampionStats) -> str:
    count, teams = len(stats.nudges), stats.teams
    return STATS_SUMMARY.format(
        count=count,
        plural=plural(count),
        delivered=len(stats.delivered),
        teams=teams,
        tplural=plural(teams),
    )


def stats_line(nudge: Nudge, tz: ZoneInfo) -> str:
    metric = nudge.metric
    return STATS_NUDGE_LINE.format(
        when=f"{nudge.at.astimezone(tz):%d %b %H:%M}",
        team=shown(nudge.team_name),
        status=nudge.status,
        metric=STATS_NUDGE_METRIC.format(metric=METRIC_NAMES[metric])
        if metric in METRIC_NAMES
        else "",
    )
