from __future__ import annotations

from datetime import time

import pytest

from wol_circles import (
    EmptyText,
    InvalidName,
    InvalidRating,
    InvalidTime,
    InvalidWeekday,
    InvalidZone,
    MissingName,
    MissingTime,
    MissingWeekday,
    Slot,
    UnexpectedArguments,
)
from wol_circles.parsing import (
    parse_checkin,
    parse_create,
    parse_goal,
    parse_name,
    parse_optional_name,
    parse_rating,
    resolve_zone,
)

ZONE = "Europe/London"


@pytest.mark.parametrize(
    ("args", "name", "slot"),
    [
        ("Explorers", "Explorers", Slot(0, time(9, 0), ZONE)),
        ("Explorers tuesday 08:30", "Explorers", Slot(1, time(8, 30), ZONE)),
        (
            "Explorers Tuesday 8:30 europe/berlin",
            "Explorers",
            Slot(1, time(8, 30), "Europe/Berlin"),
        ),
        ("Team  Blue   Sky fri 16:05", "Team Blue Sky", Slot(4, time(16, 5), ZONE)),
        ("Monday Club", "Monday Club", Slot(0, time(9, 0), ZONE)),
        ("Sun Seekers sun 10:00 UTC", "Sun Seekers", Slot(6, time(10, 0), "UTC")),
        ('"Lunch Friday" wednesday 12:00', "Lunch Friday", Slot(2, time(12, 0), ZONE)),
        ("“Lunch Friday”", "Lunch Friday", Slot(0, time(9, 0), ZONE)),
    ],
)
def test_create_grammar(args: str, name: str, slot: Slot) -> None:
    request = parse_create(args, ZONE)
    assert request.name == name
    assert request.slot == slot


@pytest.mark.parametrize(
    ("args", "error", "facts"),
    [
        ("Explorers tuesday 25:00", InvalidTime, {"value": "25:00"}),
        ("Explorers tuesday 08:60", InvalidTime, {"value": "08:60"}),
        ("Explorers tuesday 8", InvalidTime, {"value": "8"}),
        ("Explorers tuesdy 08:30", InvalidWeekday, {"value": "tuesdy"}),
        ("Explorers tuesday", MissingTime, {"weekday": "tuesday"}),
        ("Explorers 09:00", MissingWeekday, {"time": "09:00"}),
        ("Explorers tuesday 08:30 Mars/Olympus", InvalidZone, {"value": "Mars/Olympus"}),
        ("Explorers tuesday 08:30 Europe/Berlin extra", UnexpectedArguments, {"extra": "extra"}),
        ("", MissingName, {}),
        ("Explorers; drop tuesday 08:30", InvalidName, {"value": "Explorers; drop"}),
        ("1234", InvalidName, {"value": "1234"}),
        ("x" * 41, InvalidName, {}),
    ],
)
def test_create_errors_carry_facts(args: str, error: type, facts: dict[str, str]) -> None:
    with pytest.raises(error) as caught:
        parse_create(args, ZONE)
    for key, value in facts.items():
        assert getattr(caught.value, key) == value
    assert str(caught.value)


def test_zone_suggestions() -> None:
    with pytest.raises(InvalidZone) as caught:
        resolve_zone("Europe/Berln")
    assert "Europe/Berlin" in caught.value.suggestions
    assert resolve_zone("america/new_york") == "America/New_York"


def test_names_for_simple_verbs() -> None:
    assert parse_name('  "explorers"  ') == "explorers"
    assert parse_name("Team  Blue") == "Team Blue"
    assert parse_optional_name("   ") is None
    with pytest.raises(MissingName):
        parse_name("")


@pytest.mark.parametrize(("value", "expected"), [(1, 1), (5, 5), ("3", 3), ("4/5", 4)])
def test_rating_ok(value: object, expected: int) -> None:
    assert parse_rating(value) == expected


@pytest.mark.parametrize("value", [0, 6, -1, "six", "", None, True, 2.5, "4/10"])
def test_rating_bad(value: object) -> None:
    with pytest.raises(InvalidRating):
        parse_rating(value)


def test_checkin_name_is_optional_and_longest_match_wins() -> None:
    names = ["Team", "Team Blue"]
    assert parse_checkin("team blue 4/5 posted my first thread", names).circle == "Team Blue"
    request = parse_checkin("team blue 4/5 posted my first thread", names)
    assert (request.rating, request.text) == (4, "posted my first thread")
    assert parse_checkin("posted twice", names).circle is None
    assert parse_checkin('"Other" done', names).circle == "Other"
    assert parse_checkin("", names).text == ""


@pytest.mark.parametrize("args", ["team 7/5 hi", "team 4/10 hi", "team 0/5"])
def test_checkin_bad_rating(args: str) -> None:
    with pytest.raises(InvalidRating):
        parse_checkin(args, ["Team"])


def test_goal() -> None:
    assert parse_goal("Team learn Rust", ["Team"]).text == "learn Rust"
    assert parse_goal("learn Rust", ["Team"]).circle is None
    with pytest.raises(EmptyText):
        parse_goal("Team", ["Team"])
