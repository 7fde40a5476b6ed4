"""Champion commands: `champion add|remove`, `champions`, `nudge`, `champion stats`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.champions import (
    DELIVERED,
    ChampionRegistry,
    NudgeLog,
    describe,
    leaderboard,
    local_day,
    next_day_start,
    nudge_lift,
    resolve_team,
)
from bot.commands.core import resolve_mention
from bot.context import CommandContext
from bot.directory import USERS
from bot.errors import UserFacingError
from bot.messages import champions as msg
from bot.messages.coaching import METRIC_NAMES
from bot.proactive import DeliveryStatus
from bot.roles import CHAMPIONS, Role, UserRef
from bot.router import CommandTable
from cards.champions import Section, TeamEffect, build_champions_card, build_stats_card
from cards.nudge import build_nudge_card
from coaching.lessons import for_metric
from coaching.numbers import graph_team_id, team_numbers

commands = CommandTable()


async def _person(ctx: CommandContext, verb: str) -> UserRef:
    """The @mentioned person, or the one known user whose name is the plain text given."""
    mentions = ctx.mentions()
    if mentions:
        return await resolve_mention(ctx, mentions[0])
    name = " ".join(ctx.args.replace("<at>", " ").replace("</at>", " ").split())
    if not name:
        raise UserFacingError(msg.NEEDS_PERSON.format(verb=verb))
    known: dict[str, dict[str, Any]] = dict(await ctx.services.store.all(USERS))
    for key, doc in (await ctx.services.store.all(CHAMPIONS)).items():
        known.setdefault(key, doc)
    found = [
        (key, doc)
        for key, doc in known.items()
        if str(doc.get("name", "")).casefold() == name.casefold()
    ]
    if not found:
        raise UserFacingError(msg.NO_SUCH_PERSON.format(name=name, verb=verb))
    if len(found) > 1:
        names = ", ".join(str(doc.get("name")) for _, doc in found)
        raise UserFacingError(msg.SEVERAL_PEOPLE.format(name=name, names=names))
    key, doc = found[0]
    return UserRef(aad_id=key, teams_id=str(doc.get("teams_id", "")), name=str(doc["name"]))


@commands.command(
    "champion", "add", role=Role.ADMIN, usage="champion add @person", summary="make a champion"
)
async def add_champion(ctx: CommandContext) -> None:
    person = await _person(ctx, "add")
    added = await ChampionRegistry(ctx.services.store).add(person, by=ctx.user, now=ctx.now)
    await ctx.reply((msg.ADDED if added else msg.ALREADY).format(name=person.name))


@commands.command(
    "champion",
    "remove",
    role=Role.ADMIN,
    usage="champion remove @person",
    summary="remove a champion",
)
async def remove_champion(ctx: CommandContext) -> None:
    person = await _person(ctx, "remove")
    removed = await ChampionRegistry(ctx.services.store).remove(person)
    await ctx.reply((msg.REMOVED if removed else msg.NOT_A_CHAMPION).format(name=person.name))


@commands.command("champions", usage="champions", summary="our champions and the leaderboard")
async def list_champions(ctx: CommandContext) -> None:
    champions = await ChampionRegistry(ctx.services.store).all()
    standings = await leaderboard(ctx.services.store, champions, now=ctx.now)
    by_nudges = sorted(
        (s for s in standings if s.nudges), key=lambda s: (-s.nudges, s.name.lower())
    )
    by_lift = sorted(
        (s for s in standings if s.lift is not None),
        key=lambda s: (-(s.lift or 0.0), s.name.lower()),
    )
    sections = [
        Section(
            msg.CHAMPIONS_LIST,
            [msg.CHAMPION_LINE.format(name=c.get("name", "")) for c in champions],
            msg.CHAMPIONS_NONE,
        ),
        Section(
            msg.BOARD_NUDGES,
            [
                msg.NUDGE_LINE.format(
                    rank=i, name=s.name, count=s.nudges, plural="" if s.nudges == 1 else "s"
                )
                for i, s in enumerate(by_nudges, 1)
            ],
            msg.BOARD_NUDGES_NONE,
        ),
        Section(
            msg.BOARD_LIFT,
            [
                msg.LIFT_LINE.format(rank=i, name=s.name, lift=s.lift, measured=s.measured)
                for i, s in enumerate(by_lift, 1)
            ],
            msg.BOARD_LIFT_NONE,
        ),
    ]
    card = build_champions_card(
        title=msg.CHAMPIONS_TITLE, intro=msg.CHAMPIONS_INTRO, sections=sections
    )
    await ctx.reply_card(card, summary=msg.CHAMPIONS_TITLE)


@commands.command(
    "nudge",
    role=Role.CHAMPION,
    usage="nudge <team name> [<message>]",
    summary="nudge a team in its General channel",
)
async def nudge(ctx: CommandContext) -> None:
    services = ctx.services
    tz = services.settings.timezone
    if not ctx.args.strip():
        raise UserFacingError(msg.NUDGE_USAGE)
    teams = await services.directory.teams()
    if not teams:
        raise UserFacingError(msg.NO_TEAMS)
    match = resolve_team(teams, ctx.args)
    if match.team is None:
        name = ctx.args.strip()
        if len(match.candidates) > 1:
            dupes = len({str(t.get("name", "")).casefold() for t in match.candidates}) == 1
            raise UserFacingError(
                msg.AMBIGUOUS_TEAM.format(
                    name=name, candidates=describe(match.candidates, with_ids=dupes)
                )
            )
        raise UserFacingError(
            msg.UNKNOWN_TEAM.format(name=name, candidates=describe(match.candidates or teams))
        )
    team = match.team
    team_name = str(team.get("name", team["id"]))
    log = NudgeLog(services.store)
    day = local_day(ctx.now, tz)
    if await log.delivered_on(ctx.user.aad_id, team["id"], day):
        when = next_day_start(ctx.now, tz)
        raise UserFacingError(
            msg.DAILY_LIMIT.format(team=team_name, when=f"{when:%a %d %b %Y %H:%M} ({tz.key})")
        )
    graph_id = graph_team_id(team)
    numbers = await team_numbers(services.store, graph_id, now=ctx.now, tz=tz)
    metric = numbers.weakest if numbers else None
    message = match.message or msg.NUDGE_LIBRARY[metric]
    lesson = for_metric(metric)
    card = build_nudge_card(
        title=msg.NUDGE_TITLE.format(team=team_name),
        message=message,
        champion_line=msg.NUDGE_FROM.format(champion=ctx.user.name),
        habit_title=msg.NUDGE_HABIT.format(title=lesson.title),
        habit=lesson.habit,
    )
    key = f"nudge:{ctx.user.aad_id}:{team['id']}:{day.isoformat()}"
    delivery = await services.proactive.send(f"team:{team['id']}", card, key=key)
    status = _status(delivery.status)
    await log.record(
        {
            "champion": ctx.user.aad_id,
            "champion_name": ctx.user.name,
            "team_id": team["id"],
            "team_name": team_name,
            "graph_id": graph_id,
            "at": ctx.now.isoformat(),
            "day": day.isoformat(),
            "metric": metric,
            "message": message,
            "custom": bool(match.message),
            "status": status,
            "outcome": str(delivery.status),
            "detail": delivery.detail or "",
            "activity_id": delivery.activity_id or "",
        }
    )
    if delivery.status == DeliveryStatus.DELIVERED:
        focus = msg.NUDGED_FOCUS.format(metric=METRIC_NAMES[metric]) if metric else ""
        await ctx.reply(msg.NUDGED.format(team=team_name, focus=focus))
    elif delivery.status == DeliveryStatus.DUPLICATE:
        when = next_day_start(ctx.now, tz)
        await ctx.reply(
            msg.DAILY_LIMIT.format(team=team_name, when=f"{when:%a %d %b %Y %H:%M} ({tz.key})")
        )
    elif delivery.status == DeliveryStatus.UNREACHABLE:
        await ctx.reply(msg.NUDGE_UNREACHABLE.format(team=team_name))
    else:
        await ctx.reply(msg.NUDGE_FAILED.format(team=team_name, detail=delivery.detail or "error"))


def _status(status: DeliveryStatus) -> str:
    """The recorded status: ``delivered``, ``duplicate`` or ``failed`` (see ``outcome``)."""
    return {DeliveryStatus.DELIVERED: "delivered", DeliveryStatus.DUPLICATE: "duplicate"}.get(
        status, "failed"
    )


@commands.command(
    "champion",
    "stats",
    role=Role.CHAMPION,
    usage="champion stats",
    summary="your nudges and what happened after them",
)
async def champion_stats(ctx: CommandContext) -> None:
    nudges = await NudgeLog(ctx.services.store).by_champion(ctx.user.aad_id)
    if not nudges:
        await ctx.reply(msg.STATS_NONE)
        return
    tz = ctx.services.settings.timezone
    delivered = [n for n in nudges if n["status"] == DELIVERED]
    latest: dict[str, dict[str, Any]] = {n["team_id"]: n for n in delivered}  # sorted by time
    effects = [await _effect(ctx, n, tz) for n in latest.values()]
    lines = [
        msg.STATS_NUDGE_LINE.format(
            when=f"{datetime.fromisoformat(n['at']).astimezone(tz):%d %b %H:%M}",
            team=n["team_name"],
            status=n["status"],
            metric=(
                msg.STATS_NUDGE_METRIC.format(metric=METRIC_NAMES[n["metric"]])
                if n.get("metric") in METRIC_NAMES
                else ""
            ),
        )
        for n in reversed(nudges)
    ]
    teams = {n["team_id"] for n in nudges}
    summary = msg.STATS_SUMMARY.format(
        count=len(nudges),
        plural=_plural(len(nudges)),
        delivered=len(delivered),
        teams=len(teams),
        tplural=_plural(len(teams)),
    )
    card = build_stats_card(
        title=msg.STATS_TITLE,
        summary=summary,
        nudges=Section(msg.STATS_TITLE, lines[:20]),
        effects=effects,
        effects_title=msg.STATS_EFFECTS,
    )
    await ctx.reply_card(card, summary=msg.STATS_TITLE)


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def _rate(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else msg.STATS_NO_RATE


async def _effect(ctx: CommandContext, nudge: dict[str, Any], tz: ZoneInfo) -> TeamEffect:
    """Before/after activity around one nudge, or a plain note without adoption data."""
    when = f"{datetime.fromisoformat(nudge['at']).astimezone(tz):%a %d %b %Y}"
    measured = await nudge_lift(ctx.services.store, nudge, now=ctx.now)
    if measured is None:
        return TeamEffect(nudge["team_name"], when, None, msg.STATS_NO_DATA)
    before, after = measured.before, measured.after
    rows = [
        (msg.STATS_THREADS, msg.STATS_ARROW.format(before=before.threads, after=after.threads)),
        (msg.STATS_REPLIES, msg.STATS_ARROW.format(before=before.replies, after=after.replies)),
        (
            msg.STATS_REPLY_RATE,
            msg.STATS_ARROW.format(before=_rate(before.reply_rate), after=_rate(after.reply_rate)),
        ),
    ]
    if measured.complete:
        note = msg.STATS_COMPLETE
    else:
        days = max(0, (ctx.now - measured.at).days)
        note = msg.STATS_PARTIAL.format(days=days, plural=_plural(days))
    return TeamEffect(nudge["team_name"], when, rows, note)
