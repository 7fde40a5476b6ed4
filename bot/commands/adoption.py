"""Admin commands: ``adoption summary``, ``adoption sync``, ``digest on|off``, ``dashboard``."""

from __future__ import annotations

import logging
from collections.abc import Callable

from adoption.repository import AdoptionRepository
from bot.admin import digest
from bot.admin.summary import summary_for, team_view, tenant_view
from bot.admin.sync import SyncOutcome, start_sync
from bot.context import CommandContext
from bot.dashboard.signing import expiry_time, signer_for
from bot.directory import reference_keys
from bot.errors import UserFacingError
from bot.messages import admin as msg
from bot.messages.user_text import shown
from bot.plan_status import with_plan
from bot.roles import Role
from bot.router import CommandTable
from cards.adoption_summary import build_team_summary_card, build_tenant_summary_card
from cards.elements import adaptive_card, open_url, text
from champions.teams import resolve_team

log = logging.getLogger(__name__)

commands = CommandTable()


def _home_only(ctx: CommandContext) -> None:
    """Adoption data (and the digest and dashboard that show it) is the home tenant's."""
    if not ctx.scope.is_home:
        raise UserFacingError(msg.NOT_YOUR_DATA)


@commands.command(
    "adoption",
    "summary",
    role=Role.ADMIN,
    usage="adoption summary [<team name>]",
    summary="adoption health, trends, champions and circles (tenant or one team)",
)
async def adoption_summary(ctx: CommandContext) -> None:
    _home_only(ctx)
    name = await _canonical_team_name(ctx, ctx.args.strip()) if ctx.args.strip() else None
    data = await summary_for(ctx.services, ctx.now, team=name)
    if not data.report.teams:
        raise UserFacingError(msg.NO_DATA)
    if name is None:
        card = build_tenant_summary_card(tenant_view(data))
    else:
        team = data.report.teams[0]
        view = await with_plan(ctx.services, data, team_view(data, team), team.id)
        card = build_team_summary_card(view)
    await ctx.reply_card(card, summary=msg.SUMMARY_TITLE)


async def _canonical_team_name(ctx: CommandContext, wanted: str) -> str:
    """The collected team's own name for ``wanted`` matched ignoring case and accents;
    otherwise ``wanted`` as typed (the report then answers with close names)."""
    facts = await AdoptionRepository(ctx.services.store).teams()
    match = resolve_team([{"id": t.id, "name": t.name} for t in facts], wanted)
    if match.team is not None and not match.message:
        return str(match.team["name"])
    return wanted


@commands.command(
    "adoption", "sync", role=Role.ADMIN, usage="adoption sync", summary="collect from Graph now"
)
async def adoption_sync(ctx: CommandContext) -> None:
    _home_only(ctx)
    # this conversation, under the key the directory stored its reference at this turn
    recipient = (reference_keys(ctx.activity) or [f"user:{ctx.user.aad_id}"])[0]
    command = ctx.command
    assert command is not None  # the router sets it before calling a handler

    async def post(outcome: SyncOutcome) -> None:
        answer = sync_answer(outcome, lambda error: ctx.services.router.answer(error, command, ""))
        delivery = await ctx.services.proactive.send(recipient, answer)
        log.info("adoption sync outcome to %s: %s", recipient, delivery.status)

    await start_sync(ctx.services, ctx.now, post)  # ConfigError, SyncBusyError: the error map
    await ctx.reply(msg.SYNC_STARTED)


def sync_answer(outcome: SyncOutcome, word: Callable[[Exception], str | None]) -> str:
    """The message that tells the admin how a background sync ended."""
    if outcome.result is None:
        error = outcome.error
        return (word(error) if error is not None else None) or msg.SYNC_UNEXPECTED
    result = outcome.result
    lines = [
        msg.SYNC_DONE.format(
            teams=result.teams,
            channels=result.channels,
            threads=result.threads,
            messages=result.messages,
            requests=result.requests,
        )
    ]
    if result.skipped_teams:
        lines.append(msg.SYNC_SKIPPED.format(count=len(result.skipped_teams)))
    if result.failed_teams:
        names = ", ".join(shown(name) for name in sorted(result.failed_teams)[:5])
        lines.append(msg.SYNC_FAILED_TEAMS.format(count=len(result.failed_teams), teams=names))
    return "\n\n".join(lines)


@commands.command(
    "digest", "on", role=Role.ADMIN, usage="digest on", summary="weekly adoption digest, Mondays"
)
async def digest_on(ctx: CommandContext) -> None:
    _home_only(ctx)
    zone = ctx.services.settings.timezone.key
    added = await digest.subscribe(ctx.services, ctx.user, ctx.now, ctx.scope)
    await ctx.reply((msg.DIGEST_ON if added else msg.DIGEST_ALREADY_ON).format(zone=zone))


@commands.command(
    "digest", "off", role=Role.ADMIN, usage="digest off", summary="stop the weekly digest"
)
async def digest_off(ctx: CommandContext) -> None:
    removed = await digest.unsubscribe(ctx.services, ctx.user)
    await ctx.reply(msg.DIGEST_OFF if removed else msg.DIGEST_ALREADY_OFF)


def dashboard_url(ctx: CommandContext) -> tuple[str, int]:
    """A link to the dashboard signed for the admin asking, and its expiry (Unix seconds)."""
    signer = signer_for(ctx.services.settings, ctx.services.signing_keys)
    query, expires = signer.link_query(ctx.user.aad_id.lower(), ctx.now)
    return f"{ctx.services.settings.base_url}/dashboard/?{query}", expires


@commands.command(
    "dashboard", role=Role.ADMIN, usage="dashboard", summary="a signed link to the dashboard"
)
async def dashboard(ctx: CommandContext) -> None:
    _home_only(ctx)
    url, expires = dashboard_url(ctx)
    zone = ctx.services.settings.timezone
    until = expiry_time(expires).astimezone(zone).strftime("%H:%M")
    answer = msg.DASHBOARD_LINK.format(expires=until, zone=zone.key, url=url)
    card = adaptive_card([text(answer)], [open_url(msg.DASHBOARD_BUTTON, url)])
    await ctx.reply_card(card, summary=msg.DASHBOARD_BUTTON)
