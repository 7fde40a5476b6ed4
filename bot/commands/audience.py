"""What each person receives and when (``mute …``, ``unmute …``, ``my timezone <zone>``) and
what reached them (``deliveries [week]``, admins)."""

from __future__ import annotations

from audience import (
    Preferences,
    Target,
    mute,
    parse_mute,
    resolve_zone,
    unmute,
)
from bot.admin.digest import DigestRepository
from bot.context import CommandContext
from bot.delivery_report import delivery_report, parse_week
from bot.errors import UserFacingError
from bot.messages import audience as msg
from bot.messages.user_text import echo, shown
from bot.roles import Role
from bot.router import CommandTable
from coaching import ProgressRepository

commands = CommandTable()


async def receiving(ctx: CommandContext) -> list[Target]:
    """What this person gets today: weekly tips, the digest, each open circle's prompts."""
    found: list[Target] = []
    progress = await ProgressRepository(ctx.services.store).get(ctx.user.aad_id)
    if progress is not None and progress.weekly:
        found.append(Target.tips())
    subscribers = await DigestRepository(ctx.services.store).subscribers()
    if any(s["aad_id"] == ctx.user.aad_id for s in subscribers):
        found.append(Target.digest())
    circles = await ctx.services.circles.repo.circles_of(ctx.tenant_id, ctx.user.aad_id, ctx.now)
    found += [Target.of_circle(c.name) for c in circles]
    return found


async def _preferences(ctx: CommandContext) -> Preferences:
    return await ctx.services.preferences.get(ctx.tenant_id, ctx.user.aad_id)


def _until(ctx: CommandContext, prefs: Preferences, target: Target) -> str | None:
    found = next((m for m in prefs.mutes if m.target == target), None)
    if found is None or found.until is None:
        return None
    zone = prefs.zone_or(ctx.services.settings.timezone.key)
    return f"{found.until.astimezone(ctx.services.settings.timezone):%a %d %b %Y %H:%M} ({zone})"


@commands.command(
    "mute",
    usage="mute tips|digest|circle <name>|all [for N weeks]",
    summary="stop what I send you (for a while, or until unmute)",
)
async def mute_command(ctx: CommandContext) -> None:
    request = parse_mute(ctx.args)
    receives = await receiving(ctx)
    changed = await ctx.services.preferences.change(
        ctx.tenant_id,
        ctx.user.aad_id,
        lambda prefs: mute(prefs, request, receiving=receives, now=ctx.now),
    )
    target = changed.mutes[-1].target
    until = _until(ctx, changed, target)
    template = msg.MUTED_UNTIL if until else msg.MUTED_FOREVER
    await ctx.reply(template.format(target=shown(target), until=until))


@commands.command("unmute", usage="unmute tips|digest|circle <name>|all", summary="get it again")
async def unmute_command(ctx: CommandContext) -> None:
    request = parse_mute(ctx.args)
    await ctx.services.preferences.change(
        ctx.tenant_id, ctx.user.aad_id, lambda prefs: unmute(prefs, request, now=ctx.now)
    )
    await ctx.reply(msg.UNMUTED.format(target=echo(request.target)))


@commands.command(
    "my",
    "timezone",
    usage="my timezone [<IANA zone>]",
    summary="the zone your weekly tips and prompts follow",
)
async def my_timezone(ctx: CommandContext) -> None:
    prefs = await _preferences(ctx)
    if not ctx.args.strip():
        zone = prefs.zone_or(ctx.services.settings.timezone.key)
        source = msg.ZONE_SOURCES[prefs.zone_source.value if prefs.zone_source else ""]
        await ctx.reply(msg.ZONE_SHOW.format(zone=zone, source=source))
        return
    zone = resolve_zone(ctx.args)
    await ctx.services.preferences.change(
        ctx.tenant_id, ctx.user.aad_id, lambda stored: stored.with_zone(zone)
    )
    await ctx.reply(msg.ZONE_SET.format(zone=zone))


@commands.command(
    "deliveries",
    role=Role.ADMIN,
    usage="deliveries [<ISO week, e.g. 2026-W48>]",
    summary="what went out, to whom, what failed and who acted",
)
async def deliveries(ctx: CommandContext) -> None:
    week = parse_week(ctx.args, ctx.services)
    if week is None:
        raise UserFacingError(msg.DELIVERIES_BAD_WEEK.format(value=echo(ctx.args.strip())))
    report = await delivery_report(ctx.services, week)
    await ctx.reply(msg.deliveries_text(report))
