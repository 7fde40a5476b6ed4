"""`mute` / `unmute`: what stops, for how long, and the refusals."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from audience import (
    Feature,
    InvalidDuration,
    MissingMuteTarget,
    NotMuted,
    NotReceiving,
    Preferences,
    PreferencesRepository,
    Target,
    UnknownMuteTarget,
    WeeklySlot,
    due_week,
    is_muted,
    mute,
    parse_mute,
    snoozed_until,
    unmute,
)
from bot.storage import MemoryStore

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)  # a Sunday
EVERYTHING = {Target.tips(), Target.digest(), Target.of_circle("Explorers")}


def _prefs() -> Preferences:
    return Preferences("t1", "u1")


@pytest.mark.parametrize(
    ("text", "target", "weeks"),
    [
        ("tips", Target.tips(), None),
        ("DIGEST for 3 weeks", Target.digest(), 3),
        ("circle Explorers for 1 week", Target.of_circle("Explorers"), 1),
        ("circle Deep  Divers", Target.of_circle("Deep Divers"), None),
        ("all for 2", Target(Feature.ALL), 2),
    ],
)
def test_parse(text: str, target: Target, weeks: int | None) -> None:
    request = parse_mute(text)
    assert (request.target, request.weeks) == (target, weeks)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", MissingMuteTarget),
        ("newsletters", UnknownMuteTarget),
        ("circle", UnknownMuteTarget),
        ("tips please", UnknownMuteTarget),
        ("tips for two weeks", InvalidDuration),
        ("tips for 0 weeks", InvalidDuration),
        ("tips for 53 weeks", InvalidDuration),
    ],
)
def test_parse_refuses(text: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_mute(text)


def test_mute_tips_for_two_weeks_skips_exactly_two_mondays() -> None:
    prefs = mute(_prefs(), parse_mute("tips for 2 weeks"), receiving=EVERYTHING, now=NOW)
    monday_9 = WeeklySlot(0, time(9))
    sent, skipped = [], []
    moment = NOW
    while moment < NOW + timedelta(weeks=5):
        week = due_week(moment, monday_9, "Europe/Berlin")
        if week and week not in sent and week not in skipped:
            (skipped if is_muted(prefs, Feature.TIPS, now=moment) else sent).append(week)
        moment += timedelta(hours=1)
    assert skipped == ["2026-W49", "2026-W50"]
    assert sent == ["2026-W51", "2026-W52", "2026-W53"]
    assert not is_muted(prefs, Feature.DIGEST, now=NOW), "only tips are muted"


def test_mute_all_and_circle_scope() -> None:
    prefs = mute(_prefs(), parse_mute("circle explorers"), receiving=EVERYTHING, now=NOW)
    assert is_muted(prefs, Feature.CIRCLE, circle="Explorers", now=NOW)
    assert not is_muted(prefs, Feature.CIRCLE, circle="Builders", now=NOW)
    assert snoozed_until(prefs, Feature.CIRCLE, circle="Explorers", now=NOW) is not None
    everything = mute(_prefs(), parse_mute("all for 1 week"), receiving=EVERYTHING, now=NOW)
    assert is_muted(everything, Feature.DIGEST, now=NOW)
    assert not is_muted(everything, Feature.DIGEST, now=NOW + timedelta(weeks=1))


def test_muting_what_you_do_not_receive_says_so() -> None:
    with pytest.raises(NotReceiving) as caught:
        mute(_prefs(), parse_mute("digest"), receiving={Target.tips()}, now=NOW)
    assert caught.value.target == "digest"
    with pytest.raises(NotReceiving):
        mute(_prefs(), parse_mute("circle Nowhere"), receiving=EVERYTHING, now=NOW)
    with pytest.raises(NotReceiving):
        mute(_prefs(), parse_mute("all"), receiving=set(), now=NOW)


def test_unmute() -> None:
    prefs = mute(_prefs(), parse_mute("tips"), receiving=EVERYTHING, now=NOW)
    assert not is_muted(unmute(prefs, parse_mute("tips"), now=NOW), Feature.TIPS, now=NOW)
    with pytest.raises(NotMuted):
        unmute(prefs, parse_mute("digest"), now=NOW)
    expired = mute(_prefs(), parse_mute("tips for 1 week"), receiving=EVERYTHING, now=NOW)
    with pytest.raises(NotMuted):
        unmute(expired, parse_mute("tips"), now=NOW + timedelta(weeks=2))


async def test_preferences_survive_the_store() -> None:
    repo = PreferencesRepository(MemoryStore())
    prefs = mute(
        _prefs().with_zone("Europe/Berlin"),
        parse_mute("tips for 2 weeks"),
        receiving=EVERYTHING,
        now=NOW,
    )
    await repo.save(prefs)
    again = await repo.get("t1", "u1")
    assert again == prefs
    assert again.with_client_zone("America/New_York").zone == "Europe/Berlin", "set beats client"
    assert (await repo.get("t1", "nobody")).zone is None
