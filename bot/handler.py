"""The Teams activity handler: kept thin, it hands every message to the router."""

from __future__ import annotations

import html
import logging
import re
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import (
    Activity,
    AdaptiveCardInvokeResponse,
    AdaptiveCardInvokeValue,
    ChannelAccount,
)
from botbuilder.schema.teams import TeamInfo, TeamsChannelAccount

from audience import zone_from_entities
from bot.attachments import ADAPTIVE_CARD, card_fits, too_long_text
from bot.commands.core import help_card
from bot.context import CommandContext
from bot.delivery_report import AckLog
from bot.directory import USERS, tenant_of
from bot.installation import Installation
from bot.messages import core as msg
from bot.messages.user_text import echo
from bot.roles import UserRef
from bot.services import Services
from bot.storage.read_ahead import read_ahead
from bot.team_names import TeamNamer
from cards.mute import ACK

log = logging.getLogger(__name__)

_MESSAGE = "application/vnd.microsoft.activity.message"
_SPACES = re.compile(r"\s+")


def command_text(activity: Activity) -> str:
    """The message text with the bot's own @mention removed and white space folded."""
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        props = entity.additional_properties or {}
        if entity.type == "mention" and (props.get("mentioned") or {}).get("id") == bot_id:
            # Teams always sends the mention's text; without it, fall back to the usual tag
            # (replacing "" would put a space between every character).
            name = (props.get("mentioned") or {}).get("name")
            mention_text = props.get("text") or (f"<at>{name}</at>" if name else "")
            if isinstance(mention_text, str) and mention_text:
                text = text.replace(mention_text, " ")
    text = html.unescape(text.replace("&nbsp;", " "))
    return _SPACES.sub(" ", text).strip()


def _tenant_of(activity: Activity) -> str:
    tenant = getattr(activity.conversation, "tenant_id", None) if activity.conversation else None
    return tenant or ((activity.channel_data or {}).get("tenant") or {}).get("id", "")


class _TextInvokeResponse(AdaptiveCardInvokeResponse):
    """An invoke response whose ``value`` is a message string (botbuilder's model says
    dict, so serialising ``"Done"`` failed and Teams got a 500)."""

    _attribute_map = {  # noqa: RUF012 - msrest reads the class attribute
        **AdaptiveCardInvokeResponse._attribute_map,
        "value": {"key": "value", "type": "object"},
    }


def _invoke_error(message: str) -> _TextInvokeResponse:
    """The Universal Actions error answer: Teams shows it on the card, nothing is posted."""
    return _TextInvokeResponse(
        status_code=400,
        type="application/vnd.microsoft.error",
        value={"code": "BadRequest", "message": message},
    )


class TrimtabBot(TeamsActivityHandler):
    """Routes messages and card actions to commands; welcomes once per conversation."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._zones: dict[str, str] = {}  # zone last seen per person: no store read a turn
        self.team_names = TeamNamer(services.directory)
        self.installation = Installation(services)

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        async with read_ahead(self.services.store, self._turn_reads(activity)):
            await self.services.directory.remember(activity)
            await self._learn_zone(activity)
            if activity.type == "message":
                await self.team_names.on_activity(turn_context)
            await super().on_turn(turn_context)

    def _turn_reads(self, activity: Activity) -> list[tuple[str, str]]:
        """What every turn reads (who the sender is, their role, their circles): one round
        trip on PostgreSQL instead of one each (``bot.storage.read_ahead``)."""
        sender = activity.from_property
        aad_id = (sender.aad_object_id or sender.id or "") if sender else ""
        reads = self.services.directory.entries_of(activity)
        if aad_id:
            reads += [(USERS, aad_id.lower()), *self.services.roles.entries_of(aad_id)]
            memberships = self.services.circles.repo.memberships
            reads.append(memberships.entry_of(_tenant_of(activity), aad_id.lower()))
        return reads

    async def _learn_zone(self, activity: Activity) -> None:
        """The zone the person's Teams client reports (``clientInfo``), unless they set one."""
        sender = activity.from_property
        entities = [
            {"type": e.type, **(e.additional_properties or {})} for e in activity.entities or []
        ]
        zone = zone_from_entities(entities)
        if zone is None or sender is None or not sender.aad_object_id:
            return
        aad = sender.aad_object_id.lower()
        if self._zones.get(aad) == zone:
            return
        await self.services.preferences.change(
            _tenant_of(activity), aad, lambda stored: stored.with_client_zone(zone)
        )
        self._zones[aad] = zone

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        value = turn_context.activity.value if isinstance(turn_context.activity.value, dict) else {}
        text = (
            str(value.get("command", ""))
            if value.get("command")
            else command_text(turn_context.activity)
        )
        await self.dispatch(turn_context, text, value)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        """``adaptiveCard/action`` runs a command; any other invoke is acknowledged, unused."""
        activity = turn_context.activity
        if activity.name != "adaptiveCard/action":
            log.info("ignored an invoke named %r", (activity.name or "")[:80])
            return InvokeResponse(status=200)
        # botbuilder's own path serialises the body and CloudAdapter serialises it again,
        # which fails on the dict: hand the adapter the model, serialised once.
        value = activity.value if isinstance(activity.value, dict) else None
        action = value.get("action") if value is not None else None
        if (
            not isinstance(action, dict)
            or action.get("type") != "Action.Execute"
            or not isinstance(action.get("verb", ""), str)
            or not isinstance(action.get("data") or {}, dict)
        ):
            log.warning("refused a malformed adaptiveCard/action invoke")
            return InvokeResponse(status=200, body=_invoke_error("action is missing or malformed"))
        invoke_value = AdaptiveCardInvokeValue(action=action)
        body = await self.on_adaptive_card_invoke(turn_context, invoke_value)
        return InvokeResponse(status=200, body=body)

    async def on_adaptive_card_invoke(
        self, turn_context: TurnContext, invoke_value: AdaptiveCardInvokeValue
    ) -> AdaptiveCardInvokeResponse:
        # botbuilder deserialises ``action`` as a plain dict ({"type", "verb", "data"}).
        action: dict[str, Any] = dict(invoke_value.action or {})
        data = dict(action.get("data") or {})
        ctx = await self.dispatch(turn_context, str(action.get("verb") or ""), data)
        refreshed = ctx.refreshed_card if ctx is not None else None
        if refreshed is None:
            return _TextInvokeResponse(status_code=200, type=_MESSAGE, value="Done")
        if not card_fits(refreshed, where="card refresh"):  # never send an oversize card
            return _TextInvokeResponse(status_code=200, type=_MESSAGE, value=too_long_text())
        return AdaptiveCardInvokeResponse(status_code=200, type=ADAPTIVE_CARD, value=refreshed)

    async def dispatch(
        self, turn_context: TurnContext, text: str, value: dict[str, Any]
    ) -> CommandContext | None:
        """Find the command in ``text``, check the role, run it; answer bad input politely."""
        ctx = await self._context(turn_context, value)
        if isinstance(value.get(ACK), str):  # acted on a proactive card: count it
            await AckLog(self.services.store).record(value[ACK], ctx.user.aad_id, ctx.now)
        if not text:
            await ctx.reply_card(help_card(ctx, lead=msg.EMPTY_MESSAGE))
            return ctx
        match = self.services.router.match(text)
        if match is None:
            suggestions = self.services.router.suggest(text, role=ctx.role)
            lead = msg.UNKNOWN_COMMAND.format(text=echo(text, code=True))
            if suggestions:
                names = " or ".join(f"`{c.usage}`" for c in suggestions)
                lead += " " + msg.DID_YOU_MEAN.format(suggestions=names)
            await ctx.reply_card(help_card(ctx, lead=lead), summary=lead)
            return ctx
        ctx.command, ctx.args = match.command, match.args
        if ctx.role < match.command.role:
            await ctx.reply(
                msg.ROLE_REQUIRED.format(
                    command=match.command.name,
                    role=match.command.role.label,
                    current=ctx.role.label,
                )
            )
            return ctx
        try:
            await match.command.handler(ctx)
        except Exception as error:
            answer = self.services.router.answer(error, match.command, match.args)
            if answer is None:
                raise
            await ctx.reply(answer)
        return ctx

    async def _context(self, turn_context: TurnContext, value: dict[str, Any]) -> CommandContext:
        user = await self._identify(turn_context)
        scope = await self.services.tenancy.scope(tenant_of(turn_context.activity))
        role = await self.services.roles.role_of(user, scope)
        return CommandContext(
            turn=turn_context,
            services=self.services,
            user=user,
            role=role,
            now=self.services.clock(),
            scope=scope,
            value=value,
        )

    async def _identify(self, turn_context: TurnContext) -> UserRef:
        sender = turn_context.activity.from_property
        aad_id = (sender.aad_object_id or sender.id or "").lower()
        stored = await self.services.directory.user(aad_id) or {}
        upn = stored.get("upn", "")
        wants_upn = any("@" in admin for admin in self.services.settings.admins)
        if wants_upn and not upn and sender.aad_object_id:
            try:
                member = await TeamsInfo.get_member(turn_context, sender.id)
                upn = (member.user_principal_name or "").lower()
                stored.update(upn=upn)
                await self.services.directory.save_user(aad_id, stored)
            except Exception:  # the roster lookup is best effort
                log.warning("could not look up the UPN of %s", aad_id, exc_info=True)
        return UserRef(aad_id=aad_id, teams_id=sender.id, name=sender.name or "", upn=upn)

    # --- installation, membership and welcome --------------------------------------------

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self.installation.installed(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        team_id = ((turn_context.activity.channel_data or {}).get("team") or {}).get("id")
        if team_id:
            await self.services.directory.update_team(team_id, installed=False)

    async def on_teams_members_added_dispatch(
        self, members_added: list[ChannelAccount], team_info: TeamInfo, turn_context: TurnContext
    ) -> None:
        """Skip botbuilder's per-member ``get_member`` lookups.

        They cost one connector call per person (a big team joining at once) and a
        member Teams cannot resolve yet would fail the turn and post an error into
        the channel. The roster comes from ``get_paged_members`` instead.
        """
        accounts = [TeamsChannelAccount().deserialize(m.serialize()) for m in members_added]
        await self.on_teams_members_added(accounts, team_info, turn_context)

    async def on_teams_members_added(
        self,
        teams_members_added: list[TeamsChannelAccount],
        team_info: TeamInfo,
        turn_context: TurnContext,
    ) -> None:
        bot_id = turn_context.activity.recipient.id
        if any(member.id == bot_id for member in teams_members_added):
            await self.installation.installed(turn_context)
        elif team_info and team_info.id:
            await self.installation.sync_roster(turn_context, team_info.id)

    async def on_teams_members_removed(
        self,
        teams_members_removed: list[TeamsChannelAccount],
        team_info: TeamInfo,
        turn_context: TurnContext,
    ) -> None:
        bot_id = turn_context.activity.recipient.id
        if team_info and team_info.id:
            if any(member.id == bot_id for member in teams_members_removed):
                await self.services.directory.update_team(team_info.id, installed=False)
            else:
                await self.installation.sync_roster(turn_context, team_info.id)

    async def on_teams_team_renamed(self, team_info: TeamInfo, turn_context: TurnContext) -> None:
        await self.team_names.refresh(turn_context, team_info.id, fallback=team_info.name)
