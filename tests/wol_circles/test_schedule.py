"""What is due when: a whole programme on a fake clock, restarts and downtime."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.storage import MemoryStore, TinyDBStore
from tests.wol_circles.helpers import ORIGIN, TENANT, Driver, member
from wol_circles import CIRCLE_CHAT, Circle, CircleService, CircleState, Kind
from wol_circles.slots import week_start

START = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)  # Tuesday; the March DST change is in week 4
BERLIN = ZoneInfo("Europe/Berlin")
MEMBERS = ("a", "b", "c", "d")
CHECKERS = {
    "a": set(range(1, 13)),
    "b": set(range(2, 13, 2)),
    "c": set(),
    "d": set(range(1, 7)),
}


async def started_circle(service: CircleService) -> Circle:
    await service.create(TENANT, "Explorers", member("a", START), ORIGIN, START)
    for user in MEMBERS[1:]:
        await service.join(TENANT, "Explorers", member(user, START))
    return await service.start(TENANT, "Explorers", "a", START)


def at(circle: Circle, week: int) -> datetime:
    assert circle.started_at is not None
    return week_start(circle.slot, circle.started_at, week)


async def play_weeks(driver: Driver, circle: Circle, weeks: range) -> None:
    """Each member in CHECKERS checks in one day after the week's prompt."""
    for week in weeks:
        await driver.advance_to(at(circle, week) + timedelta(days=1))
        for user, done in CHECKERS.items():
            if week in done:
                await driver.service.check_in(
                    circle.id, user, driver.now, text=f"week {week}", rating=1 + week % 5
                )


def sent(driver: Driver, kind: Kind, week: int) -> list[tuple[datetime, str]]:
    return sorted(
        (when, d.recipient) for when, d in driver.sent if d.kind is kind and d.week == week
    )


@pytest.fixture
def service() -> CircleService:
    return CircleService(MemoryStore(), default_zone="Europe/Berlin", new_id=lambda: "c1")


async def test_a_four_member_circle_over_twelve_weeks(service: CircleService) -> None:
    circle = await started_circle(service)
    driver = Driver(service, START)
    await driver.run_due()
    assert sent(driver, Kind.PROMPT, 1) == [(START, r) for r in sorted((*MEMBERS, CIRCLE_CHAT))]

    await play_weeks(driver, circle, range(1, 7))
    status = await service.status(TENANT, "b", "explorers", driver.now)
    assert status.week == 6
    assert {m.user_id: m.checked_in for m in status.members} == {
        "a": True, "b": True, "c": False, "d": True,
    }  # fmt: skip
    assert {m.user_id: m.streak for m in status.members} == {"a": 6, "b": 1, "c": 0, "d": 6}
    local = status.next_prompt_local
    assert local is not None and (local.weekday(), local.hour, local.minute) == (0, 9, 0)

    await play_weeks(driver, circle, range(7, 13))
    await driver.advance_to(at(circle, 13) + timedelta(days=30))

    for week in range(1, 13):
        expected = at(circle, week)
        assert sent(driver, Kind.PROMPT, week) == [
            (expected, r) for r in sorted((*MEMBERS, CIRCLE_CHAT))
        ]
        if week > 1:
            assert expected.astimezone(BERLIN).strftime("%a %H:%M") == "Mon 09:00"
        missing = sorted(u for u in MEMBERS if week not in CHECKERS[u])
        reminder_time = expected + timedelta(days=2)
        assert sent(driver, Kind.REMINDER, week) == [(reminder_time, u) for u in missing]
    assert sent(driver, Kind.COMPLETION, 12) == [
        (at(circle, 13), r) for r in sorted((*MEMBERS, CIRCLE_CHAT))
    ]
    assert all(d.late_by == timedelta(0) for _, d in driver.sent)
    assert len(set(driver.keys())) == len(driver.keys())
    assert driver.skipped == [] and driver.completed == ["c1"]

    done = await service.repo.get("c1")
    assert done is not None and done.state is CircleState.COMPLETED
    assert done.finished_at == at(circle, 13)
    assert await service.next_due_time(driver.now) is None
    summary = await service.summary("c1")
    by_user = {m.user_id: m for m in summary.members}
    assert {u: m.checkins for u, m in by_user.items()} == {"a": 12, "b": 6, "c": 0, "d": 6}
    assert {u: m.longest_streak for u, m in by_user.items()} == {"a": 12, "b": 1, "c": 0, "d": 6}
    assert by_user["a"].ratings == tuple(1 + w % 5 for w in range(1, 13))
    assert by_user["d"].ratings[6:] == (None,) * 6
    assert summary.total_checkins == 24
    # The name is free for the next circle.
    assert [c.name for c in await service.repo.circles(TENANT, open_only=True)] == []


@pytest.fixture
async def data_dir(tmp_path: Path) -> AsyncIterator[Path]:
    yield tmp_path / "data"


async def test_restart_in_week_five_neither_repeats_nor_skips(data_dir: Path) -> None:
    first_store = await TinyDBStore.open(data_dir)
    first = CircleService(first_store, default_zone="Europe/Berlin", new_id=lambda: "c1")
    circle = await started_circle(first)
    before = Driver(first, START)
    await before.run_due()
    await play_weeks(before, circle, range(1, 6))
    await first_store.close()

    second_store = await TinyDBStore.open(data_dir)
    second = CircleService(second_store, default_zone="Europe/Berlin")
    after = Driver(second, before.now)
    assert await second.due(after.now) == []
    assert await second.next_due_time(after.now) == at(circle, 5) + timedelta(days=2)
    await play_weeks(after, circle, range(6, 13))
    await after.advance_to(at(circle, 13) + timedelta(hours=1))
    await second_store.close()

    keys = before.keys() + after.keys()
    assert len(keys) == len(set(keys))
    prompts = Counter(d.week for _, d in before.sent + after.sent if d.kind is Kind.PROMPT)
    assert prompts == {week: 5 for week in range(1, 13)}
    assert {d.week for _, d in before.sent if d.kind is Kind.PROMPT} == set(range(1, 6))
    assert after.completed == ["c1"]


async def test_crash_between_send_and_acknowledge_repeats_the_same_keys(
    service: CircleService,
) -> None:
    circle = await started_circle(service)
    [plan] = await service.due(START)
    restarted = CircleService(service.repo.store, default_zone="Europe/Berlin")
    [again] = await restarted.due(START + timedelta(minutes=5))
    assert [d.key for d in again.deliveries] == [d.key for d in plan.deliveries]
    assert plan.deliveries[0].key == f"circle/{circle.id}/w01/a/prompt"


async def test_downtime_over_a_slot_sends_one_late_prompt(service: CircleService) -> None:
    circle = await started_circle(service)
    driver = Driver(service, START)
    await play_weeks(driver, circle, range(1, 5))
    await driver.advance_to(at(circle, 5) - timedelta(hours=1))
    driver.now = at(circle, 5) + timedelta(hours=6)  # down over Monday 09:00
    await driver.run_due()
    await driver.run_due()
    late = [d for _, d in driver.sent if d.week == 5]
    assert sorted(d.recipient for d in late) == sorted((*MEMBERS, CIRCLE_CHAT))
    assert {d.late_by for d in late} == {timedelta(hours=6)}
    await driver.advance_to(at(circle, 6) + timedelta(hours=1))
    assert len([d for _, d in driver.sent if d.week == 5 and d.kind is Kind.PROMPT]) == 5
    assert driver.skipped == []


@pytest.mark.parametrize(
    ("down_for", "skipped"),
    [
        (timedelta(hours=24), []),
        (timedelta(hours=24, seconds=1), ["w05.prompt"]),
    ],
)
async def test_catch_up_window_is_24_hours(
    service: CircleService, down_for: timedelta, skipped: list[str]
) -> None:
    circle = await started_circle(service)
    driver = Driver(service, START)
    await driver.advance_to(at(circle, 5) - timedelta(hours=1))
    driver.now = at(circle, 5) + down_for
    await driver.run_due()
    assert [o.marker for o in driver.skipped] == skipped
    assert bool([d for _, d in driver.sent if d.week == 5]) is not bool(skipped)


async def test_downtime_of_three_days_skips_and_reports(service: CircleService) -> None:
    circle = await started_circle(service)
    driver = Driver(service, START)
    await play_weeks(driver, circle, range(1, 5))
    await driver.advance_to(at(circle, 5) - timedelta(hours=1))
    sent_before = len(driver.sent)
    driver.now = at(circle, 5) + timedelta(days=3, hours=1)
    await driver.run_due()
    assert len(driver.sent) == sent_before
    assert [(o.week, o.kind) for o in driver.skipped] == [(5, Kind.PROMPT), (5, Kind.REMINDER)]
    assert await service.next_due_time(driver.now) == at(circle, 6)
    await driver.advance_to(at(circle, 6))
    assert len(sent(driver, Kind.PROMPT, 6)) == 5
    assert sent(driver, Kind.PROMPT, 5) == []
    assert len(driver.skipped) == 2


async def test_reminder_sees_checkins_made_after_the_prompt(service: CircleService) -> None:
    circle = await started_circle(service)
    driver = Driver(service, START)
    await driver.run_due()
    for user in ("a", "b", "c"):
        await service.check_in(circle.id, user, START + timedelta(hours=3), rating=5)
    await driver.advance_to(START + timedelta(days=2))
    assert sent(driver, Kind.REMINDER, 1) == [(START + timedelta(days=2), "d")]


async def test_end_early_stops_everything(service: CircleService) -> None:
    circle = await started_circle(service)
    driver = Driver(service, START)
    await play_weeks(driver, circle, range(1, 3))
    await service.end(TENANT, "Explorers", "a", driver.now)
    await driver.advance_to(at(circle, 13) + timedelta(days=1))
    assert max(d.week for _, d in driver.sent) == 2
    assert driver.completed == []
    ended = await service.repo.get(circle.id)
    assert ended is not None and ended.state is CircleState.ENDED


async def test_acknowledging_after_an_early_end_does_not_complete(service: CircleService) -> None:
    circle = await started_circle(service)
    driver = Driver(service, START)
    await driver.advance_to(at(circle, 13) - timedelta(minutes=1))
    [plan] = await service.due(at(circle, 13))
    assert plan.completes
    await service.end(TENANT, "Explorers", "a", at(circle, 13))
    after = await service.acknowledge(plan, at(circle, 13))
    assert after.state is CircleState.ENDED
