"""Every domain read-modify-write survives a conflict, on memory, TinyDB and PostgreSQL.

:class:`Racing` wraps a real backend: the first conditional write of one collection first
lets a *rival* change the same document through the unwrapped store, so that write
conflicts for real. The domain call must retry on the fresh document: the rival's change
and its own both stay, and a rule (circle full, first action counts) is checked on what
the rival left.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest

from adoption.cursor_doc import cursors_collection
from adoption.repository import AdoptionRepository, DocumentFacts
from audience import PreferencesRepository
from audience.mutes import mute, parse_mute
from audience.preferences import PREFERENCES
from bot._delivery_log import DeliveryLog
from bot.admin.digest import DigestRepository
from bot.roles import UserRef
from bot.storage import DocumentStore
from bot.storage.update import change
from champions import ChampionRegistry, NudgeClaim, NudgeLog
from champions.model import Champion
from coaching import ProgressRepository, mark_done
from coaching.lessons import LESSONS
from coaching.progress import PROGRESS
from plans.repository import LOOPS, PlanRepository
from wol_circles import CircleFull, CircleService, Member, Origin, OriginKind, TooManyCircles
from wol_circles.memberships import MEMBERSHIPS, MembershipIndex
from wol_circles.repository import CHECKINS, CIRCLES

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
Rival = Callable[[], Awaitable[None]]


class Racing:
    """``inner``, except that its first conditional write of ``collection`` loses to
    ``rival`` (run just before it); ``raced`` counts the conflicts caused."""

    def __init__(self, inner: DocumentStore, collection: str, rival: Rival) -> None:
        self.inner, self.collection, self.rival, self.raced = inner, collection, rival, 0

    async def get(self, collection: str, key: str) -> dict[str, Any] | None:
        return await self.inner.get(collection, key)

    async def get_many(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], dict[str, Any] | None]:
        return await self.inner.get_many(keys)

    async def get_versioned(self, collection: str, key: str) -> tuple[Any, int | None]:
        return await self.inner.get_versioned(collection, key)

    async def put(self, collection: str, key: str, doc: Mapping[str, Any]) -> None:
        await self.inner.put(collection, key, doc)

    async def put_many(
        self, collection: str, docs: Mapping[str, Mapping[str, Any]], *, owned: bool = False
    ) -> None:
        await self.inner.put_many(collection, docs, owned=owned)

    async def insert_if_absent(self, collection: str, key: str, doc: Mapping[str, Any]) -> bool:
        return await self.inner.insert_if_absent(collection, key, doc)

    async def delete(self, collection: str, key: str) -> bool:
        return await self.inner.delete(collection, key)

    async def all(self, collection: str) -> dict[str, dict[str, Any]]:
        return await self.inner.all(collection)

    async def put_if_version(
        self, collection: str, key: str, doc: Mapping[str, Any], expected: int | None
    ) -> int:
        if collection == self.collection and not self.raced:
            self.raced += 1
            await self.rival()
        return await self.inner.put_if_version(collection, key, doc, expected)

    async def change(
        self, collection: str, key: str, fn: Callable[[Any], Mapping[str, Any] | None]
    ) -> dict[str, Any] | None:
        return await change(self, collection, key, fn)


def member(name: str) -> Member:
    return Member(f"id-{name}", name, NOW)


async def forming(store: DocumentStore, members: int) -> CircleService:
    service = CircleService(store, default_zone="UTC")
    await service.create("t", "Explorers", member("f"), Origin(OriginKind.PERSONAL, "c"), NOW)
    for i in range(1, members):
        await service.join("t", "Explorers", member(f"m{i}"))
    return service


async def test_a_join_that_conflicts_keeps_both_members(store: DocumentStore) -> None:
    rival = await forming(store, 2)
    racing = Racing(store, CIRCLES, lambda: _join(rival, "rival"))
    joined = await CircleService(racing, default_zone="UTC").join("t", "Explorers", member("me"))
    assert racing.raced == 1
    assert {m.name for m in joined.members} == {"f", "m1", "rival", "me"}
    [stored] = await rival.repo.all()
    assert stored == joined


async def _join(service: CircleService, name: str) -> None:
    await service.join("t", "Explorers", member(name))


async def test_the_full_rule_is_checked_on_the_fresh_circle(store: DocumentStore) -> None:
    rival = await forming(store, 4)
    racing = Racing(store, CIRCLES, lambda: _join(rival, "rival"))
    with pytest.raises(CircleFull):
        await CircleService(racing, default_zone="UTC").join("t", "Explorers", member("me"))
    [stored] = await rival.repo.all()
    assert len(stored.members) == 5 and not stored.has_member("id-me")


async def _in_circles(store: DocumentStore, person: str, joined: int, forming: int) -> None:
    """``person`` in ``joined`` circles ``J0``…, and ``forming`` more ``F0``… to join."""
    service = CircleService(store, default_zone="UTC")
    origin = Origin(OriginKind.PERSONAL, "c")
    for i in range(joined):
        await service.create("t", f"J{i}", member(f"fj{i}"), origin, NOW)
        await service.join("t", f"J{i}", member(person))
    for i in range(forming):
        await service.create("t", f"F{i}", member(f"ff{i}"), origin, NOW)


async def _names_of(store: DocumentStore, person: str) -> list[str]:
    circles = await CircleService(store, default_zone="UTC").repo.circles_of("t", f"id-{person}")
    return sorted(c.name for c in circles)


def _racing_join(store: DocumentStore, circle: str, name: str) -> Racing:
    """``store``, except that its first write of the membership index loses to ``name``
    joining ``circle`` through another service (another instance)."""
    rival = CircleService(store, default_zone="UTC")
    return Racing(store, MEMBERSHIPS, lambda: rival.join("t", circle, member(name)))


async def test_a_place_claim_that_conflicts_keeps_both_places(store: DocumentStore) -> None:
    await _in_circles(store, "p", 0, 2)
    racing = _racing_join(store, "F1", "p")
    await CircleService(racing, default_zone="UTC").join("t", "F0", member("p"))
    assert racing.raced == 1
    assert await _names_of(store, "p") == ["F0", "F1"]
    assert len(await MembershipIndex(store).places("t", "id-p")) == 2


async def test_the_open_circles_limit_is_checked_on_the_fresh_index(
    store: DocumentStore,
) -> None:
    await _in_circles(store, "p", 4, 2)
    racing = _racing_join(store, "F1", "p")
    with pytest.raises(TooManyCircles):
        await CircleService(racing, default_zone="UTC").join("t", "F0", member("p"))
    assert racing.raced == 1
    assert await _names_of(store, "p") == ["F1", "J0", "J1", "J2", "J3"]
    assert len(await MembershipIndex(store).places("t", "id-p")) == 5


async def test_a_leave_whose_release_conflicts_keeps_the_rivals_change(
    store: DocumentStore,
) -> None:
    await _in_circles(store, "p", 2, 1)
    racing = _racing_join(store, "F0", "p")
    await CircleService(racing, default_zone="UTC").leave("t", "J0", "id-p", NOW)
    assert racing.raced == 1
    assert await _names_of(store, "p") == ["F0", "J1"]
    assert len(await MembershipIndex(store).places("t", "id-p")) == 2


async def test_closing_a_circle_frees_places_despite_a_conflict(store: DocumentStore) -> None:
    await _in_circles(store, "p", 1, 1)
    racing = _racing_join(store, "F0", "fj0")
    await CircleService(racing, default_zone="UTC").end("t", "J0", "id-fj0", NOW)
    assert racing.raced == 1
    assert await _names_of(store, "fj0") == ["F0"] and await _names_of(store, "p") == []
    assert list(await MembershipIndex(store).places("t", "id-fj0")) != []
    assert await MembershipIndex(store).places("t", "id-p") == {}


async def test_a_check_in_that_conflicts_says_it_replaced_one(store: DocumentStore) -> None:
    rival = await forming(store, 2)
    await rival.start("t", "Explorers", "id-f", NOW)

    async def check_in_first() -> None:
        await rival.check_in(circle.id, "id-m1", NOW, text="first")

    [circle] = await rival.repo.all()
    racing = Racing(store, CHECKINS, check_in_first)
    result = await CircleService(racing, default_zone="UTC").check_in(
        circle.id, "id-m1", NOW, text="second"
    )
    assert racing.raced == 1 and result.replaced
    [stored] = await rival.repo.checkins(circle)
    assert stored.text == "second"


async def test_tips_progress_keeps_both_lessons(store: DocumentStore) -> None:
    first, second = LESSONS[0].id, LESSONS[1].id

    async def rival() -> None:
        await ProgressRepository(store).update("U1", lambda p: mark_done(p, first), NOW)

    racing = Racing(store, PROGRESS, rival)
    before, after = await ProgressRepository(racing).update(
        "U1", lambda p: mark_done(p, second), NOW
    )
    assert racing.raced == 1
    assert before is not None and before.done == (first,)
    assert set(after.done) == {first, second}
    stored = await ProgressRepository(store).get("u1")
    assert stored is not None and set(stored.done) == {first, second}


async def test_a_mute_and_a_learnt_zone_both_stay(store: DocumentStore) -> None:
    request = parse_mute("tips")

    async def rival() -> None:
        await PreferencesRepository(store).change(
            "t", "u", lambda p: p.with_client_zone("Europe/Berlin")
        )

    racing = Racing(store, PREFERENCES, rival)
    tips = [request.target]
    changed = await PreferencesRepository(racing).change(
        "t", "u", lambda p: mute(p, request, receiving=tips, now=NOW)
    )
    assert racing.raced == 1
    assert changed.zone == "Europe/Berlin" and len(changed.mutes) == 1
    assert await PreferencesRepository(store).get("t", "u") == changed


async def test_the_first_action_on_a_plan_loop_counts(store: DocumentStore) -> None:
    await store.put(LOOPS, "loop-1", {"key": "loop-1"})

    async def rival() -> None:
        assert await PlanRepository(store).mark_acted("loop-1", by="Rival", at=NOW)

    racing = Racing(store, LOOPS, rival)
    assert not await PlanRepository(racing).mark_acted("loop-1", by="Me", at=NOW)
    assert racing.raced == 1
    stored = await store.get(LOOPS, "loop-1")
    assert stored is not None and stored["acted_by"] == "Rival"


async def test_graph_cursors_keep_a_channel_another_sync_advanced(store: DocumentStore) -> None:
    # The document layout (TinyDB, memory; PostgreSQL keeps cursors in a table with a
    # per-channel compare-and-set, tests/storage/test_facts_contract.py).
    start = {"general": "link-0", "random": "link-0"}
    await AdoptionRepository(store, DocumentFacts(store)).save_cursors("team", start)

    async def rival() -> None:
        advanced = {**start, "general": "link-rival"}
        documents = AdoptionRepository(store, DocumentFacts(store))
        await documents.save_cursors("team", advanced, since=start)

    racing = Racing(store, cursors_collection("team"), rival)
    mine = {"general": "link-mine", "random": "link-mine"}
    await AdoptionRepository(racing, DocumentFacts(racing)).save_cursors("team", mine, since=start)
    assert racing.raced == 1
    assert await AdoptionRepository(store, DocumentFacts(store)).cursors("team") == {
        "general": "link-rival",
        "random": "link-mine",
    }


async def test_two_claims_on_a_teams_day_one_wins(store: DocumentStore) -> None:
    log = NudgeLog(store)
    claims = [NudgeClaim("team", "2026-11-23", f"c{i}", f"C{i}", NOW) for i in range(4)]
    held = await asyncio.gather(*(log.claim(c) for c in claims))
    winners = [c for c, h in zip(claims, held, strict=True) if h is None]
    assert len(winners) == 1
    assert all(h == winners[0] for h in held if h is not None)
    await log.release(claims[0] if winners[0] is not claims[0] else claims[1])  # not theirs
    assert await log.claim(claims[2]) is not None, "only the holder releases"
    await log.release(winners[0])
    assert await log.claim(claims[3]) is None


async def test_concurrent_adds_to_registries_record_one(store: DocumentStore) -> None:
    registry = ChampionRegistry(store)
    added = await asyncio.gather(*(registry.add(Champion("a1", f"Ann {i}")) for i in range(4)))
    assert sorted(added) == [False, False, False, True]
    digest = DigestRepository(store)
    user = UserRef("a1", "29:a1", "Ann")
    subscribed = await asyncio.gather(*(digest.subscribe(user, NOW) for _ in range(4)))
    assert sorted(subscribed) == [False, False, False, True]


async def test_two_retries_of_a_failed_delivery_claim_it_once(store: DocumentStore) -> None:
    log = DeliveryLog(store)
    assert await log.claim("tip:u:2026-W48", "user:u", NOW)
    await log.finish(
        "tip:u:2026-W48",
        "user:u",
        "failed",
        attempts=1,
        activity_id=None,
        detail="HTTP 400",
        now=NOW,
    )
    again = await asyncio.gather(*(log.reclaim("tip:u:2026-W48", "user:u", NOW) for _ in range(4)))
    assert sorted(again) == [False, False, False, True], "one instance resends, not two"
    record = await log.get("tip:u:2026-W48")
    assert record is not None and record["state"] == "sending"
    assert not await log.reclaim("tip:u:2026-W48", "user:u", NOW), "sending is not retryable"
