"""`my timezone` parsing and the zone a Teams client reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audience import UnknownZone, resolve_zone, zone_from_entities

RECORDINGS = Path(__file__).resolve().parents[1] / "data" / "teams_activities"


def test_any_case_gives_the_canonical_name() -> None:
    assert resolve_zone(" europe/berlin ") == "Europe/Berlin"
    assert resolve_zone("AMERICA/NEW_YORK") == "America/New_York"


def test_an_unknown_zone_names_close_matches() -> None:
    with pytest.raises(UnknownZone) as caught:
        resolve_zone("Europe/Berln")
    assert caught.value.value == "Europe/Berln"
    assert "Europe/Berlin" in caught.value.suggestions


def test_nonsense_has_no_suggestions() -> None:
    with pytest.raises(UnknownZone) as caught:
        resolve_zone("xyzzy")
    assert caught.value.suggestions == ()


def test_the_zone_of_a_recorded_teams_web_client() -> None:
    """Teams web sends clientInfo with an IANA timezone; the recordings hold two of them."""
    zones = set()
    for path in sorted(RECORDINGS.glob("*.json")):
        activity = json.loads(path.read_text())
        zone = zone_from_entities(activity.get("entities"))
        if zone:
            zones.add(zone)
    assert zones == {"America/Los_Angeles"}


def test_a_client_without_or_with_a_bad_zone_gives_none() -> None:
    assert zone_from_entities(None) is None
    assert zone_from_entities([{"type": "clientInfo", "locale": "en-US"}]) is None
    assert zone_from_entities([{"type": "clientInfo", "timezone": "Mars/Olympus"}]) is None
    assert zone_from_entities([{"type": "mention", "timezone": "Europe/Berlin"}]) is None
