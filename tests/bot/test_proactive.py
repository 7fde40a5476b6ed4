"""Proactive delivery through the real app and the loopback connector.

Every send goes through botbuilder's CloudAdapter to ``tests/fakes/connector.py``;
only time is fake: the sender gets a :class:`FakeSleeper` that records each wait
and advances a fake monotonic clock instead of sleeping.
"""

from __future__ import annotations

import pytest

from bot.proactive import Delivery, DeliveryStatus
from bot.storage import TinyDBStore
from tests.bot.proactive_support import CARD, FakeSleeper, known_user, sender_for, tenant_of
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import LEE, MEGAN, MY_TEAM, TENANT_ID


async def test_429_then_500_then_200_delivers_exactly_once(trimtab: Trimtab) -> None:
    recipient = await known_user(trimtab)
    sleeper = FakeSleeper()
    trimtab.connector.fail(429, retry_after=7)
    trimtab.connector.fail(500)
    requests_before = trimtab.connector.requests

    delivery = await sender_for(trimtab, sleeper).send(recipient, CARD, key="week-3:megan")

    assert delivery.status is DeliveryStatus.DELIVERED
    assert delivery.attempts == 3
    assert trimtab.connector.requests - requests_before == 3
    sent = trimtab.connector.to(MEGAN.personal_conversation)
    assert len(sent) == 1 and sent[0].cards == [CARD]
    assert delivery.activity_id == sent[0].activity_id
    assert sleeper.waits[0] >= 7, "the first retry waits at least Retry-After"
    assert 0 < sleeper.waits[1] < 7, "the 5xx retry uses the (jittered) backoff"
    record = await trimtab.services.proactive.log.get("week-3:megan")
    assert record is not None
    assert record["state"] == "delivered" and record["attempts"] == 3
    assert record["recipient"] == recipient and record["updated_at"].startswith("2026-11-23")


async def test_retries_are_bounded(trimtab: Trimtab) -> None:
    recipient = await known_user(trimtab)
    trimtab.connector.fail(503, 503, 503)
    delivery = await sender_for(trimtab, FakeSleeper(), max_attempts=3).send(recipient, "hi")
    assert delivery.status is DeliveryStatus.FAILED and delivery.attempts == 3
    assert "503" in delivery.detail
    assert trimtab.connector.sent == []


async def test_403_marks_unreachable_and_later_sends_make_no_request(trimtab: Trimtab) -> None:
    recipient = await known_user(trimtab)
    sender = sender_for(trimtab, FakeSleeper())
    trimtab.connector.fail(403)

    first = await sender.send(recipient, "hello", key="tip-1:megan")
    assert first.status is DeliveryStatus.UNREACHABLE and first.attempts == 1
    assert await sender.is_unreachable(recipient)
    mark = await trimtab.store.get("bot.unreachable", recipient)
    assert mark is not None and mark["status"] == 403 and mark["at"].startswith("2026-11-23")

    requests = trimtab.connector.requests
    second = await sender.send(recipient, "hello again", key="tip-2:megan")
    assert second.status is DeliveryStatus.UNREACHABLE and second.attempts == 0
    assert trimtab.connector.requests == requests, "no connector request for an unreachable user"


async def test_unreachable_mark_clears_when_the_user_comes_back(trimtab: Trimtab) -> None:
    recipient = await known_user(trimtab)
    sender = sender_for(trimtab, FakeSleeper())
    trimtab.connector.fail(404)
    assert (await sender.send(recipient, "x", key="k1")).status is DeliveryStatus.UNREACHABLE
    await trimtab.say(MEGAN, "help")  # she talks to the bot again
    assert not await sender.is_unreachable(recipient)
    again = await sender.send(recipient, "x", key="k1")
    assert again.status is DeliveryStatus.DELIVERED, "an unreachable outcome frees the key"


async def test_same_key_twice_is_sent_once(trimtab: Trimtab) -> None:
    recipient = await known_user(trimtab)
    sender = sender_for(trimtab, FakeSleeper())
    first = await sender.send(recipient, CARD, key="circle:c1:week:3:megan")
    second = await sender.send(recipient, CARD, key="circle:c1:week:3:megan")
    assert first.status is DeliveryStatus.DELIVERED
    assert second.status is DeliveryStatus.DUPLICATE
    assert second.activity_id == first.activity_id and "already delivered" in second.detail
    assert len(trimtab.connector.sent) == 1


async def test_concurrent_sends_with_one_key_post_once(trimtab: Trimtab) -> None:
    recipient = await known_user(trimtab)
    results = await sender_for(trimtab, FakeSleeper()).send_many(
        [(recipient, "once", "same-key")] * 5
    )
    assert sorted(r.status for r in results).count(DeliveryStatus.DELIVERED) == 1
    assert len(trimtab.connector.sent) == 1


async def test_same_key_after_restart_is_not_sent_again(make_trimtab: AppFactory, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "proactive-data"
    store = await TinyDBStore.open(data)
    first_app = await make_trimtab(store=store)
    recipient = await known_user(first_app)
    delivered = await sender_for(first_app, FakeSleeper()).send(recipient, CARD, key="w3:megan")
    assert delivered.status is DeliveryStatus.DELIVERED
    await first_app.client.close()
    await store.close()

    reopened = await TinyDBStore.open(data)
    second_app = await make_trimtab(store=reopened)
    again = await second_app.services.proactive.send(recipient, CARD, key="w3:megan")
    assert again.status is DeliveryStatus.DUPLICATE and again.activity_id == delivered.activity_id
    assert len(second_app.connector.to(MEGAN.personal_conversation)) == 1
    await reopened.close()


async def test_a_claim_left_by_a_crashed_run_is_not_resent(trimtab: Trimtab) -> None:
    recipient = await known_user(trimtab)
    sender = sender_for(trimtab, FakeSleeper())
    # what a run killed between claim and confirmation leaves behind
    assert await sender.log.claim("w4:megan", recipient, trimtab.clock())
    result = await sender_for(trimtab, FakeSleeper()).send(recipient, CARD, key="w4:megan")
    assert result.status is DeliveryStatus.DUPLICATE and "in doubt" in result.detail
    assert trimtab.connector.sent == []


async def test_first_message_to_a_user_creates_the_1on1_chat(trimtab: Trimtab) -> None:
    await trimtab.send(trimtab.teams.channel(LEE, "help"))  # Lee is known from a channel only
    trimtab.connector.clear()
    recipient = f"user:{LEE.aad_id}"
    assert await trimtab.services.directory.reference(recipient) is None
    sender = sender_for(trimtab, FakeSleeper())

    delivery = await sender.send(recipient, "Welcome to your circle")

    assert delivery.status is DeliveryStatus.DELIVERED
    [created] = trimtab.connector.created
    assert tenant_of(created) == TENANT_ID
    assert created["channelData"] == {"tenant": {"id": TENANT_ID}}
    assert created["isGroup"] is False and created["members"][0]["id"] == LEE.teams_id
    assert [s.text for s in trimtab.connector.to(LEE.personal_conversation)] == [
        "Welcome to your circle"
    ]
    stored = await trimtab.services.directory.reference(recipient)
    assert stored is not None and stored.conversation.id == LEE.personal_conversation

    await sender.send(recipient, "Second message")
    assert len(trimtab.connector.created) == 1, "the stored reference is reused"
    assert len(trimtab.connector.to(LEE.personal_conversation)) == 2


async def test_roster_member_without_a_chat_gets_one_by_aad_id(trimtab: Trimtab) -> None:
    await trimtab.send(trimtab.teams.channel(MEGAN, "help"))  # the team's service URL, tenant
    await trimtab.services.directory.update_team(
        MY_TEAM.id, members=[{"aad_id": LEE.aad_id, "name": LEE.name}], now=trimtab.clock()
    )
    trimtab.connector.clear()
    await trimtab.store.delete("bot.users", LEE.aad_id)
    delivery = await sender_for(trimtab, FakeSleeper()).send(f"user:{LEE.aad_id}", "hi")
    assert delivery.status is DeliveryStatus.DELIVERED
    assert trimtab.connector.created[0]["members"][0]["id"] == LEE.aad_id
    assert tenant_of(trimtab.connector.created[0]) == TENANT_ID


async def test_team_channel_and_update_in_place(trimtab: Trimtab) -> None:
    await trimtab.send(trimtab.teams.channel(MEGAN, "help"))
    trimtab.connector.clear()
    sender = sender_for(trimtab, FakeSleeper())
    sent = await sender.send(f"team:{MY_TEAM.id}", CARD, key="nudge:1")
    assert sent.status is DeliveryStatus.DELIVERED and sent.activity_id
    assert trimtab.connector.sent[0].conversation_id.startswith(MY_TEAM.id)

    updated_card = {**CARD, "body": [{"type": "TextBlock", "text": "Thanks, done"}]}
    updated = await sender.update(f"team:{MY_TEAM.id}", sent.activity_id, updated_card)
    assert updated.status is DeliveryStatus.DELIVERED
    put = trimtab.connector.sent[-1]
    assert put.method == "PUT" and put.activity_id == sent.activity_id
    assert put.cards == [updated_card]


async def test_unknown_recipient_fails_with_a_clear_detail(trimtab: Trimtab) -> None:
    sender = sender_for(trimtab, FakeSleeper())
    delivery = await sender.send("user:00000000-0000-0000-0000-000000000000", "hi", key="k")
    assert delivery == Delivery(
        "k",
        "user:00000000-0000-0000-0000-000000000000",
        DeliveryStatus.FAILED,
        0,
        None,
        delivery.detail,
    )
    assert "the user is unknown" in delivery.detail
    chat = await sender.send("chat:19:nobody@thread.v2", "hi")
    assert chat.status is DeliveryStatus.FAILED and "no conversation reference" in chat.detail
    assert trimtab.connector.requests == 0
    assert await sender.log.get("k") is None, "a failed lookup does not use up the key"


@pytest.mark.parametrize("bad", ["", "megan", "user:", "person:abc", "user:a b", "team"])
async def test_malformed_recipient_raises_value_error(trimtab: Trimtab, bad: str) -> None:
    with pytest.raises(ValueError, match="recipient"):
        await trimtab.services.proactive.send(bad, "hi")


async def test_malformed_recipient_in_a_batch_sends_nothing(trimtab: Trimtab) -> None:
    recipient = await known_user(trimtab)
    with pytest.raises(ValueError):
        await trimtab.services.proactive.send_many([(recipient, "a", None), ("oops", "b", None)])
    assert trimtab.connector.sent == []


async def test_bad_message_is_refused(trimtab: Trimtab) -> None:
    recipient = await known_user(trimtab)
    with pytest.raises(ValueError, match="Adaptive Card"):
        await trimtab.services.proactive.send(recipient, {"text": "not a card"})
    with pytest.raises(TypeError):
        await trimtab.services.proactive.send(recipient, 42)  # type: ignore[arg-type]


async def test_a_key_waiting_to_retry_at_a_crash_is_sent_after_restart(trimtab: Trimtab) -> None:
    recipient = await known_user(trimtab)
    sender = sender_for(trimtab, FakeSleeper())
    # a run got 429 (nothing posted), recorded "retrying", and died while waiting
    await sender.log.finish(
        "w5:megan",
        recipient,
        "retrying",
        attempts=1,
        activity_id=None,
        detail="429",
        now=trimtab.clock(),
    )
    result = await sender_for(trimtab, FakeSleeper()).send(recipient, CARD, key="w5:megan")
    assert result.status is DeliveryStatus.DELIVERED
    assert len(trimtab.connector.sent) == 1


async def test_the_key_is_retrying_while_waiting_after_a_429(trimtab: Trimtab) -> None:
    recipient = await known_user(trimtab)
    states: list[str] = []
    sleeper = FakeSleeper()
    sender = sender_for(trimtab, sleeper)

    async def sleep_and_look(seconds: float) -> None:
        record = await sender.log.get("w6:megan")
        states.append(record["state"] if record else "none")
        await FakeSleeper.sleep(sleeper, seconds)

    sender.sleep = sleep_and_look
    trimtab.connector.fail(429, retry_after=2)
    assert (await sender.send(recipient, CARD, key="w6:megan")).status is DeliveryStatus.DELIVERED
    assert states == ["retrying"]
    record = await sender.log.get("w6:megan")
    assert record is not None and record["state"] == "delivered"
