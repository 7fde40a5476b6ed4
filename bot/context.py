"""The one object every command handler receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity, ChannelAccount, Mention, ResourceResponse

from bot.attachments import card_message
from bot.directory import tenant_of
from bot.roles import Role, UserRef
from bot.router import Command
from bot.services import Services
from champions import TenantScope


@dataclass
class CommandContext:
    """A command being handled: who asked, where, what they typed, and the services."""

    turn: TurnContext
    services: Services
    user: UserRef
    role: Role
    now: datetime
    #: the tenant this turn belongs to: every read a handler makes is scoped by it
    scope: TenantScope
    command: Command | None = None
    args: str = ""
    value: dict[str, Any] = field(default_factory=dict)
    #: For ``Action.Execute`` invokes: the card that replaces the one the user clicked.
    refreshed_card: dict[str, Any] | None = None

    @property
    def activity(self) -> Activity:
        return self.turn.activity

    @property
    def conversation_type(self) -> str:
        """``personal``, ``groupChat`` or ``channel``."""
        return self.activity.conversation.conversation_type or "personal"

    @property
    def tenant_id(self) -> str:
        """The tenant as Teams sent it (circles are stored with it as given)."""
        return tenant_of(self.activity)

    @property
    def team_id(self) -> str | None:
        """The Teams team id (``19:…@thread.…``) when the message came from a channel."""
        data = self.activity.channel_data or {}
        return (data.get("team") or {}).get("id")

    def mentions(self) -> list[Mention]:
        """People @mentioned in the message, the bot itself excluded.

        botbuilder keeps a mention's ``mentioned`` and ``text`` in the entity's
        ``additional_properties`` (``Entity.serialize()`` drops them), so read them there.
        """
        bot_id = self.activity.recipient.id if self.activity.recipient else None
        found: list[Mention] = []
        for entity in self.activity.entities or []:
            props = entity.additional_properties or {}
            who = props.get("mentioned") or {}
            if entity.type != "mention" or not who.get("id") or who["id"] == bot_id:
                continue
            account = ChannelAccount(
                id=who["id"], name=who.get("name", ""), aad_object_id=who.get("aadObjectId")
            )
            found.append(Mention(mentioned=account, text=props.get("text"), type="mention"))
        return found

    async def reply(self, text: str) -> ResourceResponse | None:
        """Answer with plain text (Markdown as Teams renders it)."""
        return await self.turn.send_activity(MessageFactory.text(text))

    async def reply_card(
        self, card: dict[str, Any], *, summary: str = ""
    ) -> ResourceResponse | None:
        """Answer with an Adaptive Card (``summary`` shows in notifications).

        A card over Teams' size limit is replaced by a short text (see :mod:`bot.attachments`).
        """
        where = f"reply to {self.command.name}" if self.command else "reply"
        return await self.turn.send_activity(card_message(card, summary=summary, where=where))
