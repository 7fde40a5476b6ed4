"""Fan-out plans: stored before the first send, resumed by a new leader, never resent.

A takeover is simulated in one process: the plan and the delivery records a dead leader
would have left are written to the store, then ``settle_deliveries`` runs as it does when
an instance is elected (the two-process ``kill -9`` version is ``test_takeover.py``).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import pytest

from bot._delivery_log import DELIVERED, IN_DOUBT, DeliveryLog, shard_of
from bot.fanout import Outgoing
from bot.fanout_plans import PLANS, FanOutPlans
from bot.jobs import settle_deliveries
from bot.storage import MemoryStore
from tests.bot.dashboard_support import mint
from tests.conftest import START, Trimtab
from tests.fakes.activities import ADELE, ALEX, LEE, MEGAN, NESTOR, Person

WEEK = "2026-W48"
PEOPLE = (MEGAN, LEE, ALEX, NESTOR)
CARD = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [{"type": "TextBlock", "text": "This week's habit", "wrap": True}],
}


def tip(person: Person) -> Outgoing:
    key = f"tip:{person.aad_id}:{WEEK}"
    return Outgoing(f"user:{person.aad_id}", CARD, key, "tips", WEEK, person=person.aad_id)


async def known(trimtab: Trimtab, *people: Person) -> None:
    """Each person has talked to the bot (their 1:1 reference is stored)."""
    for person in people:
        await trimtab.say(person, "help")
    trimtab.connector.clear()


async def plans_left(trimtab: Trimtab) -> dict[str, Any]:
    """Wait (bounded, in event-loop turns) for the leader's resume job to empty the plans."""
    for _ in range(500):
        if not (left := await trimtab.store.all(PLANS)):
            return left
        await asyncio.sleep(0.01)
    return await trimtab.store.all(PLANS)


def cards_to(trimtab: Trimtab, person: Person) -> int:
    return sum(1 for s in trimtab.connector.to(person.personal_conversation) if s.cards)


async def test_a_new_leader_resumes_a_dead_runs_plan_and_sends_nothing_twice(
    trimtab: Trimtab,
) -> None:
    await known(trimtab, *PEOPLE)
    store, now = trimtab.store, trimtab.clock()
    await FanOutPlans(store).save([tip(p) for p in PEOPLE], now - timedelta(minutes=3))
    deliveries = DeliveryLog(store)
    megan, lee = tip(MEGAN), tip(LEE)
    await deliveries.claim(megan.key, megan.recipient, now)  # the dead run delivered Megan's
    await deliveries.finish(
        megan.key, megan.recipient, DELIVERED, attempts=1, activity_id="a-1", detail="", now=now
    )
    await deliveries.claim(lee.key, lee.recipient, now)  # and died with Lee's in flight

    await settle_deliveries(trimtab.services)  # what an elected instance runs
    assert await plans_left(trimtab) == {}

    assert [cards_to(trimtab, p) for p in PEOPLE] == [0, 0, 1, 1]
    assert (await deliveries.get(lee.key) or {})["state"] == IN_DOUBT
    for person in (ALEX, NESTOR):
        assert (await deliveries.get(tip(person).key) or {})["state"] == DELIVERED
    [answer] = await trimtab.say(ADELE, f"deliveries {WEEK}")
    assert "**tips**: 4 sent · 3 delivered" in answer.text
    assert "In doubt (tips): Lee Gu — the run sending it stopped before Teams answered" in (
        answer.text
    )
    assert "Megan Bowen" not in answer.text


async def test_the_dashboard_lists_keys_in_doubt(trimtab: Trimtab) -> None:
    await known(trimtab, LEE)
    deliveries, now = DeliveryLog(trimtab.store), trimtab.clock()
    deliveries.label(tip(LEE).key, "tips", WEEK)
    await deliveries.claim(tip(LEE).key, tip(LEE).recipient, now)
    await settle_deliveries(trimtab.services)
    await trimtab.client.get(await mint(trimtab))
    html = await (await trimtab.client.get(f"/dashboard/deliveries?week={WEEK}")).text()
    assert "In doubt (not resent)" in html and "Lee Gu" in html and tip(LEE).key in html
    csv = await (await trimtab.client.get(f"/dashboard/deliveries?week={WEEK}&csv=in-doubt")).text()
    assert csv.splitlines()[1].startswith(f"Lee Gu,tips,{tip(LEE).key},")


async def test_a_finished_fan_out_leaves_no_plan_and_a_stalled_one_is_stored(
    trimtab: Trimtab,
) -> None:
    await known(trimtab, *PEOPLE)
    trimtab.connector.hold, trimtab.connector.hold_after = asyncio.Event(), 1
    sending = asyncio.create_task(trimtab.services.fanout.send([tip(p) for p in PEOPLE]))
    for _ in range(500):
        if trimtab.connector.held:
            break
        await asyncio.sleep(0.01)
    [plan] = (await trimtab.store.all(PLANS)).values()  # stored before the sends, still there
    assert [i["key"] for i in plan["items"]] == [tip(p).key for p in PEOPLE]
    assert len(plan["messages"]) == 1  # one card body, stored once
    assert (await trimtab.services.fanout.resume_pending()).resumed == []  # ours, and live
    trimtab.connector.hold.set()
    assert [d.status.value for d in await sending] == ["delivered"] * 4
    assert await trimtab.store.all(PLANS) == {}


async def test_stale_and_unreadable_plans_are_dropped_and_logged(
    trimtab: Trimtab, caplog: pytest.LogCaptureFixture
) -> None:
    await known(trimtab, MEGAN, LEE)
    plans = FanOutPlans(trimtab.store)
    await plans.save([tip(MEGAN)], START - timedelta(days=2))  # two days late: not sent
    await trimtab.store.put(PLANS, "garbage", {"id": "garbage", "items": [{"key": 1}]})
    await plans.save([tip(LEE)], START - timedelta(minutes=1))
    with caplog.at_level(logging.WARNING, logger="bot.fanout"):
        outcome = await trimtab.services.fanout.resume_pending()
    assert len(outcome.dropped) == 2 and len(outcome.resumed) == 1 and outcome.delivered == 1
    assert [cards_to(trimtab, p) for p in (MEGAN, LEE)] == [0, 1]
    assert await trimtab.store.all(PLANS) == {}
    text = caplog.text
    assert "not sent late" in text and tip(MEGAN).key in text
    assert "unreadable fan-out plan: plan 'garbage'" in text


async def test_a_malformed_recipient_fails_before_anything_is_stored(trimtab: Trimtab) -> None:
    bad = Outgoing("someone", CARD, "k", "tips", WEEK)
    with pytest.raises(ValueError, match="malformed recipient"):
        await trimtab.services.fanout.send([tip(MEGAN), bad])
    assert await trimtab.store.all(PLANS) == {}
    assert trimtab.connector.sent == []


class ConfirmsWhileSettling(MemoryStore):
    """A store where the sender confirms a delivery right after the leader read its record."""

    def __init__(self) -> None:
        super().__init__()
        self.confirm: tuple[str, str] | None = None

    async def get_versioned(self, collection: str, key: str) -> tuple[Any, int | None]:
        found = await super().get_versioned(collection, key)
        if self.confirm == (collection, key):
            doc = {**(found[0] or {}), "state": DELIVERED, "activity_id": "a-9"}
            await self.put(collection, key, doc)  # the live sender's outcome lands now
        return found


async def test_settling_never_overwrites_an_outcome_confirmed_meanwhile() -> None:
    store = ConfirmsWhileSettling()
    deliveries, now = DeliveryLog(store), START
    live, dead = tip(MEGAN), tip(LEE)
    for item in (live, dead):
        await deliveries.claim(item.key, item.recipient, now)
    store.confirm = (shard_of(live.key), live.key)
    settled = await deliveries.settle_in_doubt(now)
    assert [r["key"] for r in settled] == [dead.key]
    assert (await deliveries.get(live.key) or {})["state"] == DELIVERED
    assert (await deliveries.get(dead.key) or {})["state"] == IN_DOUBT
