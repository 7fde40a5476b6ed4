"""Who and where: conversation references, users and teams that survive a restart.

Every turn saves the conversation reference (only when it changed), keyed so
that later proactive messages can find it:

    ``user:<aad object id>``   the user's 1:1 chat with the bot
    ``chat:<conversation id>``  a group chat
    ``team:<team id>``          a team's General channel (its id is the team id)
    ``channel:<channel id>``    any other channel the bot was used in

Users (``bot.users``) and teams (``bot.teams``) keep names, service URLs, tenant
ids and rosters current from messages, ``conversationUpdate`` and
``installationUpdate``.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference

from bot.storage import DocumentStore
from champions import TenantScope

REFERENCES = "bot.references"
USERS = "bot.users"
TEAMS = "bot.teams"
UNREACHABLE = "bot.unreachable"  # written by bot.proactive; cleared here when they come back


def reference_keys(activity: Activity) -> list[str]:
    """The directory keys this activity's conversation is reachable under."""
    conv = activity.conversation
    kind = conv.conversation_type or "personal"
    data = activity.channel_data or {}
    if kind == "personal":
        aad = activity.from_property.aad_object_id if activity.from_property else None
        return [f"user:{aad.lower()}"] if aad else []
    if kind == "groupChat":
        return [f"chat:{conv.id}"]
    team_id = (data.get("team") or {}).get("id")
    channel_id = (data.get("channel") or {}).get("id") or conv.id.split(";")[0]
    keys = [f"channel:{channel_id}"]
    if team_id and channel_id == team_id:
        keys.append(f"team:{team_id}")
    return keys


class Directory:
    """Stored conversation references, users and teams."""

    def __init__(self, store: DocumentStore) -> None:
        self.store = store
        self._written: dict[tuple[str, str], str] = {}  # (collection, key) -> last JSON written
        self._fingerprints: dict[tuple[str, ...], tuple[Any, ...]] = {}  # reference keys -> seen

    async def _put_if_changed(self, collection: str, key: str, doc: dict[str, Any]) -> None:
        encoded = json.dumps(doc, sort_keys=True)
        if self._written.get((collection, key)) == encoded:
            return
        await self.store.put(collection, key, doc)
        self._written[(collection, key)] = encoded

    async def remember(self, activity: Activity) -> None:
        """Save the conversation reference and what the activity tells about user and team."""
        keys = tuple(reference_keys(activity))
        fingerprint = _reference_fingerprint(activity)
        if self._fingerprints.get(keys) != fingerprint:  # serialising a reference is not free
            reference = TurnContext.get_conversation_reference(activity)
            reference.activity_id = None  # a reference points at the conversation, not a message
            ref_doc = reference.serialize()
            # A channel post's id is "<channel>;messageid=<root>": keep the channel, so a
            # proactive message starts a new post instead of replying in the last thread.
            ref_doc["conversation"]["id"] = fingerprint[0]
            for key in keys:
                await self._put_if_changed(REFERENCES, key, ref_doc)
            self._fingerprints[keys] = fingerprint
        for key in keys:  # they talk to us (or installed us) again
            if await self.store.get(UNREACHABLE, key) is not None:
                await self.store.delete(UNREACHABLE, key)
        sender = activity.from_property
        if sender and sender.aad_object_id and activity.type == "message":
            user = await self.user(sender.aad_object_id) or {}
            user.update(
                aad_id=sender.aad_object_id.lower(),
                teams_id=sender.id,
                name=sender.name or user.get("name", ""),
                service_url=activity.service_url,
                tenant_id=tenant_of(activity),
            )
            await self._put_if_changed(USERS, sender.aad_object_id.lower(), user)
        team = (activity.channel_data or {}).get("team") or {}
        if team.get("id"):
            await self.update_team(team["id"], activity=activity, name=team.get("name"))

    @staticmethod
    def entries_of(activity: Activity) -> list[tuple[str, str]]:
        """The ``(collection, key)`` documents :meth:`remember` reads for ``activity``."""
        entries = [(UNREACHABLE, key) for key in reference_keys(activity)]
        sender = activity.from_property
        if sender and sender.aad_object_id:
            entries.append((USERS, sender.aad_object_id.lower()))
        return entries

    async def reference(self, key: str) -> ConversationReference | None:
        doc = await self.store.get(REFERENCES, key)
        return ConversationReference().deserialize(doc) if doc else None

    async def save_reference(self, key: str, reference: ConversationReference) -> None:
        """Store a reference learnt outside a turn (e.g. a 1:1 chat the bot created)."""
        await self._put_if_changed(REFERENCES, key, reference.serialize())

    async def user(self, aad_id: str) -> dict[str, Any] | None:
        return await self.store.get(USERS, aad_id.lower())

    async def users(self, scope: TenantScope | None = None) -> dict[str, dict[str, Any]]:
        """Every user the bot has met (in the scope's tenant), by lower-case AAD object id."""
        found = await self.store.all(USERS)
        return {k: d for k, d in found.items() if scope is None or scope.holds(d.get("tenant_id"))}

    async def save_user(self, aad_id: str, doc: dict[str, Any]) -> None:
        await self._put_if_changed(USERS, aad_id.lower(), doc)

    async def team(self, team_id: str) -> dict[str, Any] | None:
        return await self.store.get(TEAMS, team_id)

    async def teams(
        self, *, installed_only: bool = True, scope: TenantScope | None = None
    ) -> list[dict[str, Any]]:
        """The teams the bot is (or was) in, of the scope's tenant when given."""
        docs = (await self.store.all(TEAMS)).values()
        return [
            d
            for d in docs
            if (d.get("installed", True) or not installed_only)
            and (scope is None or scope.holds(d.get("tenant_id")))
        ]

    async def update_team(
        self,
        team_id: str,
        *,
        activity: Activity | None = None,
        name: str | None = None,
        installed: bool | None = None,
        members: list[dict[str, str]] | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """Merge what is known about a team into its stored document."""
        doc = await self.team(team_id) or {"id": team_id, "name": team_id, "installed": True}
        if name:
            doc["name"] = name
        if installed is not None:
            doc["installed"] = installed
        if activity is not None:
            team = (activity.channel_data or {}).get("team") or {}
            doc["aad_group_id"] = team.get("aadGroupId", doc.get("aad_group_id"))
            doc["service_url"] = activity.service_url
            doc["tenant_id"] = tenant_of(activity)
        if members is not None:
            doc["members"] = members
            doc["members_synced_at"] = now.isoformat() if now else None
        await self._put_if_changed(TEAMS, team_id, doc)
        return doc


def _reference_fingerprint(activity: Activity) -> tuple[Any, ...]:
    """Everything a conversation reference is built from, with the channel thread id cut off."""
    conv, sender, bot = activity.conversation, activity.from_property, activity.recipient
    return (
        conv.id.split(";")[0] if conv.conversation_type == "channel" else conv.id,
        conv.conversation_type,
        conv.tenant_id,
        conv.is_group,
        conv.name,
        activity.service_url,
        activity.channel_id,
        activity.locale,
        (sender.id, sender.name, sender.aad_object_id) if sender else None,
        (bot.id, bot.name) if bot else None,
    )


def tenant_of(activity: Activity) -> str:
    """The tenant an activity comes from (``conversation.tenantId``, else ``channelData``)."""
    tenant = getattr(activity.conversation, "tenant_id", None)
    return tenant or ((activity.channel_data or {}).get("tenant") or {}).get("id", "")
