"""Recipients: parse directory keys and find (or create) their conversation reference.

A recipient is a directory key (see :mod:`bot.directory`)::

    user:<aad object id>   the user's 1:1 chat (created through the connector if needed)
    team:<team id>         the team's General channel
    chat:<chat id>         a group chat
    channel:<channel id>   a channel the bot was used in

Errors: a malformed key raises ``ValueError`` (a programming error); a key that
names nobody the bot knows raises :class:`UnknownRecipient`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from botbuilder.schema import ChannelAccount, ConversationReference

from bot.directory import Directory

_RECIPIENT = re.compile(r"^(user|team|chat|channel):(\S+)$")


class UnknownRecipient(Exception):
    """Nothing in the directory says how to reach this recipient."""


@dataclass(frozen=True)
class NewChat:
    """What is needed to create a user's 1:1 chat: where, which tenant, which member."""

    service_url: str
    tenant_id: str
    member: ChannelAccount


def parse_recipient(recipient: str) -> str:
    """Return the normalised key (user ids lower-cased) or raise ``ValueError``."""
    if not isinstance(recipient, str):
        raise ValueError(f"recipient must be a directory key string, not {type(recipient)!r}")
    match = _RECIPIENT.match(recipient)
    if not match:
        raise ValueError(
            f"malformed recipient {recipient!r}: expected 'user:<aad id>', 'team:<team id>', "
            "'chat:<chat id>' or 'channel:<channel id>'"
        )
    kind, ident = match.groups()
    return f"user:{ident.lower()}" if kind == "user" else recipient


def tenant_of(reference: ConversationReference) -> str:
    """The tenant a reference belongs to ('' when unknown), for the tenant-wide limit."""
    conversation = reference.conversation
    return (getattr(conversation, "tenant_id", None) or "") if conversation else ""


async def new_chat_for(directory: Directory, recipient: str) -> NewChat:
    """How to create ``user:<aad>``'s 1:1 chat, from ``bot.users`` or a team roster."""
    if not recipient.startswith("user:"):
        raise UnknownRecipient(
            f"no conversation reference for {recipient}: the bot has not been used there "
            "(only a user's 1:1 chat can be created proactively)"
        )
    aad = recipient.removeprefix("user:")
    user = await directory.user(aad) or {}
    if user.get("service_url") and user.get("tenant_id"):
        member_id = user.get("teams_id") or aad
        return NewChat(
            user["service_url"],
            user["tenant_id"],
            ChannelAccount(id=member_id, aad_object_id=aad, name=user.get("name") or None),
        )
    for team in await directory.teams(installed_only=True):
        if not (team.get("service_url") and team.get("tenant_id")):
            continue
        for member in team.get("members") or []:
            if (member.get("aad_id") or "").lower() == aad:
                # Teams accepts the AAD object id as member id in the personal scope.
                account = ChannelAccount(
                    id=member.get("teams_id") or aad,
                    aad_object_id=aad,
                    name=member.get("name") or None,
                )
                return NewChat(team["service_url"], team["tenant_id"], account)
    raise UnknownRecipient(
        f"no conversation reference for {recipient} and the user is unknown "
        "(not in bot.users with a service URL and tenant, nor in an installed team's roster)"
    )
