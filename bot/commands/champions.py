"""Champion commands: `champion add|remove`, `champions`, `nudge`, `champion stats`.

Each handler parses, calls :class:`champions.ChampionService`, words the answer with
:mod:`bot.messages.champions` and builds a card; refusals are ``champions.errors`` types
worded by the router's error map.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from audience import iso_week
from bot._delivery_log import RETRYABLE_STATES
from bot.commands.core import resolve_mention
from bot.context import CommandContext
from bot.errors import UserFacingError
from bot.fanout import Outgoing
from bot.messages import champions as msg
from bot.messages.errors import daily_limit
from bot.messages.user_text import echo, shown
from bot.plans_delivery import record_loop_action
from bot.proactive import Delivery, DeliveryStatus
from bot.roles import Role, UserRef
from bot.router import CommandTable
from cards.champions import Section, TeamEffect, build_champions_card, build_stats_card
from cards.nudge import build_nudge_card
from champions import Champion, ChampionService, Effect, NudgeClaim, NudgePlan, Standing
from coaching import for_metric

commands = CommandTable()


def _service(ctx: CommandContext) -> ChampionService:
    return ctx.services.champions


async def _person(ctx: CommandContext, verb: str) -> UserRef:
    """The @mentioned person, or the one known user whose name is the plain text given."""
    mentions = ctx.mentions()
    if mentions:
        return await resolve_mention(ctx, mentions[0])
    name = " ".join(ctx.args.replace("<at>", " ").replace("</at>", " ").split())
    if not name:
        raise UserFacingError(msg.NEEDS_PERSON.format(verb=verb))
    known = {
        key: (str(doc.get("name", "")), str(doc.get("teams_id", "")))
        for key, doc in (await ctx.services.directory.users(ctx.scope)).items()
    }
    for champion in await _service(ctx).registry.all(ctx.scope):
        known.setdefault(champion.aad_id, (champion.name, champion.teams_id))
    found = [
        key for key, (known_name, _) in known.items() if known_name.casefold() == name.casefold()
    ]
    if not found:
        raise UserFacingError(msg.NO_SUCH_PERSON.format(name=echo(name), verb=verb))
    if len(found) > 1:
        names = ", ".join(shown(known[key][0]) for key in found)
        raise UserFacingError(msg.SEVERAL_PEOPLE.format(name=echo(name), names=names))
    (aad_id,) = found
    return UserRef(aad_id=aad_id, teams_id=known[aad_id][1], name=known[aad_id][0])


@commands.command(
    "champion", "add", role=Role.ADMIN, usage="champion add @person", summary="make a champion"
)
async def add_champion(ctx: CommandContext) -> None:
    person = await _person(ctx, "add")
    champion = Champion(
        person.aad_id.lower(),
        person.name,
        person.teams_id,
        ctx.user.aad_id,
        ctx.now.isoformat(),
        ctx.scope.tenant_id,
    )
    added = await _service(ctx).registry.add(champion)
    await ctx.reply((msg.ADDED if added else msg.ALREADY).format(name=shown(person.name)))


@commands.command(
    "champion",
    "remove",
    role=Role.ADMIN,
    usage="champion remove @person",
    summary="remove a champion",
)
async def remove_champion(ctx: CommandContext) -> None:
    person = await _person(ctx, "remove")
    removed = await _service(ctx).registry.remove(person.aad_id, ctx.scope)
    template = msg.REMOVED if removed else msg.NOT_A_CHAMPION
    await ctx.reply(template.format(name=shown(person.name)))


@commands.command("champions", usage="champions", summary="our champions and the leaderboard")
async def list_champions(ctx: CommandContext) -> None:
    champions, standings = await _service(ctx).leaderboard(now=ctx.now, scope=ctx.scope)
    sections = _leaderboard_sections(champions, standings)
    card = build_champions_card(
        title=msg.CHAMPIONS_TITLE, intro=msg.CHAMPIONS_INTRO, sections=sections
    )
    await ctx.reply_card(card, summary=msg.CHAMPIONS_TITLE)


def _nudge_card(ctx: CommandContext, plan: NudgePlan, message: str) -> dict[str, object]:
    lesson = for_metric(plan.metric)
    return build_nudge_card(
        title=msg.NUDGE_TITLE.format(team=shown(plan.team_name)),
        message=message,
        champion_line=msg.NUDGE_FROM.format(champion=shown(ctx.user.name)),
        habit_title=msg.NUDGE_HABIT.format(title=lesson.title),
        habit=lesson.habit,
    )


@commands.command(
    "nudge",
    role=Role.CHAMPION,
    usage="nudge <team name> [<message>]",
    summary="nudge a team in its General channel",
)
async def nudge(ctx: CommandContext) -> None:
    service, teams = _service(ctx), await ctx.services.directory.teams(scope=ctx.scope)
    plan = await service.plan_nudge(ctx.user.aad_id, teams, ctx.args, ctx.now, ctx.scope)
    claim = await service.claim(plan, ctx.user.name, ctx.now)  # the team's one nudge today
    message = plan.custom_message or msg.NUDGE_LIBRARY[plan.metric]
    delivery = await _post_nudge(ctx, plan, claim, message)
    await service.record(
        plan,
        champion_name=ctx.user.name,
        message=message,
        now=ctx.now,
        status=_status(delivery.status),
        outcome=str(delivery.status),
        detail=delivery.detail or "",
        activity_id=delivery.activity_id or "",
    )
    if delivery.status == DeliveryStatus.DELIVERED:  # from a plan alert's button: who acted
        await record_loop_action(ctx.services, ctx.value, by=ctx.user.name, now=ctx.now)
    if delivery.status == DeliveryStatus.DUPLICATE:
        await ctx.reply(daily_limit(service.daily_limit(plan, ctx.now)))
    else:
        await ctx.reply(msg.nudge_outcome(str(delivery.status), plan, delivery.detail))


async def _post_nudge(
    ctx: CommandContext, plan: NudgePlan, claim: NudgeClaim, message: str
) -> Delivery:
    """Post the card to the team's General channel; give the day's slot back when nothing
    was posted (failed, unreachable, or an error before the send), so the champion, or
    another one, can try again. A post in doubt keeps the slot: at most one nudge."""
    card = _nudge_card(ctx, plan, message)
    week = iso_week(ctx.now.astimezone(ctx.services.settings.timezone).date())
    outgoing = Outgoing(f"team:{plan.team_id}", card, plan.key, "nudge", week)
    try:
        [delivery] = await ctx.services.fanout.send([outgoing])
    except Exception:
        if not await _maybe_posted(ctx, plan.key):
            await _service(ctx).release(claim)
        raise
    if delivery.status != DeliveryStatus.DELIVERED and not await _maybe_posted(ctx, plan.key):
        await _service(ctx).release(claim)
    return delivery


async def _maybe_posted(ctx: CommandContext, key: str) -> bool:
    """Whether the delivery log says the post under ``key`` happened or may have."""
    record = await ctx.services.proactive.log.get(key)
    return record is not None and record.get("state") not in RETRYABLE_STATES


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
    stats = await _service(ctx).stats(ctx.user.aad_id, now=ctx.now, scope=ctx.scope)
    if not stats.nudges:
        await ctx.reply(msg.STATS_NONE)
        return
    tz = ctx.services.settings.timezone
    card = build_stats_card(
        title=msg.STATS_TITLE,
        summary=msg.stats_summary(stats),
        nudges=Section(
            msg.STATS_TITLE, [msg.stats_line(n, tz) for n in reversed(stats.nudges)][:20]
        ),
        effects=[_effect(effect, tz, ctx.now) for effect in stats.effects],
        effects_title=msg.STATS_EFFECTS,
    )
    await ctx.reply_card(card, summary=msg.STATS_TITLE)


def _leaderboard_sections(champions: list[Champion], standings: list[Standing]) -> list[Section]:
    by_nudges = sorted(
        (s for s in standings if s.nudges), key=lambda s: (-s.nudges, s.name.lower())
    )
    by_lift = sorted(
        (s for s in standings if s.lift is not None),
        key=lambda s: (-(s.lift or 0.0), s.name.lower()),
    )
    return [
        Section(
            msg.CHAMPIONS_LIST,
            [msg.CHAMPION_LINE.format(name=shown(c.name)) for c in champions],
            msg.CHAMPIONS_NONE,
        ),
        Section(
            msg.BOARD_NUDGES,
            [msg.nudge_line(i, s.name, s.nudges) for i, s in enumerate(by_nudges, 1)],
            msg.BOARD_NUDGES_NONE,
        ),
        Section(
            msg.BOARD_LIFT,
            [
                msg.LIFT_LINE.format(rank=i, name=shown(s.name), lift=s.lift, measured=s.measured)
                for i, s in enumerate(by_lift, 1)
            ],
            msg.BOARD_LIFT_NONE,
        ),
    ]


def _effect(effect: Effect, tz: ZoneInfo, now: datetime) -> TeamEffect:
    """Before/after activity around one nudge, or a plain note without adoption data."""
    nudge, measured = effect.nudge, effect.lift
    when = f"{nudge.at.astimezone(tz):%a %d %b %Y}"
    if measured is None:
        return TeamEffect(nudge.team_name, when, None, msg.STATS_NO_DATA)
    before, after = measured.before, measured.after
    rows = [
        (msg.STATS_THREADS, msg.STATS_ARROW.format(before=before.threads, after=after.threads)),
        (msg.STATS_REPLIES, msg.STATS_ARROW.format(before=before.replies, after=after.replies)),
        (
            msg.STATS_REPLY_RATE,
            msg.STATS_ARROW.format(
                before=msg.rate(before.reply_rate), after=msg.rate(after.reply_rate)
            ),
        ),
    ]
    if measured.complete:
        note = msg.STATS_COMPLETE
    else:
        days = max(0, (now - measured.at).days)
        note = msg.STATS_PARTIAL.format(days=days, plural=msg.plural(days))
    return TeamEffect(nudge.team_name, when, rows, note)
