"""`help` and unknown input, end to end through /api/messages in every scope."""

from __future__ import annotations

from tests.conftest import Trimtab
from tests.fakes.activities import ADELE, MEGAN, MY_TEAM


async def test_help_in_personal_chat_lists_member_commands(trimtab: Trimtab) -> None:
    sent = await trimtab.say(MEGAN, "help")
    assert len(sent) == 1
    reply = sent[0]
    assert reply.conversation_id == MEGAN.personal_conversation
    card = reply.cards[0]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    assert "`help`" in reply.all_text()
    assert "You are a **member**" in reply.all_text()
    assert "admin add" not in reply.all_text()


async def test_admin_sees_admin_commands(trimtab: Trimtab) -> None:
    sent = await trimtab.say(ADELE, "HELP")
    assert "`admin add @person`" in sent[0].all_text()
    assert "You are a **admin**" in sent[0].all_text() or "admin" in sent[0].all_text()


async def test_help_in_channel_with_mention_replies_in_thread(trimtab: Trimtab) -> None:
    activity = trimtab.teams.channel(MEGAN, "help")
    sent = await trimtab.send(activity)
    assert len(sent) == 1
    assert sent[0].conversation_id == activity["conversation"]["id"]
    assert sent[0].reply_to == activity["id"]
    assert "`help`" in sent[0].all_text()


async def test_help_in_group_chat(trimtab: Trimtab) -> None:
    activity = trimtab.teams.group(MEGAN, "help")
    sent = await trimtab.send(activity)
    assert "`help`" in sent[0].all_text()


async def test_unknown_command_gets_did_you_mean_and_help(trimtab: Trimtab) -> None:
    sent = await trimtab.say(MEGAN, "hlep")
    text = sent[0].all_text()
    assert "I don't know `hlep`" in text
    assert "Did you mean `help`" in text
    assert sent[0].cards, "the help card comes with the answer"


async def test_empty_message_gets_help(trimtab: Trimtab) -> None:
    activity = trimtab.teams.channel(MEGAN, "")
    sent = await trimtab.send(activity)
    assert "I did not catch a command" in sent[0].all_text()


async def test_command_without_role_is_refused_politely(trimtab: Trimtab) -> None:
    activity = trimtab.teams.channel(MEGAN, "admin add <at>Lee Gu</at>")
    sent = await trimtab.send(activity)
    assert sent[0].text.startswith("`admin add` is for admins")


async def test_team_name_is_learned_from_channel_messages(trimtab: Trimtab) -> None:
    await trimtab.send(trimtab.teams.channel(MEGAN, "help"))
    team = await trimtab.services.directory.team(MY_TEAM.id)
    assert team is not None and team["name"] == "My Team"
