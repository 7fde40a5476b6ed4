"""A turn on PostgreSQL reads who is talking in one round trip, and is never stale.

``help`` from someone the bot knows reads their user record, their admin and champion
entries and whether they were unreachable: one query (``bot.storage.read_ahead``), not
one each. What another instance changes shows on the next turn.
"""

from __future__ import annotations

import traceback
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bot.storage.dburl import parse_database_url
from bot.storage.postgres import PostgresStore
from tests.conftest import AppFactory, Trimtab
from tests.fakes.activities import LEE, MEGAN

#: help for a known user: the read-ahead; their reference, user and zone are unchanged
HELP_QUERIES = 1


@pytest.fixture
async def pg_store(pg_url: str) -> AsyncIterator[PostgresStore]:
    store = await PostgresStore.open(parse_database_url(pg_url))
    yield store
    await store.close()


def count_turn_queries(store: PostgresStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each store round trip made inside a turn (the scheduler's are not counted)."""
    made: list[str] = []
    connection: Callable[[], Any] = store.connection

    def counting() -> Any:
        callers = [frame.name for frame in traceback.extract_stack(limit=40)]
        if "on_turn" in callers:
            made.append(callers[-2])
        return connection()

    monkeypatch.setattr(store, "connection", counting)
    return made


async def test_help_from_a_known_user_is_one_round_trip(
    pg_store: PostgresStore, make_trimtab: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    trimtab = await make_trimtab(store=pg_store)
    await trimtab.say(MEGAN, "help")  # first contact stores the reference and the user
    made = count_turn_queries(pg_store, monkeypatch)

    sent = await trimtab.say(MEGAN, "help")

    assert "circle join" in sent[0].all_text()
    assert made == ["get_many"] * HELP_QUERIES, made


async def test_what_another_instance_changes_shows_on_the_next_turn(
    pg_store: PostgresStore, make_trimtab: AppFactory, pg_url: str
) -> None:
    trimtab: Trimtab = await make_trimtab(store=pg_store)
    other = await PostgresStore.open(parse_database_url(pg_url))
    try:
        before = await trimtab.say(LEE, "help")
        assert "You are a **member**." in before[0].all_text()

        await other.put("bot.admins", LEE.aad_id.lower(), {"tenant_id": trimtab.teams.tenant_id})
        await other.put("bot.unreachable", f"user:{LEE.aad_id.lower()}", {"status": 403})

        after = await trimtab.say(LEE, "help")
        assert "You are a **admin**." in after[0].all_text()
        assert await other.get("bot.unreachable", f"user:{LEE.aad_id.lower()}") is None
    finally:
        await other.close()


async def test_circle_status_reads_the_senders_circles_ahead(
    pg_store: PostgresStore, make_trimtab: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone in no circle: the read-ahead (their membership index document) is all; a
    member: that, their circles, then the circle's check-ins, goals and members' mutes by
    key in one read (whatever the number of members)."""
    trimtab = await make_trimtab(store=pg_store)
    await trimtab.say(MEGAN, "circle status")  # first contact; the index is checked once
    await trimtab.say(LEE, "circle create Explorers")
    made = count_turn_queries(pg_store, monkeypatch)

    nobody = await trimtab.say(MEGAN, "circle status")

    assert "not in an open circle" in nobody[0].all_text()
    assert made == ["get_many"], made
    made.clear()
    member = await trimtab.say(LEE, "circle status")
    assert "Explorers" in member[0].all_text()
    assert made == ["get_many"] * 3, made
