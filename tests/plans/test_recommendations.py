"""The three recommendation rules, on hand-made team reports."""

from __future__ import annotations

from datetime import UTC, date, datetime

from adoption.health import score_health
from adoption.metrics import WeekMetrics
from adoption.report import TeamReport
from bot.storage import MemoryStore
from plans.goals import Goal
from plans.ports import StoredChampionActivity
from plans.recommendations import champion_coverage, red_teams, weakest_metric
from plans.repository import PlanRepository
from plans.trajectory import OFF_TRACK, ON_TRACK


def report(team_id: str, members: int, **values: float | None) -> TeamReport:
    """A team whose health is scored from ``values`` (adoption's own scoring)."""
    health = score_health(values)
    week = WeekMetrics("2026-W48")
    return TeamReport(team_id, team_id.upper(), members, health, [week], week, None, {}, [])


# scores: A reply 0.35/0.7 = 0.5, active 1; B reply 0.7 → 1, active 0.1/0.5 = 0.2
A = report("a", 8, reply_rate=0.35, active_share=0.5)
B = report("b", 3, reply_rate=0.7, active_share=0.1)
GREEN = report("g", 5, reply_rate=0.7, active_share=0.5)


def test_weakest_metric_is_the_lowest_mean_score_across_teams() -> None:
    # reply rate mean (0.5 + 1) / 2 = 0.75; active share mean (1 + 0.2) / 2 = 0.6
    rec = weakest_metric([A, B])
    assert (rec.measure, rec.action, rec.value) == ("active_share", "invite_quiet_members", 0.6)
    assert weakest_metric([GREEN]).action == "keep_going"
    assert weakest_metric([report("n", 0)]).action == "start_conversations"


def test_teams_turning_red_come_first() -> None:
    # A: 100·(0.35·0.5 + 0.25·1)/0.6 = 71 (amber); B: 100·(0.35 + 0.25·0.2)/0.6 = 67 (amber)
    red = report("r", 4, reply_rate=0.07, active_share=0.05)  # 100·(0.035+0.025)/0.6 = 10
    assert red.health.band == "red" and A.health.band == "amber"
    assert red_teams([A, red], {"r": "amber"}).action == "rescue_red_teams"
    assert red_teams([A, red], {"r": "red"}).teams == ("R",)
    assert red_teams([A, red], {"r": "red"}).action == "support_red_teams"
    share = red_teams([A, B, GREEN], {})
    assert (share.action, share.teams) == ("share_green_practice", ("G", "A", "B"))


def test_champion_coverage_then_goals() -> None:
    members = {"a": frozenset({"u1", "c1"}), "b": frozenset({"u2"}), "g": frozenset({"u3"})}
    low = champion_coverage([A, B, GREEN], members, frozenset({"c1"}), [])
    # 1 of 3 covered; uncovered teams named, most members first (G has 5, B 3)
    assert (low.action, low.teams) == ("recruit_champions", ("G", "B"))
    assert round(low.value or 0, 3) == 0.333
    two = frozenset({"c1", "u2"})
    assert champion_coverage([A, B, GREEN], members, two, [ON_TRACK, OFF_TRACK]).action == (
        "revisit_goals"
    )
    assert champion_coverage([A, B, GREEN], members, two, []).action == "set_goals"
    assert champion_coverage([A, B, GREEN], members, two, [ON_TRACK]).action == "keep_plans"


async def test_goal_ids_and_removal() -> None:
    repo = PlanRepository(MemoryStore())
    assert await repo.next_goal_id() == "g1"
    goal = Goal("g1", "t1", "Sales", "posts", 10, date(2027, 1, 1), date(2026, 11, 1), 5.0)
    assert await repo.add_goal(goal) and not await repo.add_goal(goal)
    assert await repo.next_goal_id() == "g2"
    assert await repo.goals("t1") == [goal] and await repo.goals("t2") == []
    assert await repo.remove_goal(" G1 ") and not await repo.remove_goal("g1")


async def test_stored_nudges_are_read_tolerantly() -> None:
    store = MemoryStore()
    at = "2026-11-10T09:00:00+00:00"
    first = {"champion": "c", "team_id": "19:t", "graph_id": "t", "at": at,
             "status": "delivered", "team_name": "T"}  # fmt: skip
    await store.put("champions.nudges", "1", first)
    await store.put("champions.nudges", "2", {"status": "delivered", "at": "not a time"})
    await store.put("champions.nudges", "3", {"status": "delivered"})
    await store.put("champions.nudges", "4", {"status": "failed", "at": at})
    await store.put("champions.registry", "c", {"name": "C"})
    activity = StoredChampionActivity(store)
    [nudge] = await activity.nudges()
    assert (nudge.champion, nudge.team_id, nudge.at) == (
        "c",
        "t",
        datetime(2026, 11, 10, 9, tzinfo=UTC),
    )
    assert await activity.champion_ids() == {"c"}
