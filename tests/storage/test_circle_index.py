"""A store an older Trimtab wrote (no membership index, no record of who left a circle)
upgrades without losing anything, on memory, TinyDB and PostgreSQL; and through the bot,
a data dir or database from before the index answers ``circle status`` at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import DocumentStore, TinyDBStore
from bot.storage.dburl import parse_database_url
from bot.storage.postgres import PostgresStore
from tests.conftest import AppFactory
from tests.fakes.activities import LEE, MEGAN, ActivityFactory
from wol_circles import CircleService, CircleState, Member, Origin, OriginKind
from wol_circles.memberships import MEMBERSHIPS, META
from wol_circles.model import CheckIn, Circle, Goal, Slot, checkin_key, goal_key
from wol_circles.repository import CHECKINS, CIRCLES, GOALS, NAMES, name_key

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday
TENANT = ActivityFactory("http://unused").tenant_id


def old_circle(circle_id: str, name: str, members: list[str], state: CircleState) -> Circle:
    people = tuple(Member(user_id, user_id.title(), NOW) for user_id in members)
    return Circle(
        circle_id, TENANT, name, members[0], people, Origin(OriginKind.PERSONAL, "c"),
        Slot(0, NOW.time(), "UTC"), state, NOW - timedelta(days=30), started_at=NOW,
    )  # fmt: skip


async def seed_as_before_the_index(store: DocumentStore, members: list[str]) -> None:
    """Two open circles and a completed one, a check-in and a goal of a member who has
    left, written the way a Trimtab without the index wrote them."""
    circles = [
        old_circle("c-open", "Explorers", members, CircleState.ACTIVE),
        old_circle("c-forming", "Builders", members[:1], CircleState.FORMING),
        old_circle("c-done", "Veterans", members, CircleState.COMPLETED),
    ]
    for circle in circles:
        doc = circle.to_doc()
        del doc["former_member_ids"]
        await store.put(CIRCLES, circle.id, doc)
        if circle.state.is_open:
            await store.put(NAMES, name_key(TENANT, circle.name), {"circle_id": circle.id})
    for user_id in (members[0], "left-early"):
        checkin = CheckIn("c-open", 1, user_id, f"week one by {user_id}", 4, NOW)
        await store.put(CHECKINS, checkin_key("c-open", 1, user_id), checkin.to_doc())
    goal = Goal("c-open", "left-early", "ship it", NOW)
    await store.put(GOALS, goal_key("c-open", "left-early"), goal.to_doc())


async def test_an_old_store_gets_its_index_once_and_loses_nothing(store: DocumentStore) -> None:
    await seed_as_before_the_index(store, ["ann", "bob"])
    assert await store.all(MEMBERSHIPS) == {}

    service = CircleService(store, default_zone="UTC")
    assert [c.name for c in await service.repo.circles_of(TENANT, "ann")] == [
        "Explorers",
        "Builders",
    ]
    assert [c.name for c in await service.repo.circles_of(TENANT, "bob")] == ["Explorers"]
    assert await service.repo.circles_of(TENANT, "left-early") == []
    circle = await service.repo.get("c-open")
    assert circle is not None and circle.former == ("left-early",)
    checkins = await service.repo.checkins(circle)
    assert [c.user_id for c in checkins] == ["ann", "left-early"]  # the admin summary counts 2
    assert [g.text for g in await service.repo.goals(circle)] == ["ship it"]
    assert await store.get(META, "memberships") is not None

    # built once: a circle written behind the index's back now (as an old instance would)
    # is not picked up by another instance, which trusts the index
    await store.put(
        CIRCLES, "c-late", old_circle("c-late", "Late", ["bob"], CircleState.FORMING).to_doc()
    )
    again = CircleService(store, default_zone="UTC")
    assert [c.name for c in await again.repo.circles_of(TENANT, "bob")] == ["Explorers"]
    status = await again.status(TENANT, "ann", "Explorers", NOW + timedelta(days=1))
    assert [m.checked_in for m in status.members] == [True, False]


@pytest.fixture(params=["tinydb", "postgresql"])
async def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    """A data dir or database an older Trimtab left, reopened by this one."""
    if request.param == "tinydb":
        before = await TinyDBStore.open(tmp_path / "data")
        await seed_as_before_the_index(before, [LEE.aad_id.lower(), MEGAN.aad_id.lower()])
        await before.close()
        store: DocumentStore = await TinyDBStore.open(tmp_path / "data")
    else:
        config = parse_database_url(request.getfixturevalue("pg_url"))
        before_pg = await PostgresStore.open(config)
        await seed_as_before_the_index(before_pg, [LEE.aad_id.lower(), MEGAN.aad_id.lower()])
        await before_pg.close()
        store = await PostgresStore.open(config)
    yield store
    await store.close()


async def test_circle_status_after_an_upgrade(
    old_store: DocumentStore, make_trimtab: AppFactory
) -> None:
    trimtab = await make_trimtab(store=old_store)
    megan = (await trimtab.say(MEGAN, "circle status"))[0].all_text()
    assert "Explorers" in megan and "not in an open circle" not in megan
    lee = (await trimtab.say(LEE, "circle status"))[0].all_text()
    assert "Explorers" in lee and "Builders" in lee  # two open circles: which one?
    listing = (await trimtab.say(MEGAN, "circle list"))[0].all_text()
    assert "Explorers" in listing and "Veterans" not in listing
