"""Core commands: help and admin management."""

from __future__ import annotations

from dataclasses import replace

from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Mention

from bot.context import CommandContext
from bot.errors import UserFacingError
from bot.messages import core as msg
from bot.messages.user_text import echo, shown
from bot.roles import Role, UserRef
from bot.router import CommandTable
from cards.help import HelpEntry, build_help_card

commands = CommandTable()


def help_card(ctx: CommandContext, *, lead: str | None = None) -> dict[str, object]:
    """The help card for this user's role (also shown after unknown input)."""
    visible = ctx.services.router.visible_to(ctx.role)
    return build_help_card(
        title=msg.HELP_TITLE,
        intro=msg.HELP_INTRO,
        role_line=msg.HELP_ROLE_LINE.format(role=ctx.role.label),
        entries=[HelpEntry(c.usage, c.summary) for c in visible],
        lead=lead,
    )


@commands.command("help", usage="help", summary="this list of commands")
async def show_help(ctx: CommandContext) -> None:
    await ctx.reply_card(help_card(ctx), summary=msg.HELP_TITLE)


async def resolve_mention(ctx: CommandContext, mention: Mention) -> UserRef:
    """The AAD id of a mentioned person: from the mention, else from the conversation roster."""
    who = mention.mentioned
    aad_id, upn = getattr(who, "aad_object_id", None), ""
    if not aad_id:
        try:
            member = await TeamsInfo.get_member(ctx.turn, who.id)
        except Exception as exc:  # the connector's errors are not typed
            raise UserFacingError(msg.MENTION_UNRESOLVED.format(name=echo(who.name))) from exc
        aad_id, upn = member.aad_object_id, member.user_principal_name or ""
    if not aad_id:
        raise UserFacingError(msg.MENTION_UNRESOLVED.format(name=echo(who.name)))
    return UserRef(aad_id=aad_id.lower(), teams_id=who.id, name=who.name or "", upn=upn)


async def resolve_mentioned_user(
    ctx: CommandContext, needs_mention: str = msg.ADMIN_ADD_NEEDS_MENTION
) -> UserRef:
    """The one person @mentioned in the command, with their AAD object id."""
    mentions = ctx.mentions()
    if not mentions:
        raise UserFacingError(needs_mention)
    return await resolve_mention(ctx, mentions[0])


@commands.command(
    "admin", "add", role=Role.ADMIN, usage="admin add @person", summary="make someone an admin"
)
async def add_admin(ctx: CommandContext) -> None:
    person = await resolve_mentioned_user(ctx)
    added = await ctx.services.roles.grant_admin(person, by=ctx.user, now=ctx.now, scope=ctx.scope)
    template = msg.ADMIN_ADDED if added else msg.ADMIN_ALREADY
    await ctx.reply(template.format(name=shown(person.name)))


@commands.command(
    "admin",
    "remove",
    role=Role.ADMIN,
    usage="admin remove @person",
    summary="take back admin rights given in chat",
)
async def remove_admin(ctx: CommandContext) -> None:
    person = await resolve_mentioned_user(ctx, msg.ADMIN_REMOVE_NEEDS_MENTION)
    if not person.upn:  # an admin configured by UPN is recognised by it
        known = await ctx.services.directory.user(person.aad_id) or {}
        person = replace(person, upn=str(known.get("upn", "")))
    roles = ctx.services.roles
    if roles.is_configured_admin(person):
        template = msg.ADMIN_CONFIGURED
    elif await roles.revoke_admin(person, ctx.scope):
        template = msg.ADMIN_REMOVED
    else:
        template = msg.ADMIN_NOT_ADDED
    await ctx.reply(template.format(name=shown(person.name)))
