"""Every card is size-checked before it is sent: an oversize one becomes a short text, logged."""

from __future__ import annotations

import json
import logging

import pytest

from bot.messages.core import CARD_TOO_LONG
from cards.size import CARD_LIMIT_BYTES
from tests.bot.champions_support import install_team
from tests.bot.circles_support import form_explorers, prompt_cards
from tests.conftest import Trimtab
from tests.fakes.activities import ADELE, MEGAN, MY_TEAM

#: a goal, nudge message or reflection longer than a whole card may be
LONG_TEXT = "We write our decisions down in the channel. " * (CARD_LIMIT_BYTES // 40)


def _no_card_over_the_limit(trimtab: Trimtab) -> None:
    for sent in trimtab.connector.sent:
        for card in sent.cards:
            assert len(json.dumps(card, ensure_ascii=False).encode()) < CARD_LIMIT_BYTES


async def test_an_oversize_reply_card_becomes_a_short_text_and_is_logged(
    trimtab: Trimtab, caplog: pytest.LogCaptureFixture
) -> None:
    await trimtab.say(ADELE, "circle create Alpha")
    await trimtab.say(ADELE, f"goal {LONG_TEXT}")
    with caplog.at_level(logging.WARNING, logger="bot.attachments"):
        sent = await trimtab.say(ADELE, "circle status Alpha")
    assert [s.cards for s in sent] == [[]]
    assert sent[0].text == CARD_TOO_LONG and "circle status <name>" in sent[0].text
    assert "card too large" in caplog.text and "reply to circle status" in caplog.text
    _no_card_over_the_limit(trimtab)


async def test_an_oversize_proactive_card_is_never_posted_as_is(trimtab: Trimtab) -> None:
    await install_team(trimtab, people=[ADELE, MEGAN])
    await trimtab.say(ADELE, f"nudge My Team {LONG_TEXT}")
    posted = [s for s in trimtab.connector.sent if s.conversation_id.startswith(MY_TEAM.id)]
    nudges = [s for s in posted if s.text == CARD_TOO_LONG]
    assert len(nudges) == 1
    _no_card_over_the_limit(trimtab)


async def test_an_oversize_refreshed_card_is_answered_with_a_short_text(trimtab: Trimtab) -> None:
    await form_explorers(trimtab, (ADELE, MEGAN))
    await trimtab.send(trimtab.teams.group(ADELE, "circle start Explorers"))
    prompt = prompt_cards(trimtab, MEGAN)[-1]
    data = {**prompt["actions"][0]["data"], "text": LONG_TEXT, "rating": "4"}
    await trimtab.send(trimtab.teams.execute(MEGAN, "checkin", data))
    status, body = trimtab.responses[-1]
    assert status == 200
    assert json.loads(body)["value"] == CARD_TOO_LONG
    _no_card_over_the_limit(trimtab)


async def test_an_oversize_card_update_replaces_the_prompt_with_a_short_text(
    trimtab: Trimtab,
) -> None:
    await form_explorers(trimtab, (ADELE, MEGAN))
    await trimtab.send(trimtab.teams.group(ADELE, "circle start Explorers"))
    sent = await trimtab.say(MEGAN, f"checkin Explorers 4/5 {LONG_TEXT}")
    updates = [s for s in sent if s.method == "PUT"]
    assert [u.text for u in updates] == [CARD_TOO_LONG] and updates[0].cards == []
    assert sent[-1].text.startswith("Checked in to **Explorers** for week 1")
    _no_card_over_the_limit(trimtab)
