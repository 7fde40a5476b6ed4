"""The champions package on its own: records read strictly, one lift rule, nudge refusals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from adoption.repository import AdoptionRepository
from adoption.weeks import Period
from bot.admin.summary import load, summary_for
from bot.storage import MemoryStore
from champions import (
    NUDGES,
    AmbiguousTeamError,
    ChampionService,
    DailyLimitError,
    NoTeamsError,
    NudgeLog,
    NudgeUsageError,
    UnknownTeamError,
    measured_lift,
)
from tests.bot.admin_data import SALES, at, seed_all
from tests.conftest import Trimtab

TEAMS = [
    {"id": "19:a@thread.tacv2", "name": "Sales", "aad_group_id": "g-a"},
    {"id": "19:b@thread.tacv2", "name": "Sales Ops", "aad_group_id": "g-b"},
    {"id": "19:c@thread.tacv2", "name": "Support"},
    {"id": "19:d@thread.tacv2", "name": "Support"},
]
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


async def test_nudge_documents_without_the_needed_fields_are_skipped() -> None:
    store = MemoryStore()
    good = {"champion": "A2", "team_id": "19:x", "at": "2026-11-12T09:00:00+00:00"}
    await store.put(NUDGES, "ok", good)
    await store.put(NUDGES, "no-team", {"champion": "a2", "at": "2026-11-12T09:00:00+00:00"})
    await store.put(NUDGES, "bad-time", {**good, "at": "last Tuesday"})
    await store.put(NUDGES, "naive", {**good, "at": "2026-11-12T09:00:00"})

    [nudge] = await NudgeLog(store).all()

    assert nudge.champion == "a2" and nudge.delivered and nudge.day == "2026-11-12"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("   ", NudgeUsageError),
        ("Marketing hello", UnknownTeamError),
        ("Support please reply", AmbiguousTeamError),
    ],
)
async def test_bad_nudges_are_refused_with_a_typed_error(text: str, error: type) -> None:
    service = ChampionService(MemoryStore(), zone=ZoneInfo("UTC"))
    with pytest.raises(error):
        await service.plan_nudge("a2", TEAMS, text, NOW)


async def test_no_installed_team_is_its_own_refusal() -> None:
    service = ChampionService(MemoryStore(), zone=ZoneInfo("UTC"))
    with pytest.raises(NoTeamsError):
        await service.plan_nudge("a2", [], "Sales", NOW)


async def test_the_daily_limit_ends_at_local_midnight() -> None:
    zone = ZoneInfo("Europe/Berlin")
    service = ChampionService(MemoryStore(), zone=zone)
    plan = await service.plan_nudge("a2", TEAMS, "Sales Ops hello team", NOW)
    assert (plan.team_name, plan.custom_message) == ("Sales Ops", "hello team")
    await service.record(
        plan,
        champion_name="Ann",
        message="hello team",
        now=NOW,
        status="delivered",
        outcome="delivered",
        detail="",
        activity_id="1",
    )

    with pytest.raises(DailyLimitError) as refused:
        await service.plan_nudge("a2", TEAMS, "Sales Ops again", NOW + timedelta(hours=1))

    assert refused.value.until == datetime(2026, 11, 24, 0, 0, tzinfo=zone)
    later = await service.plan_nudge("a2", TEAMS, "Sales Ops again", refused.value.until)
    assert later.day.isoformat() == "2026-11-24"


async def test_leaderboard_and_admin_summary_measure_the_same_lift(trimtab: Trimtab) -> None:
    await seed_all(trimtab.store)
    services = trimtab.services
    now = trimtab.clock()

    _, standings = await services.champions.leaderboard(now=now)
    data = await summary_for(services, now)

    [nudge_lift] = data.nudges
    threads = await AdoptionRepository(trimtab.store).threads(SALES)
    expected = measured_lift(threads, nudge_lift.nudge, now=now)
    assert expected is not None and nudge_lift.lift == expected
    [ann] = [s for s in standings if s.aad_id == "a2"]
    assert ann.measured == 1
    assert ann.lift == expected.threads_change + expected.replies_change == 5


async def test_a_nudge_is_not_measured_before_its_week_after_is_over(trimtab: Trimtab) -> None:
    await seed_all(trimtab.store)
    too_soon = at("2026-11-18 09:00")  # six days after the nudge of 12 Nov

    _, standings = await trimtab.services.champions.leaderboard(now=too_soon)
    period = Period(date(2026, 11, 9), date(2026, 11, 22))
    data = await load(trimtab.services, period, now=too_soon)

    assert [s.measured for s in standings if s.aad_id == "a2"] == [0]
    assert [n.lift for n in data.nudges] == [None]


def test_a_huge_message_costs_no_more_name_comparisons_than_a_short_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`adoption summary <100 KB>` took a minute: every leading run of words was compared."""
    from champions import teams as team_names

    calls = 0
    real_fold = team_names.fold

    def counting_fold(value: str) -> str:
        nonlocal calls
        calls += 1
        return real_fold(value)

    monkeypatch.setattr(team_names, "fold", counting_fold)
    teams = [{"id": "19:a", "name": "Sales Team"}, {"id": "19:b", "name": "Marketing"}]
    short = team_names.resolve_team(teams, "Sales Team please reply")
    short_calls, calls = calls, 0
    huge = team_names.resolve_team(teams, "Sales Team " + " ".join(["q" * 9] * 10_000))
    assert short.team == huge.team == teams[0]
    assert calls <= short_calls
