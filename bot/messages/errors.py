"""The one error map: a domain error type → the answer the user reads.

The router looks an exception up along its class hierarchy (the most specific mapped type
wins), in the spirit of Bolt's ``@app.error`` and httpx's mapped exceptions. A handler
therefore raises the domain's own error and never words it; anything not mapped here is
unexpected and goes to the one turn-error handler.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from adoption.config import ConfigError
from adoption.graph import GraphAuthError, GraphError
from adoption.report import UnknownTeamError as UnknownReportTeamError
from audience import (
    InvalidDuration,
    MissingMuteTarget,
    NotMuted,
    NotReceiving,
    UnknownMuteTarget,
    UnknownZone,
)
from bot.errors import SyncBusyError, UserFacingError
from bot.messages import admin, audience, champions, circles, plans
from bot.messages.user_text import echo, shown
from champions import (
    AmbiguousTeamError,
    DailyLimitError,
    NoTeamsError,
    NudgeUsageError,
    UnknownTeamError,
)
from plans.errors import (
    BadDateError,
    DateInPastError,
    PlanUsageError,
    TargetError,
    UnknownMetricError,
)
from plans.errors import UnknownTeamError as UnknownPlanTeamError
from wol_circles import CircleError

#: how one error type is worded: (error, command name, the text after the command) → answer
Wording = Callable[[Any, str, str], str]


def _fixed(text: str) -> Wording:
    return lambda _error, _command, _args: text


def _problem(template: str) -> Wording:
    return lambda error, _command, _args: template.format(problem=error)


def team_names(
    teams: list[dict[str, Any]], *, with_ids: bool = False, limit: int = 8, joiner: str = ", "
) -> str:
    """Team names for an answer, e.g. ``My Team, Sales``; ids only to tell apart two teams
    of one name (``with_ids``), never in place of a name not learnt yet."""
    names = []
    for team in teams[:limit]:
        name = str(team.get("name") or "")
        if not name or name == team["id"]:
            names.append(champions.UNNAMED_TEAM)
        else:
            names.append(f"{shown(name)} ({shown(team['id'])})" if with_ids else shown(name))
    return joiner.join(names) or "none"


def local_moment(moment: datetime) -> str:
    """``Tue 24 Nov 2026 00:00 (Europe/Berlin)``: a time in its own zone."""
    zone = getattr(moment.tzinfo, "key", None) or str(moment.tzinfo)
    return f"{moment:%a %d %b %Y %H:%M} ({zone})"


def _ambiguous(error: AmbiguousTeamError, _command: str, _args: str) -> str:
    same_name = len({str(t.get("name", "")).casefold() for t in error.candidates}) == 1
    candidates = team_names(error.candidates, with_ids=same_name)
    return champions.AMBIGUOUS_TEAM.format(name=echo(error.name), candidates=candidates)


def _unknown_team(error: UnknownTeamError, _command: str, _args: str) -> str:
    if error.close:
        names = team_names(error.candidates, limit=3, joiner=" or ")
        return champions.UNKNOWN_TEAM_CLOSE.format(name=echo(error.name), candidates=names)
    return champions.UNKNOWN_TEAM.format(
        name=echo(error.name), candidates=team_names(error.candidates)
    )


def daily_limit(error: DailyLimitError, _command: str = "", _args: str = "") -> str:
    """The team was nudged today: by you, or by whom and when (in the configured zone)."""
    team, when = shown(error.team), local_moment(error.until)
    if error.by_you or error.at is None:
        return champions.DAILY_LIMIT.format(team=team, when=when)
    name = shown(error.by_name) if error.by_name else champions.ANOTHER_CHAMPION
    at = f"{error.at.astimezone(error.until.tzinfo):%H:%M}"
    return champions.DAILY_LIMIT_OTHER.format(name=name, team=team, at=at, when=when)


def _report_team(error: UnknownReportTeamError, _command: str, args: str) -> str:
    # the domain's message quotes the whole name asked for: echo only the start of it
    wanted = args.strip()
    problem = str(error).replace(repr(wanted), f"'{echo(wanted)}'") if wanted else str(error)
    return admin.UNKNOWN_TEAM.format(problem=problem)


def _circle(error: CircleError, command: str, args: str) -> str:
    return circles.explain(error, command=command, args=args)


def _unknown_zone(error: UnknownZone, _command: str, _args: str) -> str:
    answer = audience.UNKNOWN_ZONE.format(value=echo(error.value))
    if error.suggestions:
        names = " or ".join(f"`{s}`" for s in error.suggestions)
        return answer + audience.UNKNOWN_ZONE_CLOSE.format(suggestions=names)
    return answer + audience.UNKNOWN_ZONE_HINT


def _not_receiving(error: NotReceiving, _command: str, _args: str) -> str:
    gets = ", ".join(error.receiving) or audience.NOTHING_RECEIVED
    return audience.NOT_RECEIVING.format(target=echo(error.target), receiving=gets)


ERROR_ANSWERS: Mapping[type[BaseException], Wording] = {
    UserFacingError: lambda error, _command, _args: str(error),
    CircleError: _circle,
    NudgeUsageError: _fixed(champions.NUDGE_USAGE),
    NoTeamsError: _fixed(champions.NO_TEAMS),
    UnknownTeamError: _unknown_team,
    AmbiguousTeamError: _ambiguous,
    DailyLimitError: daily_limit,
    UnknownReportTeamError: _report_team,
    ConfigError: _problem(admin.SYNC_NOT_CONFIGURED),
    SyncBusyError: _fixed(admin.SYNC_RUNNING),
    GraphAuthError: _problem(admin.SYNC_AUTH_FAILED),
    GraphError: _problem(admin.SYNC_GRAPH_FAILED),
    PlanUsageError: _fixed(plans.PLAN_ADD_USAGE),
    UnknownMetricError: plans.unknown_metric,
    TargetError: plans.target_error,
    BadDateError: plans.bad_date,
    DateInPastError: plans.date_in_past,
    UnknownPlanTeamError: plans.unknown_team,
    UnknownZone: _unknown_zone,
    NotReceiving: _not_receiving,
    NotMuted: lambda error, _command, _args: audience.NOT_MUTED.format(target=echo(error.target)),
    MissingMuteTarget: _fixed(audience.MISSING_MUTE_TARGET),
    UnknownMuteTarget: lambda e, _c, _a: audience.UNKNOWN_MUTE_TARGET.format(value=echo(e.value)),
    InvalidDuration: lambda e, _c, _a: audience.INVALID_DURATION.format(
        value=echo(e.value), maximum=e.maximum
    ),
}
