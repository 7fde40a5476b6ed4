"""Circle commands: ``circle create/join/leave/list/start/status/end``, ``checkin``, ``goal``.

Each handler calls one :class:`wol_circles.CircleService` method; a :class:`CircleError` is
worded by the router's error map (:func:`bot.messages.circles.explain`). ``circle start``
and ``circle end`` run the due loop (week 1 goes out at once; the wake-up job is rescheduled).
"""

from __future__ import annotations

from datetime import MAXYEAR
from typing import Any

from audience import Feature, snoozed_until
from bot.circles_delivery import (
    PROMPT_CARDS,
    card_key,
    completion_content,
    local_time,
    prompt_content,
    run_circle_due,
    slot_text,
)
from bot.context import CommandContext
from bot.directory import reference_keys
from bot.messages import circles as msg
from bot.messages.user_text import shown
from bot.router import CommandTable
from bot.storage.read_ahead import read_ahead
from cards.circle_completion import build_circle_completion_card
from cards.circle_list import CircleLine, build_circle_list_card
from cards.circle_prompt import build_circle_checked_in_card
from cards.circle_status import MemberLine, StatusContent, build_circle_status_card
from wol_circles import (
    MAX_MEMBERS,
    CheckInResult,
    Circle,
    Member,
    Origin,
    OriginKind,
    parse_name,
    parse_optional_name,
)

commands = CommandTable()


def _member(ctx: CommandContext) -> Member:
    return Member(ctx.user.aad_id, ctx.user.name or ctx.user.aad_id, ctx.now)


def _origin(ctx: CommandContext) -> Origin:
    """Where the command was typed, as a directory key proactive delivery can reach."""
    kind = ctx.conversation_type
    keys = reference_keys(ctx.activity)
    if kind == "groupChat" and keys:
        return Origin(OriginKind.GROUP_CHAT, keys[0])
    if kind == "channel" and keys:
        return Origin(OriginKind.CHANNEL, keys[0])
    return Origin(OriginKind.PERSONAL, f"user:{ctx.user.aad_id}")


async def snoozed_members(ctx: CommandContext, circle: Circle) -> dict[str, str]:
    """Members who muted this circle's prompts now: until when, by user id."""
    found: dict[str, str] = {}
    everyone = await ctx.services.preferences.get_many(circle.tenant_id, circle.member_ids)
    for member in circle.members:
        prefs = everyone[member.user_id]
        until = snoozed_until(prefs, Feature.CIRCLE, now=ctx.now, circle=circle.name)
        if until is not None:
            found[member.user_id] = (
                msg.SNOOZED_NO_END if until.year == MAXYEAR else f"{until:%a %d %b %Y}"
            )
    return found


def _line(circle: Circle) -> CircleLine:
    return CircleLine(
        circle.name, circle.state.value, len(circle.members), MAX_MEMBERS, slot_text(circle)
    )


@commands.command(
    "circle",
    "create",
    usage="circle create <name> [<weekday> <HH:MM> [<zone>]] [each-local]",
    summary="start forming a Working Out Loud circle",
)
async def create(ctx: CommandContext) -> None:
    circles = ctx.services.circles
    circle = await circles.create(ctx.tenant_id, ctx.args, _member(ctx), _origin(ctx), ctx.now)
    await ctx.reply(msg.CREATED.format(**msg.names(circle.name), slot=slot_text(circle)))


@commands.command("circle", "join", usage="circle join <name>", summary="join a forming circle")
async def join(ctx: CommandContext) -> None:
    circle = await ctx.services.circles.join(ctx.tenant_id, parse_name(ctx.args), _member(ctx))
    facilitator = next(m.name for m in circle.members if m.user_id == circle.facilitator)
    await ctx.reply(
        msg.JOINED.format(
            **msg.names(circle.name),
            count=len(circle.members),
            limit=MAX_MEMBERS,
            facilitator=shown(facilitator),
        )
    )


@commands.command("circle", "leave", usage="circle leave <name>", summary="leave a circle")
async def leave(ctx: CommandContext) -> None:
    circles = ctx.services.circles
    circle = await circles.leave(ctx.tenant_id, parse_name(ctx.args), ctx.user.aad_id, ctx.now)
    text = msg.LEFT if circle.state.is_open else msg.LEFT_AND_ENDED
    await ctx.reply(text.format(name=shown(circle.name)))
    if not circle.state.is_open:
        await run_circle_due(ctx.services)


@commands.command("circle", "list", usage="circle list", summary="open circles and yours")
async def listing(ctx: CommandContext) -> None:
    found = await ctx.services.circles.listing(ctx.tenant_id, ctx.user.aad_id)
    card = build_circle_list_card(
        tuple(_line(c) for c in found.mine), tuple(_line(c) for c in found.joinable)
    )
    await ctx.reply_card(card, summary="Circles")


@commands.command(
    "circle", "start", usage="circle start <name>", summary="facilitator: week 1 begins now"
)
async def start(ctx: CommandContext) -> None:
    circles = ctx.services.circles
    circle = await circles.start(ctx.tenant_id, parse_name(ctx.args), ctx.user.aad_id, ctx.now)
    await ctx.reply(msg.STARTED.format(name=shown(circle.name), slot=slot_text(circle)))
    await run_circle_due(ctx.services)


@commands.command(
    "circle", "status", usage="circle status [<name>]", summary="this week's check-ins"
)
async def status(ctx: CommandContext) -> None:
    circles = ctx.services.circles
    circle = await circles.resolve(
        ctx.tenant_id, ctx.user.aad_id, parse_optional_name(ctx.args), ctx.now
    )
    # check-ins, goals and members' mutes in one PostgreSQL round trip (bot.storage.read_ahead)
    reads = [
        *circles.repo.progress_keys(circle),
        *ctx.services.preferences.keys_of(circle.tenant_id, circle.member_ids),
    ]
    async with read_ahead(ctx.services.store, reads):
        found = await circles.status_of(circle, ctx.now)
        snoozed = await snoozed_members(ctx, circle)
    card = build_circle_status_card(
        StatusContent(
            circle.name,
            circle.state.value,
            found.week,
            12,
            slot_text(circle),
            tuple(
                MemberLine(
                    m.name,
                    m.checked_in,
                    m.streak,
                    m.rating,
                    m.is_facilitator,
                    m.goal,
                    snoozed.get(m.user_id),
                )
                for m in found.members
            ),
            local_time(circle, found.next_prompt_at) if found.next_prompt_at else None,
        )
    )
    await ctx.reply_card(card, summary=f"{circle.name}: week {found.week} of 12")


@commands.command("circle", "end", usage="circle end <name>", summary="facilitator: end early")
async def end(ctx: CommandContext) -> None:
    circles = ctx.services.circles
    circle = await circles.end(ctx.tenant_id, parse_name(ctx.args), ctx.user.aad_id, ctx.now)
    if circle.started_at is None:
        await ctx.reply(msg.CANCELLED.format(name=shown(circle.name)))
    else:
        summary = await circles.summary(circle.id)
        await ctx.reply(msg.ENDED.format(name=shown(circle.name)))
        await ctx.reply_card(
            build_circle_completion_card(completion_content(summary, completed=False))
        )
    await run_circle_due(ctx.services)


@commands.command(
    "checkin", usage="checkin [<name>] [<n>/5] [<text>]", summary="this week's check-in"
)
async def checkin(ctx: CommandContext) -> None:
    circles = ctx.services.circles
    if ctx.value.get("circle_id"):  # from the prompt card
        rating = ctx.value.get("rating") or None
        result = await circles.check_in(
            str(ctx.value["circle_id"]),
            ctx.user.aad_id,
            ctx.now,
            text=str(ctx.value.get("text") or ""),
            rating=rating,
            week=_week_of(ctx.value.get("week")),
            tenant_id=ctx.tenant_id,
        )
    else:
        result = await circles.check_in_command(ctx.tenant_id, ctx.user.aad_id, ctx.args, ctx.now)
    done = _done_text(result)
    card = build_circle_checked_in_card(
        prompt_content(result.circle, result.checkin.week),
        done=done,
        reflection=result.checkin.text,
    )
    if ctx.activity.type == "invoke":
        ctx.refreshed_card = card
        return
    await _update_prompt_card(ctx, result, card)
    template = msg.CHECKIN_REPLACED if result.replaced else msg.CHECKED_IN
    await ctx.reply(
        template.format(
            name=shown(result.circle.name), week=result.checkin.week, rating=_rating(result)
        )
    )


def _week_of(raw: object) -> int | None:
    try:
        return int(str(raw)) if raw not in (None, "") else None
    except ValueError:
        return None


def _rating(result: CheckInResult) -> str:
    return f", {result.checkin.rating}/5" if result.checkin.rating is not None else ""


def _done_text(result: CheckInResult) -> str:
    return msg.CHECKED_IN_CARD.format(week=result.checkin.week, rating=_rating(result))


async def _update_prompt_card(
    ctx: CommandContext, result: CheckInResult, card: dict[str, Any]
) -> None:
    """Replace the week's prompt card in the member's 1:1 chat with its checked-in form."""
    key = card_key(result.circle.id, result.checkin.week, ctx.user.aad_id)
    stored = await ctx.services.store.get(PROMPT_CARDS, key)
    if stored:
        await ctx.services.proactive.update(stored["recipient"], stored["activity_id"], card)


@commands.command("goal", usage="goal [<name>] <text>", summary="your goal for the circle")
async def goal(ctx: CommandContext) -> None:
    circles = ctx.services.circles
    found = await circles.set_goal(ctx.tenant_id, ctx.user.aad_id, ctx.args, ctx.now)
    circle = await circles.repo.get(found.circle_id)
    name = circle.name if circle else ""
    await ctx.reply(msg.goal_set(name, found.text))
