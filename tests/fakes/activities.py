"""Teams-shaped activities for scenario tests.

The shapes follow the recorded payloads in ``../shared/teams_activities/``
(``test_fakes_faithful.py`` checks that they keep the same keys): a personal
message, a group-chat message, a channel message with the bot's ``<at>``
mention, card submits, ``adaptiveCard/action`` invokes and install events.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT_ID = "28:eac5e5c6-ab14-4f50-80cb-49213fe51b1a"
BOT_NAME = "Trimtab"


@dataclass(frozen=True)
class Person:
    name: str
    aad_id: str

    @property
    def teams_id(self) -> str:
        """A Teams user id (``29:1…``), unique per person (derived from the whole AAD id)."""
        return f"29:1{self.aad_id.replace('-', '')}"

    def account(self) -> dict[str, str]:
        return {"id": self.teams_id, "name": self.name, "aadObjectId": self.aad_id}

    @property
    def personal_conversation(self) -> str:
        return f"a:personal-{self.teams_id}"


@dataclass(frozen=True)
class Team:
    name: str
    id: str
    aad_group_id: str

    @property
    def general_channel(self) -> str:
        return self.id


ADELE = Person("Adele Vance", "6b703ce3-6d14-4fe6-b90c-dc5f03657ae4")
MEGAN = Person("Megan Bowen", "a1b2c3d4-0000-4000-8000-000000000002")
LEE = Person("Lee Gu", "a1b2c3d4-0000-4000-8000-000000000003")
ALEX = Person("Alex Wilber", "a1b2c3d4-0000-4000-8000-000000000004")
NESTOR = Person("Nestor Wilke", "a1b2c3d4-0000-4000-8000-000000000005")
PATTI = Person("Patti Fernandez", "a1b2c3d4-0000-4000-8000-000000000006")
GRADY = Person("Grady Archie", "a1b2c3d4-0000-4000-8000-000000000007")

MY_TEAM = Team(
    "My Team",
    "19:097e6717fd7245bdbeba6baa13840db8@thread.skype",
    "da849743-4259-475f-ae7a-4f4b0fb49943",
)
GROUP_CHAT_ID = "19:group-chat-7c1a2f@thread.v2"

_ids = itertools.count(1571537152320)


class ActivityFactory:
    """Builds activities whose ``serviceUrl`` points at the fake connector.

    ``tenant_id`` goes where Teams puts it (``conversation.tenantId`` and
    ``channelData.tenant.id``); :meth:`in_tenant` gives a factory for another organisation.
    """

    def __init__(self, service_url: str, tenant_id: str = TENANT_ID) -> None:
        self.service_url = service_url
        self.tenant_id = tenant_id
        self.zones: dict[str, str] = {}
        """Per AAD id: the ``timezone`` their Teams client reports in ``clientInfo``."""

    def in_tenant(self, tenant_id: str) -> ActivityFactory:
        """The same connector, activities from people of ``tenant_id``."""
        other = ActivityFactory(self.service_url, tenant_id)
        other.zones = self.zones
        return other

    def _base(self, kind: str, sender: Person, conversation: dict[str, Any]) -> dict[str, Any]:
        activity_id = str(next(_ids))
        client_info: dict[str, Any] = {
            "locale": "en-US",
            "country": "US",
            "platform": "Web",
            "type": "clientInfo",
        }
        if sender.aad_id in self.zones:
            client_info["timezone"] = self.zones[sender.aad_id]
        return {
            "type": kind,
            "id": activity_id,
            "timestamp": "2026-11-23T09:00:00.000Z",
            "localTimestamp": "2026-11-23T10:00:00.000+01:00",
            "channelId": "msteams",
            "serviceUrl": self.service_url,
            "from": sender.account(),
            "conversation": {"tenantId": self.tenant_id, **conversation},
            "recipient": {"id": BOT_ID, "name": BOT_NAME},
            "entities": [client_info],
            "channelData": {"tenant": {"id": self.tenant_id}},
            "locale": "en-US",
        }

    def personal(
        self, sender: Person, text: str | None = None, *, value: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        activity = self._base(
            "message", sender, {"conversationType": "personal", "id": sender.personal_conversation}
        )
        activity["textFormat"] = "plain"
        if text is not None:
            activity["text"] = text
        if value is not None:
            activity["value"] = value
        return activity

    def group(
        self, sender: Person, text: str, *, chat_id: str = GROUP_CHAT_ID, mention_bot: bool = True
    ) -> dict[str, Any]:
        activity = self._base(
            "message", sender, {"isGroup": True, "conversationType": "groupChat", "id": chat_id}
        )
        activity["textFormat"] = "plain"
        activity["text"] = f"<at>{BOT_NAME}</at> {text}" if mention_bot else text
        if mention_bot:
            activity["entities"].insert(0, _mention(BOT_ID, BOT_NAME))
        return activity

    def channel(
        self,
        sender: Person,
        text: str,
        *,
        team: Team = MY_TEAM,
        mentions: list[Person] = (),  # type: ignore[assignment]
        team_name: bool = True,
    ) -> dict[str, Any]:
        """A new channel post in the team's General channel that @mentions the bot first.

        ``team_name=False``: as recorded from Teams, ``channelData.team`` carries only the id.
        """
        conversation_id = f"{team.general_channel};messageid={self_id()}"
        activity = self._base(
            "message",
            sender,
            {"isGroup": True, "conversationType": "channel", "id": conversation_id},
        )
        activity["textFormat"] = "plain"
        words = [f"<at>{BOT_NAME}</at>", text]
        activity["entities"].insert(0, _mention(BOT_ID, BOT_NAME))
        for person in mentions:
            activity["entities"].insert(1, _mention(person.teams_id, person.name))
        activity["text"] = " ".join(words) + "\n"
        activity["channelData"] = _team_channel_data(team, self.tenant_id)
        if not team_name:
            del activity["channelData"]["team"]["name"]
        return activity

    def mention_text(self, person: Person) -> str:
        return f"<at>{person.name}</at>"

    def submit(
        self, sender: Person, value: dict[str, Any], *, conversation: str | None = None
    ) -> dict[str, Any]:
        """What Teams sends for an ``Action.Submit`` click in a personal chat."""
        activity = self.personal(sender, None, value=value)
        if conversation:
            activity["conversation"]["id"] = conversation
        activity["replyToId"] = "activity-clicked"
        return activity

    def execute(self, sender: Person, verb: str, data: dict[str, Any]) -> dict[str, Any]:
        """An ``adaptiveCard/action`` invoke (``Action.Execute``) from a personal chat."""
        activity = self._base(
            "invoke", sender, {"conversationType": "personal", "id": sender.personal_conversation}
        )
        activity["name"] = "adaptiveCard/action"
        activity["replyToId"] = "activity-clicked"
        activity["value"] = {
            "action": {"type": "Action.Execute", "verb": verb, "data": data},
            "trigger": "manual",
        }
        return activity

    def bot_added_to_team(self, installer: Person, *, team: Team = MY_TEAM) -> dict[str, Any]:
        activity = self._base(
            "conversationUpdate",
            installer,
            {"isGroup": True, "conversationType": "channel", "id": team.general_channel},
        )
        activity["membersAdded"] = [{"id": BOT_ID}]
        activity["channelData"] = {
            **_team_channel_data(team, self.tenant_id),
            "eventType": "teamMemberAdded",
        }
        return activity

    def bot_installed_personal(self, user: Person) -> dict[str, Any]:
        activity = self._base(
            "conversationUpdate",
            user,
            {"conversationType": "personal", "id": user.personal_conversation},
        )
        activity["membersAdded"] = [
            {"id": BOT_ID},
            {"id": user.teams_id, "aadObjectId": user.aad_id},
        ]
        return activity

    def bot_added_to_group(
        self, installer: Person, *, chat_id: str = GROUP_CHAT_ID
    ) -> dict[str, Any]:
        activity = self._base(
            "conversationUpdate",
            installer,
            {"isGroup": True, "conversationType": "groupChat", "id": chat_id},
        )
        activity["membersAdded"] = [{"id": BOT_ID}]
        return activity

    def members_added_to_team(
        self, people: list[Person], *, team: Team = MY_TEAM
    ) -> dict[str, Any]:
        activity = self._base(
            "conversationUpdate",
            people[0],
            {"isGroup": True, "conversationType": "channel", "id": team.general_channel},
        )
        activity["membersAdded"] = [{"id": p.teams_id, "aadObjectId": p.aad_id} for p in people]
        activity["channelData"] = {
            **_team_channel_data(team, self.tenant_id),
            "eventType": "teamMemberAdded",
        }
        return activity

    def bot_removed_from_team(self, by: Person, *, team: Team = MY_TEAM) -> dict[str, Any]:
        activity = self._base(
            "conversationUpdate",
            by,
            {"isGroup": True, "conversationType": "channel", "id": team.general_channel},
        )
        activity["membersRemoved"] = [{"id": BOT_ID}]
        activity["channelData"] = {
            **_team_channel_data(team, self.tenant_id),
            "eventType": "teamMemberRemoved",
        }
        return activity


def self_id() -> str:
    return str(next(_ids))


def _mention(teams_id: str, name: str) -> dict[str, Any]:
    return {
        "mentioned": {"id": teams_id, "name": name},
        "text": f"<at>{name}</at>",
        "type": "mention",
    }


def _team_channel_data(team: Team, tenant_id: str = TENANT_ID) -> dict[str, Any]:
    return {
        "teamsChannelId": team.general_channel,
        "teamsTeamId": team.id,
        "channel": {"id": team.general_channel},
        "team": {"id": team.id, "name": team.name, "aadGroupId": team.aad_group_id},
        "tenant": {"id": tenant_id},
    }


def installation_update(
    factory: ActivityFactory,
    by: Person,
    action: str = "add",
    *,
    scope: str = "team",
    team: Team = MY_TEAM,
    chat_id: str = GROUP_CHAT_ID,
) -> dict[str, Any]:
    """``installationUpdate`` (``add``/``remove``) in ``personal``, ``groupChat`` or ``team``
    scope, shaped like ``installationUpdate-add-team.docs.json``."""
    if scope == "personal":
        conversation: dict[str, Any] = {
            "conversationType": "personal",
            "id": by.personal_conversation,
        }
    elif scope == "groupChat":
        conversation = {"isGroup": True, "conversationType": "groupChat", "id": chat_id}
    else:
        conversation = {
            "isGroup": True,
            "conversationType": "channel",
            "id": team.general_channel,
            "name": "General",
        }
    activity = factory._base("installationUpdate", by, conversation)
    activity["action"] = action
    if scope == "team":
        activity["channelData"] = {
            "settings": {"selectedChannel": {"id": team.general_channel}},
            **_team_channel_data(team, factory.tenant_id),
            "source": {"name": "message"},
        }
    return activity


def team_renamed(
    factory: ActivityFactory, by: Person, *, team: Team, new_name: str
) -> dict[str, Any]:
    """``conversationUpdate`` with ``eventType: teamRenamed``; the new name is in ``team``."""
    activity = factory._base(
        "conversationUpdate",
        by,
        {"isGroup": True, "conversationType": "channel", "id": team.general_channel},
    )
    renamed = Team(new_name, team.id, team.aad_group_id)
    activity["channelData"] = {
        **_team_channel_data(renamed, factory.tenant_id),
        "eventType": "teamRenamed",
    }
    return activity
