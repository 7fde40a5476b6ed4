"""ISO weeks in a zone, DST-correct boundaries and --period parsing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from adoption.comparison import PERIOD_WEEKS, comparison_period
from adoption.weeks import IsoWeek, Period, parse_period, weeks_between
from tests.adoption.factories import at

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 11, 23)  # a Monday, ISO week 2026-W48


def test_label_and_parse_round_trip() -> None:
    assert IsoWeek(2026, 45).label == "2026-W45"
    assert IsoWeek(2026, 5).label == "2026-W05"
    assert IsoWeek.parse("2026-W45") == IsoWeek(2026, 45)
    assert IsoWeek.parse("2026-W53") == IsoWeek(2026, 53)  # 2026 starts on a Thursday


@pytest.mark.parametrize("label", ["2026-45", "2025-W53", "2026-W00", "W45", ""])
def test_bad_week_label_shows_an_example(label: str) -> None:
    with pytest.raises(ValueError, match="2026-W45"):
        IsoWeek.parse(label)


def test_year_boundary_follows_iso_rules() -> None:
    assert IsoWeek.of(date(2026, 12, 31)) == IsoWeek(2026, 53)
    assert IsoWeek.of(date(2027, 1, 3)) == IsoWeek(2026, 53)  # Sunday still in W53
    assert IsoWeek.of(date(2027, 1, 4)) == IsoWeek(2027, 1)
    assert IsoWeek(2026, 53).next() == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).previous() == IsoWeek(2026, 53)


def test_autumn_dst_week_is_169_hours_in_berlin() -> None:
    # Clocks go back on Sunday 2026-10-25 03:00 CEST -> 02:00 CET, inside 2026-W43.
    week = IsoWeek(2026, 43)
    start, end = week.start(BERLIN), week.end(BERLIN)
    assert start.astimezone(UTC) == datetime(2026, 10, 18, 22, 0, tzinfo=UTC)  # 00:00 +02:00
    assert end.astimezone(UTC) == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)  # 00:00 +01:00
    assert end - start == timedelta(hours=169)


def test_spring_dst_week_is_167_hours_in_berlin() -> None:
    # Clocks go forward on Sunday 2026-03-29 02:00 CET -> 03:00 CEST, inside 2026-W13.
    week = IsoWeek(2026, 13)
    assert week.end(BERLIN) - week.start(BERLIN) == timedelta(hours=167)


def test_sunday_2330_local_after_the_october_change_stays_in_its_week() -> None:
    # 23:30 CET on Sunday 25 Oct is 22:30 UTC: still Sunday in Berlin -> W43.
    late_sunday = at("2026-10-25 23:30", "Europe/Berlin")
    assert late_sunday.astimezone(UTC) == datetime(2026, 10, 25, 22, 30, tzinfo=UTC)
    assert IsoWeek.of_datetime(late_sunday, BERLIN) == IsoWeek(2026, 43)
    # 23:30 UTC the same evening is 00:30 Monday in Berlin -> W44, but W43 in UTC.
    utc_late = at("2026-10-25 23:30")
    assert IsoWeek.of_datetime(utc_late, BERLIN) == IsoWeek(2026, 44)
    assert IsoWeek.of_datetime(utc_late, ZoneInfo("UTC")) == IsoWeek(2026, 43)
    # Exactly the week end (00:00 CET Monday = 23:00 UTC) belongs to the next week.
    assert IsoWeek.of_datetime(IsoWeek(2026, 43).end(BERLIN), BERLIN) == IsoWeek(2026, 44)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        IsoWeek.of_datetime(datetime(2026, 10, 25, 12, 0), BERLIN)


def test_weeks_between_covers_partial_weeks() -> None:
    # Wed 2026-10-21 (W43) .. Tue 2026-11-03 (W45)
    assert [w.label for w in weeks_between(date(2026, 10, 21), date(2026, 11, 3))] == [
        "2026-W43",
        "2026-W44",
        "2026-W45",
    ]
    assert weeks_between(date(2026, 11, 3), date(2026, 11, 1)) == []


def test_period_in_weeks_is_the_last_full_weeks() -> None:
    # Today is Monday of W48, so the last full week is W47 (16-22 Nov); 8 weeks back
    # from its Monday: 16 Nov - 7 weeks = 28 Sep.
    period = parse_period("8w", today=TODAY)
    assert period == Period(date(2026, 9, 28), date(2026, 11, 22))
    assert len(period.weeks) == 8
    assert period.weeks[0] == IsoWeek(2026, 40) and period.weeks[-1] == IsoWeek(2026, 47)
    assert parse_period(" 12W ", today=TODAY).start == date(2026, 8, 31)


def test_period_in_days_ends_today() -> None:
    # 30 days inclusive ending 23 Nov: 23 Nov - 29 days = 25 Oct.
    assert parse_period("30d", today=TODAY) == Period(date(2026, 10, 25), TODAY)
    assert parse_period("1d", today=TODAY) == Period(TODAY, TODAY)


def test_explicit_range() -> None:
    period = parse_period("2026-09-01..2026-11-30", today=TODAY)
    assert period == Period(date(2026, 9, 1), date(2026, 11, 30))
    assert period.days == 91


def test_period_bounds_are_local_midnights() -> None:
    start, end = Period(date(2026, 10, 19), date(2026, 10, 25)).bounds(BERLIN)
    assert start == IsoWeek(2026, 43).start(BERLIN)
    assert end == IsoWeek(2026, 43).end(BERLIN)


@pytest.mark.parametrize(
    "text",
    [
        "8x",
        "0w",
        "",
        "w8",
        "eight weeks",
        "2026-11-30..2026-09-01",
        "2026-02-30..2026-03-01",
        "999w",
    ],
)
def test_bad_period_message_shows_a_correct_example(text: str) -> None:
    with pytest.raises(ValueError, match="--period 8w") as err:
        parse_period(text, today=TODAY)
    example = "8w"
    assert parse_period(example, today=TODAY).days == 56  # the example given really works
    assert str(err.value).count("\n") == 0


@pytest.mark.parametrize("weeks", PERIOD_WEEKS)
def test_comparison_is_the_last_full_weeks_against_as_many_before(weeks: int) -> None:
    got = comparison_period(TODAY, weeks)  # TODAY is Monday of W48: W47 is the last full week
    assert got.current.end == date(2026, 11, 22) and got.current.weeks[-1] == IsoWeek(2026, 47)
    assert len(got.current.weeks) == len(got.previous.weeks) == weeks
    assert got.previous.end + timedelta(days=1) == got.current.start
    assert got.previous.start.isoweekday() == 1 and got.previous.end.isoweekday() == 7


def test_comparison_defaults_to_four_weeks_and_prints_its_period() -> None:
    got = comparison_period(date(2026, 11, 29))  # a Sunday: its own week is not full yet
    assert got.weeks == 4
    assert got.current == Period(date(2026, 10, 26), date(2026, 11, 22))
    assert got.previous == Period(date(2026, 9, 28), date(2026, 10, 25))
    assert got.label == "last 4 full weeks (2026-10-26 – 2026-11-22)"


@pytest.mark.parametrize("weeks", [0, 5, 52, -4])
def test_comparison_of_another_length_is_refused(weeks: int) -> None:
    with pytest.raises(ValueError, match="4, 8, 13, 26 weeks long"):
        comparison_period(TODAY, weeks)
