"""The fakes stay faithful to real Teams payloads.

1. The activity builders in ``tests/fakes/activities.py`` produce the key
   structure (key paths and JSON types) of the recorded payloads in
   ``../shared/teams_activities/`` (vendored copies in
   ``tests/data/teams_activities/`` when ``../shared`` is absent).
2. The recorded payloads themselves, posted to /api/messages with ``serviceUrl``
   pointed at the fake connector, get sane answers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Trimtab
from tests.fakes import activities as fakes
from tests.fakes.activities import ADELE, LEE, MEGAN, ActivityFactory

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "teams_activities"
VENDORED = REPO / "tests" / "data" / "teams_activities"
RECORDINGS = SHARED if SHARED.is_dir() else VENDORED

# Keys Teams sends on some activities but not in every recording (e.g. clientInfo and
# locale on messages; the legacy teamsChannelId/teamsTeamId on older channel payloads).
SOMETIMES_PRESENT = {
    "locale",
    "localTimestamp",
    "from.name",
    "entities",
    "entities[].type",
    "entities[].locale",
    "entities[].country",
    "entities[].platform",
    "entities[].timezone",
    "conversation.tenantId",
    "channelData.teamsChannelId",
    "channelData.teamsTeamId",
    "channelData.channel",
    "channelData.channel.id",
    "channelData.team.name",
    "channelData.team.aadGroupId",
    "textFormat",
}

Builder = Callable[[ActivityFactory], dict[str, Any]]

# recording -> (builder, keys of the recording the builder may leave out, prefixes of
# free-form data whose keys are the test's own)
CASES: dict[str, tuple[Builder, set[str], tuple[str, ...]]] = {
    "message-channel-atMention.recorded.json": (
        lambda f: f.channel(MEGAN, "help"),
        {"attachments", "attachments[].content", "attachments[].contentType"},
        (),
    ),
    "conversationUpdate-botAdded-team.docs.json": (
        lambda f: f.bot_added_to_team(ADELE),
        {
            "conversation.name",
            "channelData.settings",
            "channelData.settings.selectedChannel",
            "channelData.settings.selectedChannel.id",
        },
        (),
    ),
    "conversationUpdate-botAdded-personal.docs.json": (
        lambda f: f.bot_installed_personal(ADELE),
        set(),
        (),
    ),
    "conversationUpdate-membersAdded-groupChat.recorded.json": (
        lambda f: f.bot_added_to_group(ADELE),
        {"membersAdded[].aadObjectId"},  # the bot itself has none
        (),
    ),
    "conversationUpdate-teamMemberAdded-channel.recorded.json": (
        lambda f: f.members_added_to_team([LEE]),
        set(),
        (),
    ),
    "installationUpdate-add-team.docs.json": (
        lambda f: fakes.installation_update(f, ADELE, scope="team"),
        set(),
        (),
    ),
    "invoke-adaptiveCard-action-ActionExecute.teams-net.json": (
        lambda f: f.execute(ADELE, "help", {"feedback": "x"}),
        {
            "localTimezone",
            "entities[].timezone",
            "channelData.legacy",
            "channelData.legacy.replyToId",
            "channelData.source",
            "channelData.source.name",
            "value.action.title",
        },
        ("value.action.data", "value.action.verb"),
    ),
    "message-value-from-ActionSubmit-with-input.recorded.json": (
        lambda f: f.submit(ADELE, {"key": "value"}),
        {
            # recorded in a channel; the builder submits from a personal chat
            "conversation.isGroup",
            "channelData.channel",
            "channelData.channel.id",
            "channelData.team",
            "channelData.team.id",
            "channelData.source",
            "channelData.source.name",
            "value.x",
        },
        ("value",),
    ),
    "message-value-from-ActionSubmit-messageBack.recorded.json": (
        lambda f: f.submit(ADELE, {"key": "value"}),
        {
            "conversation.isGroup",
            "channelData.channel",
            "channelData.channel.id",
            "channelData.team",
            "channelData.team.id",
            "channelData.source",
            "channelData.source.name",
        },
        ("value",),
    ),
}


def load(name: str) -> dict[str, Any]:
    return dict(json.loads((RECORDINGS / name).read_text(encoding="utf-8")))


def shape(node: Any, prefix: str = "") -> dict[str, str]:
    """Key path -> JSON type, list items merged under ``[]``."""
    found: dict[str, str] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else key
            found[path] = type(value).__name__
            found.update(shape(value, path))
    elif isinstance(node, list):
        for item in node:
            found.update(shape(item, f"{prefix}[]"))
    return found


def test_recordings_are_present_with_sources() -> None:
    sources = (RECORDINGS / "SOURCES.tsv").read_text(encoding="utf-8")
    for name in CASES:
        assert (RECORDINGS / name).is_file(), name
        assert name in sources, f"{name} has no line in SOURCES.tsv"


def test_vendored_copies_match_the_shared_recordings() -> None:
    """The fallback copies are the same bytes as ``../shared`` (when it is there)."""
    for name in [*CASES, "SOURCES.tsv"]:
        vendored = (VENDORED / name).read_bytes()
        if SHARED.is_dir():
            assert vendored == (SHARED / name).read_bytes(), name
        else:
            assert vendored


@pytest.mark.parametrize("recording", sorted(CASES))
def test_builder_has_the_key_structure_of_the_recording(recording: str) -> None:
    build, may_omit, free_form = CASES[recording]
    recorded = shape(load(recording))
    built = shape(build(ActivityFactory("https://smba.trafficmanager.net/emea/")))

    def own(path: str) -> bool:
        return any(path == prefix or path.startswith(prefix + ".") for prefix in free_form)

    invented = {p for p in built if p not in recorded and p not in SOMETIMES_PRESENT}
    invented = {p for p in invented if not own(p)}
    assert not invented, f"keys Teams does not send in {recording}: {sorted(invented)}"
    missing = {p for p in recorded if p not in built and p not in may_omit and not own(p)}
    assert not missing, f"keys of {recording} the builder lacks: {sorted(missing)}"
    clashing = {p: (recorded[p], built[p]) for p in recorded.keys() & built.keys() if not own(p)}
    clashing = {p: types for p, types in clashing.items() if types[0] != types[1]}
    assert not clashing, f"JSON types differ from {recording}: {clashing}"


# --- the recordings themselves through the real app ----------------------------------


def recorded_activity(app: Trimtab, name: str) -> dict[str, Any]:
    activity = load(name)
    activity["serviceUrl"] = app.connector.url
    if activity["recipient"]["id"] == "28:<BOT ID>":  # a docs sample with placeholders
        activity["recipient"]["id"] = activity["membersAdded"][0]["id"]
    return activity


async def post(app: Trimtab, activity: dict[str, Any]) -> tuple[int, str]:
    response = await app.client.post("/api/messages", json=activity)
    return response.status, await response.text()


async def test_recorded_channel_mention_gets_an_answer_in_its_thread(trimtab: Trimtab) -> None:
    activity = recorded_activity(trimtab, "message-channel-atMention.recorded.json")
    status, _ = await post(trimtab, activity)
    assert status == 201
    [reply] = trimtab.connector.sent
    assert reply.conversation_id == activity["conversation"]["id"]
    assert reply.reply_to == activity["id"]
    assert "I don't know `1`" in reply.all_text(), "the bot's <at> mention was stripped"


async def test_recorded_thread_reply_mention_is_stripped(trimtab: Trimtab) -> None:
    activity = recorded_activity(trimtab, "message-channel-atMention-reply.teams-net.json")
    status, _ = await post(trimtab, activity)
    assert status == 201
    [reply] = trimtab.connector.sent
    assert "I don't know `reply to thread`" in reply.all_text()


@pytest.mark.parametrize(
    "recording",
    [
        "conversationUpdate-botAdded-team.docs.json",
        "installationUpdate-add-team.docs.json",
        "conversationUpdate-botAdded-personal.docs.json",
    ],
)
async def test_recorded_install_gets_one_welcome(trimtab: Trimtab, recording: str) -> None:
    activity = recorded_activity(trimtab, recording)
    status, _ = await post(trimtab, activity)
    assert status == 201
    status, _ = await post(trimtab, activity)  # Teams retries: still one welcome
    assert status == 201
    assert len(trimtab.connector.sent) == 1
    assert trimtab.connector.sent[0].conversation_id == activity["conversation"]["id"]
    assert "I'm Trimtab" in trimtab.connector.sent[0].all_text()
    team_id = ((activity.get("channelData") or {}).get("team") or {}).get("id")
    if team_id:
        team = await trimtab.services.directory.team(team_id)
        assert team is not None and team["name"] == "TestTeam2022" and team["installed"]


async def test_recorded_action_execute_gets_an_invoke_response(trimtab: Trimtab) -> None:
    activity = recorded_activity(trimtab, "invoke-adaptiveCard-action-ActionExecute.teams-net.json")
    status, body = await post(trimtab, activity)
    assert status == 200
    answer = json.loads(body)
    assert answer["statusCode"] == 200
    assert answer["type"] in (
        "application/vnd.microsoft.activity.message",
        "application/vnd.microsoft.card.adaptive",
    )


@pytest.mark.parametrize(
    "recording",
    [
        "message-value-from-ActionSubmit-with-input.recorded.json",
        "message-value-from-ActionSubmit-messageBack.recorded.json",
    ],
)
async def test_recorded_card_submit_gets_a_polite_answer(trimtab: Trimtab, recording: str) -> None:
    activity = recorded_activity(trimtab, recording)
    status, _ = await post(trimtab, activity)
    assert status == 201
    [reply] = trimtab.connector.sent
    assert "went wrong" not in reply.all_text()
    assert reply.cards, "a submit without a command gets the help card"


@pytest.mark.parametrize(
    "recording",
    [
        "messageReaction-added.docs.json",
        "conversationUpdate-channelCreated.recorded.json",
        "conversationUpdate-teamMemberAdded-channel.recorded.json",
    ],
)
async def test_recorded_events_are_accepted_quietly(trimtab: Trimtab, recording: str) -> None:
    status, _ = await post(trimtab, recorded_activity(trimtab, recording))
    assert status in (200, 201)
    assert trimtab.connector.sent == []


@pytest.mark.parametrize(
    "recording",
    [
        "invoke-task-fetch.recorded.json",
        "invoke-composeExtension-query.recorded.json",
        "invoke-ActionSubmit-msteams-invoke.recorded.json",
    ],
)
async def test_recorded_unsupported_invokes_are_declined_without_a_crash(
    trimtab: Trimtab, recording: str
) -> None:
    status, _ = await post(trimtab, recorded_activity(trimtab, recording))
    assert status in (200, 501)
    assert all("went wrong" not in text for text in trimtab.connector.texts())
