"""Installation: the team and its roster stored, one welcome per conversation.

The roster comes from ``TeamsInfo.get_paged_members`` (best effort: a failure is logged
and never breaks the turn); ``bot.welcomed`` records which conversations were welcomed,
claimed with ``insert_if_absent`` so two instances never welcome twice.
"""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity

from bot.attachments import card_message
from bot.messages import core as msg
from bot.messages.user_text import shown
from bot.services import Services
from cards.welcome import build_welcome_card

log = logging.getLogger("bot.handler")

WELCOMED = "bot.welcomed"


class Installation:
    """What the bot does when it is installed or a team's members change."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def installed(self, turn_context: TurnContext) -> None:
        """The bot was added: store the team and its roster, welcome the conversation once."""
        activity = turn_context.activity
        team = (activity.channel_data or {}).get("team") or {}
        if team.get("id"):
            await self.services.directory.update_team(
                team["id"], activity=activity, name=team.get("name"), installed=True
            )
            await self.sync_roster(turn_context, team["id"])
        first_time = await self.services.store.insert_if_absent(
            WELCOMED, activity.conversation.id, {"at": self.services.clock().isoformat()}
        )
        if first_time:
            await turn_context.send_activity(self.welcome(activity, team.get("name")))

    def welcome(self, activity: Activity, team_name: str | None) -> Activity:
        """The welcome card for a personal chat, a group chat or a team."""
        kind = activity.conversation.conversation_type or "personal"
        bot = self.services.settings.bot_name
        if kind == "channel":
            message = msg.WELCOME_TEAM.format(team=shown(team_name) if team_name else "this team")
        elif kind == "groupChat":
            message = msg.WELCOME_GROUP
        else:
            message = msg.WELCOME_PERSONAL
        card = build_welcome_card(
            title=msg.WELCOME_TITLE.format(bot=bot), message=message, personal=kind == "personal"
        )
        return card_message(card, where="welcome")

    async def sync_roster(self, turn_context: TurnContext, team_id: str) -> None:
        """Keep the team's roster (AAD ids and names) current; best effort."""
        members: list[dict[str, str]] = []
        token = None
        try:
            while True:
                page = await TeamsInfo.get_paged_members(turn_context, token, 500)
                for member in page.members or []:
                    members.append(
                        {"aad_id": (member.aad_object_id or "").lower(), "name": member.name or ""}
                    )
                token = page.continuation_token
                if not token:
                    break
        except Exception:  # roster sync must not break the turn
            log.warning("could not read the roster of team %s", team_id, exc_info=True)
            return
        await self.services.directory.update_team(
            team_id, members=members, now=self.services.clock()
        )
