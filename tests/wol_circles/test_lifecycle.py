from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.storage import MemoryStore
from tests.wol_circles.helpers import ORIGIN, TENANT, member
from wol_circles import (
    AlreadyMember,
    AlreadyStarted,
    AmbiguousCircle,
    CircleFull,
    CircleService,
    CircleState,
    DuplicateName,
    FacilitatorCannotLeave,
    InvalidRating,
    InvalidTime,
    InvalidWeek,
    NotActive,
    NotAMember,
    NotFacilitator,
    NotInAnyCircle,
    NotOpen,
    TooFewMembers,
    UnknownCircle,
)

NOW = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)  # a Tuesday


@pytest.fixture
def service() -> CircleService:
    ids = iter(f"c{n}" for n in range(100))
    return CircleService(MemoryStore(), default_zone="Europe/Berlin", new_id=lambda: next(ids))


async def explorers(service: CircleService, *others: str) -> None:
    await service.create(TENANT, "Explorers", member("a", NOW), ORIGIN, NOW)
    for user in others:
        await service.join(TENANT, "explorers", member(user, NOW))


async def test_create_defaults_and_stores(service: CircleService) -> None:
    circle = await service.create(TENANT, "Explorers", member("a", NOW), ORIGIN, NOW)
    assert circle.state is CircleState.FORMING
    assert (circle.facilitator, circle.member_ids) == ("a", ("a",))
    assert circle.slot.weekday_name == "monday" and str(circle.slot.at) == "09:00:00"
    assert circle.slot.zone == "Europe/Berlin"
    assert circle.origin == ORIGIN
    assert await service.repo.get(circle.id) == circle
    assert await service.find(TENANT, "EXPLORERS") == circle


async def test_duplicate_names_are_case_insensitive(service: CircleService) -> None:
    await explorers(service)
    with pytest.raises(DuplicateName) as caught:
        await service.create(TENANT, "  explorers  ", member("b", NOW), ORIGIN, NOW)
    assert caught.value.existing == "Explorers"
    other = await service.create("tenant-2", "Explorers", member("b", NOW), ORIGIN, NOW)
    assert other.tenant_id == "tenant-2"


async def test_name_is_free_again_after_the_circle_ends(service: CircleService) -> None:
    await explorers(service)
    await service.end(TENANT, "Explorers", "a", NOW)
    again = await service.create(TENANT, "Explorers", member("b", NOW), ORIGIN, NOW)
    assert again.facilitator == "b"


async def test_bad_slot_is_refused_and_nothing_stored(service: CircleService) -> None:
    with pytest.raises(InvalidTime) as caught:
        await service.create(TENANT, "Explorers tuesday 25:00", member("a", NOW), ORIGIN, NOW)
    assert caught.value.value == "25:00"
    assert await service.repo.all() == []


async def test_sixth_member_is_refused(service: CircleService) -> None:
    await explorers(service, "b", "c", "d", "e")
    with pytest.raises(CircleFull) as caught:
        await service.join(TENANT, "Explorers", member("f", NOW))
    assert (caught.value.name, caught.value.limit) == ("Explorers", 5)
    assert len((await service.find(TENANT, "Explorers")).members) == 5


async def test_join_twice_and_unknown_circle(service: CircleService) -> None:
    await explorers(service, "b")
    with pytest.raises(AlreadyMember):
        await service.join(TENANT, "Explorers", member("b", NOW))
    with pytest.raises(UnknownCircle) as caught:
        await service.join(TENANT, "Explorer", member("c", NOW))
    assert caught.value.suggestions == ("Explorers",)


async def test_start_rules(service: CircleService) -> None:
    await explorers(service)
    with pytest.raises(TooFewMembers) as few:
        await service.start(TENANT, "Explorers", "a", NOW)
    assert (few.value.members, few.value.minimum) == (1, 2)
    await service.join(TENANT, "Explorers", member("b", NOW))
    with pytest.raises(NotFacilitator) as caught:
        await service.start(TENANT, "Explorers", "b", NOW)
    assert caught.value.facilitator == "a"
    circle = await service.start(TENANT, "Explorers", "a", NOW)
    assert (circle.state, circle.started_at) == (CircleState.ACTIVE, NOW)
    with pytest.raises(AlreadyStarted):
        await service.start(TENANT, "Explorers", "a", NOW)
    with pytest.raises(NotOpen):
        await service.join(TENANT, "Explorers", member("c", NOW))


async def test_leave_rules(service: CircleService) -> None:
    await explorers(service, "b", "c")
    with pytest.raises(FacilitatorCannotLeave) as caught:
        await service.leave(TENANT, "Explorers", "a", NOW)
    assert caught.value.others == 2
    with pytest.raises(NotAMember):
        await service.leave(TENANT, "Explorers", "z", NOW)
    await service.leave(TENANT, "Explorers", "b", NOW)
    await service.leave(TENANT, "Explorers", "c", NOW)
    circle = await service.leave(TENANT, "Explorers", "a", NOW)
    assert circle.state is CircleState.ENDED and circle.members == ()
    with pytest.raises(UnknownCircle):
        await service.find(TENANT, "Explorers")


async def test_end_early_by_facilitator_only(service: CircleService) -> None:
    await explorers(service, "b")
    await service.start(TENANT, "Explorers", "a", NOW)
    with pytest.raises(NotFacilitator):
        await service.end(TENANT, "Explorers", "b", NOW)
    ended = await service.end(TENANT, "Explorers", "a", NOW + timedelta(days=9))
    assert ended.state is CircleState.ENDED
    assert await service.due(NOW + timedelta(days=9)) == []
    assert await service.next_due_time(NOW + timedelta(days=9)) is None


async def test_checkin_rules(service: CircleService) -> None:
    await explorers(service, "b")
    circle = await service.find(TENANT, "Explorers")
    with pytest.raises(NotActive):
        await service.check_in(circle.id, "a", NOW, text="early")
    await service.start(TENANT, "Explorers", "a", NOW)
    with pytest.raises(NotAMember) as outsider:
        await service.check_in(circle.id, "z", NOW, text="hello")
    assert outsider.value.user_id == "z"
    with pytest.raises(NotAMember):
        await service.check_in_command(TENANT, "z", "Explorers hello", NOW)
    with pytest.raises(InvalidRating):
        await service.check_in(circle.id, "b", NOW, rating=6)
    with pytest.raises(InvalidWeek):
        await service.check_in(circle.id, "b", NOW, week=2)
    first = await service.check_in_command(TENANT, "b", "Explorers 3/5 listed ten people", NOW)
    assert (first.checkin.week, first.checkin.rating, first.replaced) == (1, 3, False)
    second = await service.check_in(circle.id, "b", NOW + timedelta(hours=1), rating=4)
    assert second.replaced and second.checkin.rating == 4
    stored = await service.repo.checkins(circle)
    assert [(c.user_id, c.week, c.rating) for c in stored] == [("b", 1, 4)]


async def test_checkin_without_name_needs_exactly_one_circle(service: CircleService) -> None:
    with pytest.raises(NotInAnyCircle):
        await service.check_in_command(TENANT, "b", "hello", NOW)
    await explorers(service, "b")
    await service.start(TENANT, "Explorers", "a", NOW)
    result = await service.check_in_command(TENANT, "b", "did my homework", NOW)
    assert result.checkin.text == "did my homework"
    await service.create(TENANT, "Builders", member("c", NOW), ORIGIN, NOW)
    await service.join(TENANT, "Builders", member("b", NOW))
    with pytest.raises(AmbiguousCircle) as caught:
        await service.check_in_command(TENANT, "b", "again", NOW)
    assert set(caught.value.choices) == {"Explorers", "Builders"}


async def test_goals_and_listing(service: CircleService) -> None:
    await explorers(service, "b")
    goal = await service.set_goal(TENANT, "b", "Explorers learn to write in public", NOW)
    assert goal.text == "learn to write in public"
    await service.set_goal(TENANT, "b", "speak at the town hall", NOW)
    circle = await service.repo.get(goal.circle_id)
    assert circle is not None
    assert [g.text for g in await service.repo.goals(circle)] == ["speak at the town hall"]
    listing = await service.listing(TENANT, "z")
    assert [c.name for c in listing.joinable] == ["Explorers"] and listing.mine == ()
    assert [c.name for c in (await service.listing(TENANT, "b")).mine] == ["Explorers"]
    assert [c.name for c in await service.repo.circles_of(TENANT, "b")] == ["Explorers"]
