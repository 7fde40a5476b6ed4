"""The Graph documentation's own payloads go through the collector, and the fake mirrors them.

The examples are vendored from ``../shared/graph_examples`` (Graph API reference) into
``tests/data/graph_examples``; when ``../shared`` is present the copies must be identical.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from adoption.messages import is_human, thread_fact
from adoption.pseudonym import Pseudonymiser
from tests.fakes.graph_server import FakeMessage, FakeTenant, GraphServer

DATA = Path(__file__).parents[1] / "data" / "graph_examples"
SHARED = Path(__file__).parents[3] / "shared" / "graph_examples"


def example(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_vendored_examples_match_shared() -> None:
    names = sorted(p.name for p in DATA.iterdir())
    assert "channel-list-messages.example3-expand-replies.json" in names
    if SHARED.is_dir():
        for name in names:
            assert (DATA / name).read_bytes() == (SHARED / name).read_bytes(), name


def test_documented_system_event_and_users_are_classified() -> None:
    messages = example("channel-list-messages.example1.json")["value"]
    # Two user posts and a team-description event shown as unknownFutureValue with from: null.
    assert [is_human(m) for m in messages] == [True, True, False]
    events = example("channel-list-messages.example2-prefer-include-unknown-enum-members.json")
    assert is_human(events["value"][2]) is False  # systemEventMessage


def test_documented_expand_replies_becomes_one_thread_fact() -> None:
    root = example("channel-list-messages.example3-expand-replies.json")["value"][0]
    fact = thread_fact("team", "channel", root, Pseudonymiser.disabled())
    assert fact is not None
    assert fact.root.id == root["id"]
    assert fact.root.created == datetime(2021, 3, 28, 20, 29, 37, 68000, tzinfo=UTC)
    # Three replies, oldest first, all by the root's author: none answers the thread.
    assert [r.created.second for r in fact.replies] == [7, 10, 13]
    assert fact.first_reply_by_other is None
    # Nothing but ids, times and counts survives: no body text anywhere in the fact.
    assert root["body"]["content"] not in json.dumps(fact.to_doc())


def test_documented_legacy_reactions_and_mentions_are_counted() -> None:
    messages = example("channel-list-messages.beta-legacy-with-reactions.json")["value"]
    with_reactions = [m for m in messages if m.get("reactions")]
    assert with_reactions, "the documented example carries a reaction"
    message = with_reactions[0]
    message = {**message, "messageType": "message", "deletedDateTime": None}
    fact = thread_fact("team", "channel", message, Pseudonymiser.disabled())
    assert fact is not None
    assert fact.root.reactions == len(message["reactions"])
    assert fact.root.mentions == len(message.get("mentions") or [])


def test_bot_sender_is_not_human() -> None:
    message = example("chatmessage-get.beta-legacy-bot-sender.json")
    assert is_human(message) is False


def test_fake_renders_every_documented_message_key() -> None:
    documented = set(example("channel-list-messages.example1.json")["value"][0])
    tenant = FakeTenant()
    tenant.add_team("team", "Team", ["u1"])
    tenant.add_channel("team", "channel", "General")
    server = GraphServer(tenant)
    message = FakeMessage(id="1", sender="u1", created=datetime(2026, 11, 2, tzinfo=UTC))
    rendered = server.render("team", "channel", message, None)
    assert documented <= set(rendered), documented - set(rendered)
    assert rendered["from"]["user"]["id"] == "u1"
    assert rendered["body"]["contentType"] == "html"
