"""One contract for the adoption facts port, on memory, TinyDB and PostgreSQL (tables)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from adoption.facts import ChannelFact, MessageFact, TeamFact, ThreadFact
from adoption.id_space import pseudonymise_store, stored_space
from adoption.pseudonym import Pseudonymiser
from adoption.repository import AdoptionRepository, DocumentFacts
from bot.storage import DocumentStore
from bot.storage.postgres import PostgresStore
from bot.storage.postgres_facts import PostgresFacts

_T = TypeVar("_T")
T0 = datetime(2026, 10, 25, 23, 30, tzinfo=UTC)


def msg(mid: str, author: str, minutes: int, mentions: int = 0, reactions: int = 0) -> MessageFact:
    return MessageFact(mid, author, T0 + timedelta(minutes=minutes), mentions, reactions)


def thread(channel: str, root: MessageFact, *replies: MessageFact, post: bool = True) -> ThreadFact:
    return ThreadFact("t1", channel, root, tuple(replies), post)


TEAM = TeamFact(
    "t1", "Zeta", ("b", "a"),
    (ChannelFact("19:g@thread.tacv2", "General"),
     ChannelFact("19:p@thread.tacv2", "Deals", "private")),
    synced_at=T0, targets={"reply_rate": 0.5}, collected_since=T0,
)  # fmt: skip


async def test_the_store_in_use_picks_the_implementation(store: DocumentStore) -> None:
    facts = AdoptionRepository(store).facts
    assert isinstance(facts, PostgresFacts if isinstance(store, PostgresStore) else DocumentFacts)


async def test_teams_round_trip_sorted_by_name(store: DocumentStore) -> None:
    repo = AdoptionRepository(store)
    assert await repo.teams() == [] and await repo.team("t1") is None
    await repo.save_team(TEAM)
    await repo.save_team(TeamFact("t0", "alpha"))
    assert await repo.team("t1") == TEAM
    assert [t.name for t in await repo.teams()] == ["alpha", "Zeta"]
    renamed = replace(TEAM, name="Zeta 2", channels=TEAM.channels[1:], member_ids=())
    await repo.save_team(renamed)
    assert await repo.team("t1") == renamed


async def test_teams_become_facts_where_the_caller_offloads_them(store: DocumentStore) -> None:
    """A dashboard page hands the decoding of 2,000 teams to its compute lane."""
    repo = AdoptionRepository(store)
    await repo.save_teams([TEAM, TeamFact("t0", "alpha")])
    offloaded: list[object] = []

    async def lane(fn: Callable[[], _T]) -> _T:
        offloaded.append(fn)
        return fn()

    assert await repo.teams(lane) == await repo.teams() == [TeamFact("t0", "alpha"), TEAM]
    assert len(offloaded) == 1


async def test_threads_are_replaced_whole_and_deleted_by_key(store: DocumentStore) -> None:
    repo = AdoptionRepository(store)
    a = thread("19:g@thread.tacv2", msg("1", "a", 0, 2, 1), msg("2", "b", 5), msg("3", "a", 9))
    b = thread("19:p@thread.tacv2", msg("4", "", -60), msg("5", "b", 60, 0, 3), post=False)
    c = thread("19:g@thread.tacv2", msg("6", "b", -5))
    assert await repo.save_threads("t1", [a, b, c]) == 3
    assert await repo.threads("t1") == [b, c, a]  # oldest root first
    shorter = replace(a, replies=a.replies[:1])
    assert await repo.save_threads("t1", [shorter]) == 1
    assert await repo.threads("t1") == [b, c, shorter]
    assert await repo.save_threads("t1", []) == 0
    assert await repo.delete_threads("t1", [a.key, "19:x@thread.tacv2|nope"]) == 1
    assert await repo.delete_threads("t1", []) == 0
    assert await repo.threads("t1") == [b, c]
    assert await repo.threads("other") == []


async def test_cursors_and_usage_replace(store: DocumentStore) -> None:
    repo = AdoptionRepository(store)
    assert await repo.cursors("t1") == {}
    await repo.save_cursors("t1", {"c1": "https://x/delta?a=1", "c2": "https://x/delta?b=2"})
    await repo.save_cursors("t1", {"c2": "https://x/delta?b=3"})
    assert await repo.cursors("t1") == {"c2": "https://x/delta?b=3"}
    await repo.save_tenant_usage("D7", {"team_chat": 1, "per_user": {"a": {"team_chat": 1}}})
    await repo.save_tenant_usage("D7", {"team_chat": 2})
    assert await repo.tenant_usage() == {"D7": {"team_chat": 2}}


async def test_cursors_since_keep_a_link_another_sync_advanced(store: DocumentStore) -> None:
    repo = AdoptionRepository(store)
    start = {"a": "a1", "b": "b1"}
    await repo.save_cursors("t1", start)
    await repo.save_cursors("t1", {"b": "b-other"}, since={"b": "b1"})  # another instance
    await repo.save_cursors("t1", {"a": "a2", "b": "b2", "c": "c1"}, since=start)
    assert await repo.cursors("t1") == {"a": "a2", "b": "b-other", "c": "c1"}
    await repo.save_cursors("t1", {"c": "c-mine"}, since={})  # c appeared meanwhile: kept
    assert (await repo.cursors("t1"))["c"] == "c1"


async def test_save_teams_in_one_batch(store: DocumentStore) -> None:
    repo = AdoptionRepository(store)
    other = replace(TEAM, id="t2", name="Other")
    await repo.save_teams([TEAM, other])
    assert [t.id for t in await repo.teams()] == ["t2", "t1"]  # by name: Other, Zeta


async def test_pseudonymise_rewrites_every_stored_id(store: DocumentStore) -> None:
    repo = AdoptionRepository(store)
    await repo.save_team(TEAM)
    await repo.save_threads("t1", [thread("c", msg("1", "alice-raw", 0), msg("2", "bob-raw", 5))])
    await repo.save_tenant_usage("D7", {"per_user": {"carol-raw": {"team_chat": 1}}})
    await repo.update_rollup("t1", [], ZoneInfo("Europe/Berlin"), rebuild=True)
    assert "-raw" in repr(await repo.rollups(ZoneInfo("Europe/Berlin"), [TEAM]))
    assert await stored_space(store) == "raw"
    await pseudonymise_store(store, Pseudonymiser(b"k" * 32))
    assert await stored_space(store) == "pseudonyms"
    rollups = await repo.rollups(ZoneInfo("Europe/Berlin"), [TEAM])
    text = repr([await repo.teams(), await repo.threads("t1"), await repo.tenant_usage(), rollups])
    assert "-raw" not in text and "'a'" not in text
    if isinstance(store, PostgresStore):  # nothing raw left in any table either
        async with store.connection() as conn:
            for table in ("adoption_teams", "adoption_messages", "adoption_tenant_usage",
                          "adoption_rollup_index", "adoption_rollups"):  # fmt: skip
                cur = await conn.execute(f"SELECT t::text FROM {table} t")
                assert "-raw" not in str(await cur.fetchall())


async def test_a_batch_naming_one_thread_twice_keeps_the_last(store: DocumentStore) -> None:
    repo = AdoptionRepository(store)
    first = thread("c", msg("1", "a", 0), msg("2", "b", 5))
    again = replace(first, replies=(msg("3", "c", 7), msg("3", "c", 7)))  # a repeated reply too
    assert await repo.save_threads("t1", [first, again]) == 1
    assert await repo.threads("t1") == [again]
