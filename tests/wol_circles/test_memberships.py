"""The membership index: "which circles is this person in" without reading every circle,
and "at most 5 open circles per person" held even by joins at once.

The index is a hint: a place whose circle does not list the person (a crash between the
two writes) is never shown, and is removed once it cannot be a join under way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.admin.sources import circle_rows
from bot.storage import MemoryStore
from tests.wol_circles.helpers import ORIGIN, TENANT, member
from wol_circles import (
    AlreadyMember,
    CircleFull,
    CircleService,
    NotInAnyCircle,
    TooManyCircles,
    rules,
)
from wol_circles.memberships import CLAIM_GRACE, MEMBERSHIPS, MembershipIndex, Place
from wol_circles.repository import CHECKINS, CIRCLES, GOALS

NOW = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)


class Counting(MemoryStore):
    """A memory store that yields to the event loop on every call (so joins at once
    interleave as on a server) and counts whole-collection reads."""

    def __init__(self) -> None:
        super().__init__()
        self.scans: list[str] = []

    async def all(self, collection: str) -> dict[str, dict[str, Any]]:
        self.scans.append(collection)
        return await super().all(collection)

    async def get_versioned(self, collection: str, key: str) -> tuple[Any, int | None]:
        await asyncio.sleep(0)
        return await super().get_versioned(collection, key)

    async def get_many(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], dict[str, Any] | None]:
        await asyncio.sleep(0)
        return await super().get_many(keys)


@pytest.fixture
def store() -> Counting:
    return Counting()


def service_on(store: MemoryStore) -> CircleService:
    return CircleService(store, default_zone="Europe/Berlin")


async def circles_with(service: CircleService, person: str, names: Iterable[str]) -> None:
    for name in names:
        await service.create(TENANT, name, member(f"f-{name}", NOW), ORIGIN, NOW)
        await service.join(TENANT, name, member(person, NOW))


async def places(store: MemoryStore, person: str) -> set[str]:
    return set(await MembershipIndex(store).places(TENANT, person))


async def test_status_reads_the_index_and_the_circle_not_every_circle(store: Counting) -> None:
    service = service_on(store)
    await circles_with(service, "b", ["Alpha", "Beta"])
    await service.create(TENANT, "Gamma", member("c", NOW), ORIGIN, NOW)
    await service.leave(TENANT, "Beta", "b", NOW)
    await service.start(TENANT, "Alpha", "f-Alpha", NOW)
    await service.check_in_command(TENANT, "b", "a first week", NOW)
    store.scans.clear()

    status = await service.status(TENANT, "b", None, NOW)

    assert status.circle.name == "Alpha" and status.members[1].checked_in
    assert [c.name for c in await service.repo.circles_of(TENANT, "b")] == ["Alpha"]
    assert store.scans == [], "no whole collection is read"
    with pytest.raises(NotInAnyCircle):
        await service.status(TENANT, "nobody", None, NOW)


async def test_two_joins_at_once_cannot_pass_the_fifth_circle(store: Counting) -> None:
    one, other = service_on(store), service_on(store)  # two instances, one database
    await circles_with(one, "p", ["A1", "A2", "A3", "A4"])
    for name in ("X", "Y"):
        await one.create(TENANT, name, member(f"f-{name}", NOW), ORIGIN, NOW)

    results = await asyncio.gather(
        one.join(TENANT, "X", member("p", NOW)),
        other.join(TENANT, "Y", member("p", NOW)),
        return_exceptions=True,
    )

    refused = [r for r in results if isinstance(r, TooManyCircles)]
    assert len(refused) == 1 and len(results) == 2, results
    mine = await one.repo.circles_of(TENANT, "p")
    assert len(mine) == 5
    assert await places(store, "p") == {c.id for c in mine}
    assert len(refused[0].names) == 5


async def test_a_refused_join_gives_its_place_back_an_existing_member_keeps_it(
    store: Counting,
) -> None:
    service = service_on(store)
    await service.create(TENANT, "Full", member("f", NOW), ORIGIN, NOW)
    for user in ("b", "c", "d", "e"):
        await service.join(TENANT, "Full", member(user, NOW))
    with pytest.raises(CircleFull):
        await service.join(TENANT, "Full", member("z", NOW))
    assert await places(store, "z") == set()
    with pytest.raises(AlreadyMember):
        await service.join(TENANT, "Full", member("b", NOW))
    assert [c.name for c in await service.repo.circles_of(TENANT, "b")] == ["Full"]


async def test_a_place_left_by_a_crashed_join_is_never_shown_and_goes_when_old(
    store: Counting,
) -> None:
    service = service_on(store)
    await circles_with(service, "p", ["Alpha"])
    crashed = await service.create(TENANT, "Beta", member("f", NOW), ORIGIN, NOW)
    # the join claimed its place, then the instance died before writing the circle
    await service.repo.memberships.claim(TENANT, "p", Place.new(crashed.id, NOW), 5)

    assert [c.name for c in await service.repo.circles_of(TENANT, "p", NOW)] == ["Alpha"]
    assert crashed.id in await places(store, "p"), "young: may be a join under way"
    later = NOW + CLAIM_GRACE
    assert [c.name for c in await service.repo.circles_of(TENANT, "p", later)] == ["Alpha"]
    assert crashed.id not in await places(store, "p")
    await service.join(TENANT, "Beta", member("p", later))  # and the person can join it
    assert len(await service.repo.circles_of(TENANT, "p", later)) == 2


async def test_a_leave_that_crashed_before_giving_the_place_back(store: Counting) -> None:
    service = service_on(store)
    await circles_with(service, "p", ["Alpha"])
    [alpha] = await service.repo.circles_of(TENANT, "p")
    await service.repo.change(alpha.id, lambda c: rules.leave(c, "p", NOW))

    assert await service.repo.circles_of(TENANT, "p") == []
    assert alpha.id in await places(store, "p"), "its age unknown: kept"
    assert await service.repo.circles_of(TENANT, "p", NOW + CLAIM_GRACE) == []
    assert await places(store, "p") == set(), "claimed long before: removed"


async def test_dead_places_do_not_count_towards_the_limit(store: Counting) -> None:
    service = service_on(store)
    await circles_with(service, "p", ["A1", "A2", "A3", "A4", "A5"])
    with pytest.raises(TooManyCircles):
        await service.create(TENANT, "A6", member("p", NOW), ORIGIN, NOW)
    for name in ("A1", "A2"):  # two leaves that crashed before giving the place back
        found = await service.find(TENANT, name)
        await service.repo.change(found.id, lambda c: rules.leave(c, "p", NOW))
    later = NOW + CLAIM_GRACE
    await service.create(TENANT, "A6", member("p", later), ORIGIN, later)
    assert [c.name for c in await service.repo.circles_of(TENANT, "p", later)] == [
        "A3", "A4", "A5", "A6",
    ]  # fmt: skip


async def test_a_young_claim_counts_until_it_is_old(store: Counting) -> None:
    service = service_on(store)
    await circles_with(service, "p", ["A1", "A2", "A3", "A4"])
    beta = await service.create(TENANT, "Beta", member("f", NOW), ORIGIN, NOW)
    await service.repo.memberships.claim(TENANT, "p", Place.new(beta.id, NOW), 5)
    with pytest.raises(TooManyCircles) as refused:
        await service.create(TENANT, "A5", member("p", NOW), ORIGIN, NOW)
    assert "Beta" in refused.value.names
    await service.create(TENANT, "A5", member("p", NOW + CLAIM_GRACE), ORIGIN, NOW + CLAIM_GRACE)


async def test_closing_a_circle_frees_every_members_place(store: Counting) -> None:
    service = service_on(store)
    await circles_with(service, "p", ["Alpha"])
    await service.join(TENANT, "Alpha", member("q", NOW))
    await service.end(TENANT, "Alpha", "f-Alpha", NOW)
    for person in ("p", "q", "f-Alpha"):
        assert await places(store, person) == set()
    await circles_with(service, "p", ["Beta"])
    await service.leave(TENANT, "Beta", "p", NOW)
    await service.leave(TENANT, "Beta", "f-Beta", NOW)  # the last member: the circle ends
    assert await places(store, "p") == set() and await places(store, "f-Beta") == set()


async def test_a_create_refused_for_its_name_gives_the_place_back(store: Counting) -> None:
    service = service_on(store)
    await service.create(TENANT, "Alpha", member("f", NOW), ORIGIN, NOW)
    with pytest.raises(Exception, match="Alpha"):
        await service.create(TENANT, "alpha", member("p", NOW), ORIGIN, NOW)
    assert await places(store, "p") == set()


async def test_a_store_from_before_the_index_loses_nothing(store: Counting) -> None:
    old = service_on(store)
    await circles_with(old, "p", ["Alpha", "Beta"])
    await old.start(TENANT, "Alpha", "f-Alpha", NOW)
    await old.join(TENANT, "Beta", member("gone", NOW))
    [alpha, _] = await old.repo.all()
    await old.check_in(alpha.id, "p", NOW, text="week one")
    await old.leave(TENANT, "Alpha", "p", NOW)
    # as an older Trimtab left it: no index, no marker, no record of who left
    for key in list(await store.all(MEMBERSHIPS)):
        await store.delete(MEMBERSHIPS, key)
    await store.delete("circles.meta", "memberships")
    doc = await store.get(CIRCLES, alpha.id)
    assert doc is not None
    await store.put(CIRCLES, alpha.id, {k: v for k, v in doc.items() if k != "former_member_ids"})

    upgraded = service_on(store)
    assert [c.name for c in await upgraded.repo.circles_of(TENANT, "p")] == ["Beta"]
    assert [c.name for c in await upgraded.repo.circles_of(TENANT, "gone")] == ["Beta"]
    [fresh_alpha, _] = await upgraded.repo.all()
    assert fresh_alpha.former == ("p",)
    assert [c.text for c in await upgraded.repo.checkins(fresh_alpha)] == ["week one"]
    store.scans.clear()
    again = service_on(store)  # another instance: the index is built once
    assert [c.name for c in await again.repo.circles_of(TENANT, "p")] == ["Beta"]
    assert not {CIRCLES, CHECKINS, GOALS} & set(store.scans)


async def test_check_ins_of_a_member_who_left_still_count(store: Counting) -> None:
    """The admin summary counts every check-in of a circle, a leaver's too; a member's
    status and the completion summary show the members only (as before the index)."""
    service = service_on(store)
    await circles_with(service, "p", ["Alpha"])
    await service.join(TENANT, "Alpha", member("q", NOW))
    await service.start(TENANT, "Alpha", "f-Alpha", NOW)
    [alpha] = await service.repo.all()
    for person in ("p", "q"):
        await service.check_in(alpha.id, person, NOW, text=f"by {person}")
    await service.set_goal(TENANT, "q", "Alpha write more", NOW)
    await service.leave(TENANT, "Alpha", "q", NOW)

    rows = await circle_rows(store, NOW + timedelta(days=8))
    assert [(r.name, r.checkins) for r in rows] == [("Alpha", 2)]
    [fresh] = await service.repo.all()
    assert [c.user_id for c in await service.repo.checkins(fresh)] == ["p", "q"]
    assert [g.user_id for g in await service.repo.goals(fresh)] == ["q"]
    status = await service.status(TENANT, "p", None, NOW)
    assert [m.user_id for m in status.members] == ["f-Alpha", "p"]
    summary = await service.summary(alpha.id)
    assert summary.total_checkins == 1
