"""Weekly sends at a wall time in each person's own zone, across both DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from audience import WeeklySlot, due_week, iso_week

MONDAY_9 = WeeklySlot(0, time(9, 0))


def _sends(zone: str, start: datetime, days: int, step: timedelta) -> dict[str, datetime]:
    """Simulate a job every ``step``: the first moment each ISO week became due."""
    first: dict[str, datetime] = {}
    now = start
    while now < start + timedelta(days=days):
        week = due_week(now, MONDAY_9, zone)
        if week and week not in first:
            first[week] = now
        now += step
    return first


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York"])
def test_monday_nine_local_across_spring_and_autumn_changes(zone: str) -> None:
    # 2026: US changes on 8 Mar and 1 Nov, the EU on 29 Mar and 25 Oct.
    for start in (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 10, 18, tzinfo=UTC)):
        sends = _sends(zone, start, 28, timedelta(minutes=15))
        assert len(sends) == 4
        for moment in sends.values():
            local = moment.astimezone(ZoneInfo(zone))
            assert (local.weekday(), local.hour, local.minute) == (0, 9, 0), local


def test_two_zones_get_the_same_wall_time_at_different_instants() -> None:
    now_berlin = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 09:00 in Berlin, 03:00 in New York
    assert due_week(now_berlin, MONDAY_9, "Europe/Berlin") == "2026-W49"
    assert due_week(now_berlin, MONDAY_9, "America/New_York") is None
    assert due_week(now_berlin + timedelta(hours=6), MONDAY_9, "America/New_York") == "2026-W49"


def test_catch_up_is_one_day_then_the_week_is_skipped() -> None:
    slot = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert due_week(slot + timedelta(hours=23, minutes=59), MONDAY_9, "Europe/Berlin")
    assert due_week(slot + timedelta(hours=24), MONDAY_9, "Europe/Berlin") is None
    assert due_week(slot - timedelta(seconds=1), MONDAY_9, "Europe/Berlin") is None


def test_a_wall_time_that_does_not_exist_moves_forward() -> None:
    early = WeeklySlot(6, time(2, 30))  # Sunday 02:30, the night clocks skip it in Berlin
    assert due_week(datetime(2026, 3, 29, 0, 59, tzinfo=UTC), early, "Europe/Berlin") is None
    assert due_week(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), early, "Europe/Berlin")


def test_iso_week_label_and_weekday_check() -> None:
    assert iso_week(datetime(2027, 1, 1).date()) == "2026-W53"
    with pytest.raises(ValueError):
        WeeklySlot(7, time(9))
