"""Week boundaries in the circle's zone, DST included."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from wol_circles import Slot
from wol_circles.slots import COMPLETION_WEEK, next_slot, week_at, week_start

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_9 = Slot(0, time(9, 0), "Europe/Berlin")


def test_october_dst_change_keeps_nine_local() -> None:
    start = datetime(2025, 10, 14, 8, 0, tzinfo=UTC)  # Tuesday, CEST
    starts = [week_start(MONDAY_9, start, w) for w in range(2, COMPLETION_WEEK + 1)]
    for moment in starts:
        local = moment.astimezone(BERLIN)
        assert (local.weekday(), local.hour, local.minute) == (0, 9, 0)
    assert starts[0] == datetime(2025, 10, 20, 7, 0, tzinfo=UTC)  # CEST: UTC+2
    assert starts[1] == datetime(2025, 10, 27, 8, 0, tzinfo=UTC)  # CET after Oct 26: UTC+1
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert gaps.count(timedelta(days=7)) == len(gaps) - 1
    assert gaps[0] == timedelta(days=7, hours=1)  # the week containing the change


def test_week_one_is_the_start_itself() -> None:
    start = datetime(2025, 10, 14, 8, 3, 7, tzinfo=UTC)
    assert week_start(MONDAY_9, start, 1) == start


@pytest.mark.parametrize(
    ("local_start", "week2"),
    [
        (datetime(2025, 3, 3, 8, 0), datetime(2025, 3, 10, 9, 0)),  # Mon before the slot
        (datetime(2025, 3, 3, 10, 0), datetime(2025, 3, 10, 9, 0)),  # Mon after the slot
        (datetime(2025, 3, 5, 12, 0), datetime(2025, 3, 10, 9, 0)),  # Wed: 4 days 21 h
        (datetime(2025, 3, 6, 10, 0), datetime(2025, 3, 17, 9, 0)),  # Thu: < 4 days to Mon
        (datetime(2025, 3, 6, 9, 0), datetime(2025, 3, 10, 9, 0)),  # Thu 09:00: exactly 4 days
    ],
)
def test_week_two_is_the_first_slot_at_least_four_days_after_the_start(
    local_start: datetime, week2: datetime
) -> None:
    start = local_start.replace(tzinfo=BERLIN)
    assert week_start(MONDAY_9, start, 2) == week2.replace(tzinfo=BERLIN)


def test_nonexistent_wall_time_moves_forward() -> None:
    slot = Slot(6, time(2, 30), "Europe/Berlin")  # Sunday 02:30; 2025-03-30 skips 02:00-03:00
    moment = next_slot(slot, datetime(2025, 3, 29, 12, 0, tzinfo=UTC))
    assert moment == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    assert moment.astimezone(BERLIN).hour == 3


def test_week_at() -> None:
    start = datetime(2025, 10, 14, 8, 0, tzinfo=UTC)
    assert week_at(MONDAY_9, None, start) == 0
    assert week_at(MONDAY_9, start, start - timedelta(seconds=1)) == 0
    assert week_at(MONDAY_9, start, start) == 1
    week3 = week_start(MONDAY_9, start, 3)
    assert week_at(MONDAY_9, start, week3 - timedelta(seconds=1)) == 2
    assert week_at(MONDAY_9, start, week3) == 3
    assert week_at(MONDAY_9, start, week_start(MONDAY_9, start, 13)) == 13


def test_week_out_of_range() -> None:
    with pytest.raises(ValueError):
        week_start(MONDAY_9, datetime(2025, 1, 1, tzinfo=UTC), 14)
