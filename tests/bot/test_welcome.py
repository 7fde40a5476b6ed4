"""Welcome, install and roster events in every scope, and references across a restart."""

from __future__ import annotations

from pathlib import Path

from botbuilder.core import MessageFactory, TurnContext

from bot.directory import REFERENCES
from bot.storage import TinyDBStore
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import (
    ADELE,
    ALEX,
    GROUP_CHAT_ID,
    LEE,
    MEGAN,
    MY_TEAM,
    Person,
    installation_update,
    team_renamed,
)
from tests.fakes.connector import FakeConnector


def welcomes(connector: FakeConnector) -> list[str]:
    """Conversation ids that received a welcome card."""
    return [s.conversation_id for s in connector.sent if "I'm Trimtab" in s.all_text()]


def seed_roster(connector: FakeConnector, people: list[Person]) -> None:
    for person in people:
        connector.add_member(person.teams_id, person.name, person.aad_id)


def crowd(n: int) -> list[Person]:
    return [Person(f"Person {i:02d}", f"c0ffee00-0000-4000-8000-{i:012d}") for i in range(n)]


async def test_personal_install_welcomes_once(trimtab: Trimtab) -> None:
    await trimtab.send(installation_update(trimtab.teams, MEGAN, scope="personal"))
    await trimtab.send(trimtab.teams.bot_installed_personal(MEGAN))
    await trimtab.send(trimtab.teams.bot_installed_personal(MEGAN))
    assert welcomes(trimtab.connector) == [MEGAN.personal_conversation]
    reference = await trimtab.services.directory.reference(f"user:{MEGAN.aad_id}")
    assert reference is not None
    assert reference.conversation.id == MEGAN.personal_conversation


async def test_group_chat_install_welcomes_once_and_not_per_member(trimtab: Trimtab) -> None:
    await trimtab.send(trimtab.teams.bot_added_to_group(ADELE))
    await trimtab.send(installation_update(trimtab.teams, ADELE, scope="groupChat"))
    added = trimtab.teams.bot_added_to_group(ADELE)
    added["membersAdded"] = [{"id": LEE.teams_id, "aadObjectId": LEE.aad_id}]
    seed_roster(trimtab.connector, [LEE])
    await trimtab.send(added)
    assert welcomes(trimtab.connector) == [GROUP_CHAT_ID]
    assert await trimtab.services.directory.reference(f"chat:{GROUP_CHAT_ID}") is not None


async def test_team_install_welcomes_once_and_stores_team_and_roster(trimtab: Trimtab) -> None:
    seed_roster(trimtab.connector, [ADELE, MEGAN, LEE])
    await trimtab.send(trimtab.teams.bot_added_to_team(ADELE))
    await trimtab.send(installation_update(trimtab.teams, ADELE, scope="team"))
    assert welcomes(trimtab.connector) == [MY_TEAM.general_channel]
    assert "My Team" in trimtab.connector.sent[0].all_text()

    team = await trimtab.services.directory.team(MY_TEAM.id)
    assert team is not None
    assert team["name"] == "My Team" and team["installed"] is True
    assert team["aad_group_id"] == MY_TEAM.aad_group_id
    assert {m["aad_id"] for m in team["members"]} == {ADELE.aad_id, MEGAN.aad_id, LEE.aad_id}
    assert team["members_synced_at"] == trimtab.clock().isoformat()
    reference = await trimtab.services.directory.reference(f"team:{MY_TEAM.id}")
    assert reference is not None and reference.conversation.id == MY_TEAM.general_channel


async def test_fifty_people_joining_a_team_get_no_welcome_spam(trimtab: Trimtab) -> None:
    seed_roster(trimtab.connector, [ADELE])
    await trimtab.send(trimtab.teams.bot_added_to_team(ADELE))
    sent_before = len(trimtab.connector.sent)
    newcomers = crowd(50)
    seed_roster(trimtab.connector, newcomers)

    await trimtab.send(trimtab.teams.members_added_to_team(newcomers))
    for person in newcomers[:5]:  # Teams may also send them one by one
        await trimtab.send(trimtab.teams.members_added_to_team([person]))

    assert len(trimtab.connector.sent) == sent_before, "nobody is welcomed in the channel"
    team = await trimtab.services.directory.team(MY_TEAM.id)
    assert team is not None and len(team["members"]) == 51, "the roster is current"


async def test_member_leaving_updates_the_roster(trimtab: Trimtab) -> None:
    seed_roster(trimtab.connector, [ADELE, ALEX])
    await trimtab.send(trimtab.teams.bot_added_to_team(ADELE))
    del trimtab.connector.members[ALEX.teams_id]
    left = trimtab.teams.bot_removed_from_team(ADELE)
    left["membersRemoved"] = [{"id": ALEX.teams_id, "aadObjectId": ALEX.aad_id}]
    await trimtab.send(left)
    team = await trimtab.services.directory.team(MY_TEAM.id)
    assert team is not None and team["installed"] is True
    assert [m["aad_id"] for m in team["members"]] == [ADELE.aad_id]


async def test_bot_removed_marks_the_team_not_installed(trimtab: Trimtab) -> None:
    await trimtab.send(trimtab.teams.bot_added_to_team(ADELE))
    await trimtab.send(trimtab.teams.bot_removed_from_team(ADELE))
    team = await trimtab.services.directory.team(MY_TEAM.id)
    assert team is not None and team["installed"] is False
    assert await trimtab.services.directory.teams() == []
    assert len(await trimtab.services.directory.teams(installed_only=False)) == 1


async def test_uninstall_event_marks_the_team_not_installed(trimtab: Trimtab) -> None:
    await trimtab.send(installation_update(trimtab.teams, ADELE, scope="team"))
    await trimtab.send(installation_update(trimtab.teams, ADELE, "remove", scope="team"))
    team = await trimtab.services.directory.team(MY_TEAM.id)
    assert team is not None and team["installed"] is False


async def test_reinstall_marks_the_team_installed_again_without_a_second_welcome(
    trimtab: Trimtab,
) -> None:
    await trimtab.send(trimtab.teams.bot_added_to_team(ADELE))
    await trimtab.send(trimtab.teams.bot_removed_from_team(ADELE))
    await trimtab.send(trimtab.teams.bot_added_to_team(ADELE))
    team = await trimtab.services.directory.team(MY_TEAM.id)
    assert team is not None and team["installed"] is True
    assert welcomes(trimtab.connector) == [MY_TEAM.general_channel]


async def test_team_rename_updates_the_name(trimtab: Trimtab) -> None:
    await trimtab.send(trimtab.teams.bot_added_to_team(ADELE))
    await trimtab.send(team_renamed(trimtab.teams, ADELE, team=MY_TEAM, new_name="Contoso Sales"))
    team = await trimtab.services.directory.team(MY_TEAM.id)
    assert team is not None and team["name"] == "Contoso Sales"
    assert welcomes(trimtab.connector) == [MY_TEAM.general_channel]


async def test_roster_failure_does_not_break_the_install(trimtab: Trimtab) -> None:
    """A connector that cannot list members must not cost the team its welcome."""
    trimtab.connector.members.clear()
    original = trimtab.connector._paged_members

    async def broken(request: object) -> object:
        from aiohttp import web

        return web.json_response({"error": {"code": "ServiceError"}}, status=500)

    trimtab.connector._paged_members = broken  # type: ignore[method-assign]
    try:
        sent = await trimtab.send(trimtab.teams.bot_added_to_team(ADELE))
    finally:
        trimtab.connector._paged_members = original  # type: ignore[method-assign]
    assert welcomes(trimtab.connector) == [MY_TEAM.general_channel]
    assert len(sent) == 1
    team = await trimtab.services.directory.team(MY_TEAM.id)
    assert team is not None and team["installed"] is True


async def test_references_survive_a_restart_on_the_same_data_dir(
    make_trimtab: AppFactory, tmp_path: Path
) -> None:
    data_dir = tmp_path / "trimtab-data"
    first_store = await TinyDBStore.open(data_dir)
    first = await make_trimtab(store=first_store, TRIMTAB_DATA_DIR=str(data_dir))
    seed_roster(first.connector, [ADELE, MEGAN])
    await first.send(installation_update(first.teams, MEGAN, scope="personal"))
    await first.send(first.teams.bot_added_to_team(ADELE))
    await first.send(first.teams.bot_added_to_group(ADELE))
    await first.client.close()
    await first_store.close()

    second_store = await TinyDBStore.open(data_dir)
    try:
        second = await make_trimtab(store=second_store, TRIMTAB_DATA_DIR=str(data_dir))
        keys = set(await second_store.all(REFERENCES))
        assert {f"user:{MEGAN.aad_id}", f"team:{MY_TEAM.id}", f"chat:{GROUP_CHAT_ID}"} <= keys
        team = await second.services.directory.team(MY_TEAM.id)
        assert team is not None and team["name"] == "My Team"

        # A proactive message through the stored reference reaches the right chat.
        reference = await second.services.directory.reference(f"user:{MEGAN.aad_id}")
        assert reference is not None
        second.connector.clear()

        async def say_hello(turn: TurnContext) -> None:
            await turn.send_activity(MessageFactory.text("still here after a restart"))

        await second.services.adapter.continue_conversation(reference, say_hello, "")
        assert [s.conversation_id for s in second.connector.sent] == [MEGAN.personal_conversation]
        assert second.connector.sent[0].text == "still here after a restart"

        # And no second welcome for conversations welcomed before the restart.
        await second.send(second.teams.bot_installed_personal(MEGAN))
        assert welcomes(second.connector) == []
    finally:
        await second_store.close()


async def test_unknown_new_members_cause_no_error_message_in_the_channel(trimtab: Trimtab) -> None:
    """Teams may not resolve a just-added member yet; the channel must stay quiet anyway."""
    seed_roster(trimtab.connector, [ADELE])
    await trimtab.send(trimtab.teams.bot_added_to_team(ADELE))
    sent_before = len(trimtab.connector.sent)
    await trimtab.send(trimtab.teams.members_added_to_team(crowd(3)))  # not in the roster
    assert len(trimtab.connector.sent) == sent_before


async def test_simultaneous_install_events_welcome_once(trimtab: Trimtab) -> None:
    """Teams sends conversationUpdate and installationUpdate at about the same time."""
    import asyncio

    seed_roster(trimtab.connector, [ADELE])
    await asyncio.gather(
        trimtab.send(trimtab.teams.bot_added_to_team(ADELE)),
        trimtab.send(installation_update(trimtab.teams, ADELE, scope="team")),
        trimtab.send(trimtab.teams.bot_added_to_team(ADELE)),
    )
    assert welcomes(trimtab.connector) == [MY_TEAM.general_channel]


async def test_channel_reference_points_at_the_channel_not_the_last_thread(
    trimtab: Trimtab,
) -> None:
    activity = trimtab.teams.channel(MEGAN, "help")
    assert ";messageid=" in activity["conversation"]["id"]
    sent = await trimtab.send(activity)
    assert sent[0].conversation_id == activity["conversation"]["id"], "the reply stays in thread"
    for key in (f"team:{MY_TEAM.id}", f"channel:{MY_TEAM.general_channel}"):
        reference = await trimtab.services.directory.reference(key)
        assert reference is not None and reference.conversation.id == MY_TEAM.general_channel
