"""Metrics by department: hand-computed numbers, and the minimum group size.

People: a, b, c in Sales; d, e in Engineering; f stored with no department; g has no
stored department at all; h in Finance wrote nothing. Champion: b.
Window: Monday 2026-11-02 00:00 to Monday 2026-11-09 00:00 UTC.

    T1 a 11-02 09:00 (1 mention, 2 reactions) ← a 09:05 (own), d 09:30, b 10:00 (1 reaction)
    T2 b 11-03 10:00 ← c 12:00
    T3 d 11-04 08:00 (unanswered)
    T4 e 11-05 09:00 ← a 09:10
    T5 a 10-30 09:00 (before the window) ← e 11-02 11:00
    T6 g 11-06 09:00 ← f 09:20
    T7 c 11-09 09:00 (after the window)
    T8 deleted root ← b 11-07 12:00

Sales: posts T1, T2 = 2, both answered by someone else (30 and 120 min): reply rate 1.0,
median 75; replies a, b (T1), c (T2), a (T4), b (T8) = 5; active a, b, c = 3 of 3;
mentions 1, reactions 3; champion b wrote T2, the T1 reply and the T8 reply: 3 of 7.
Engineering: posts T3, T4 = 2, T4 answered after 10 min: rate 0.5, 1 unanswered,
median 10; replies d (T1), e (T5) = 2; active 2 of 2; champion share 0 of 4.
(no department): post T6 by g (no stored department), answered by f after 20 min;
1 reply; active f, g = 2 of 1 stored person: share capped at 1.
Finance: h, nothing written: 0 posts, no reply rate, active share 0.
"""

from __future__ import annotations

import json
from dataclasses import replace
from zoneinfo import ZoneInfo

from adoption.department_store import DepartmentRepository
from adoption.department_sync import NO_DEPARTMENT
from adoption.departments import build_department_report, department_metrics
from adoption.report import TOO_FEW_PEOPLE
from adoption.repository import AdoptionRepository
from bot.storage import MemoryStore
from plans.percentiles import department_standings
from tests.adoption.department_facts import DEPARTMENTS, END, START, threads
from tests.adoption.factories import at, team


def measured(min_group_size: int = 0) -> dict[str, dict[str, object]]:
    found = department_metrics(
        threads(), DEPARTMENTS, START, END, champions=frozenset({"b"}),
        min_group_size=min_group_size,
    )  # fmt: skip
    return {d.name: d.to_json() for d in found}


def test_each_department_is_measured_from_its_own_people() -> None:
    found = measured()
    assert list(found) == ["Engineering", "Finance", "Sales", NO_DEPARTMENT]
    assert found["Sales"] == {
        "name": "Sales", "members": 3, "posts": 2, "replies": 5, "reply_rate": 1.0,
        "unanswered": 0, "median_first_reply_minutes": 75.0, "active_posters": 3,
        "active_share": 1.0, "mentions": 1, "reactions": 3, "champion_share": 0.429,
    }  # fmt: skip
    assert found["Engineering"] == {
        "name": "Engineering", "members": 2, "posts": 2, "replies": 2, "reply_rate": 0.5,
        "unanswered": 1, "median_first_reply_minutes": 10.0, "active_posters": 2,
        "active_share": 1.0, "mentions": 0, "reactions": 0, "champion_share": 0.0,
    }  # fmt: skip
    none = found[NO_DEPARTMENT]
    assert (none["members"], none["posts"], none["replies"]) == (1, 1, 1)
    assert (none["reply_rate"], none["median_first_reply_minutes"]) == (1.0, 20.0)
    assert (none["active_posters"], none["active_share"]) == (2, 1.0)
    finance = found["Finance"]
    assert (finance["posts"], finance["reply_rate"], finance["active_share"]) == (0, None, 0.0)
    assert finance["champion_share"] is None


def test_departments_below_the_minimum_group_size_show_no_numbers() -> None:
    found = measured(min_group_size=3)
    assert found["Sales"]["posts"] == 2  # three active people: reported
    for name, members in (("Engineering", 2), ("Finance", 1), (NO_DEPARTMENT, 1)):
        assert found[name] == {"name": name, "members": members, "suppressed": TOO_FEW_PEOPLE}
    assert "suppressed" in measured(min_group_size=4)["Sales"]


def test_without_any_stored_department_everyone_is_in_no_department() -> None:
    found = department_metrics(threads(), {}, START, END)
    assert [d.name for d in found] == [NO_DEPARTMENT]
    only = found[0]
    # every root in the window: T1, T2, T3, T4, T6; people a, b, c, d, e, f, g
    assert (only.totals.posts, only.totals.active_posters, only.members) == (5, 7, 0)
    assert only.totals.active_share is None  # no known people: no share, not 0


async def test_the_report_reads_threads_and_departments_from_the_store() -> None:
    store = MemoryStore()
    repo = AdoptionRepository(store)
    await repo.save_team(replace(team("t1", members=tuple("abcdef")),
                                 collected_since=at("2026-10-01 00:00")))  # fmt: skip
    await repo.save_threads("t1", threads())
    await DepartmentRepository(store).replace(DEPARTMENTS)
    report = await build_department_report(
        repo, start=START.date(), end=at("2026-11-08 00:00").date(), tz=ZoneInfo("UTC"),
        champions=frozenset({"b"}), min_group_size=3,
    )  # fmt: skip
    doc = json.loads(json.dumps(report.to_json()))
    assert doc["period"] == {"start": "2026-11-02", "end": "2026-11-08"}
    assert doc["min_group_size"] == 3
    assert [d["name"] for d in doc["departments"]] == [
        "Engineering", "Finance", "Sales", NO_DEPARTMENT]  # fmt: skip
    assert doc["departments"][2] == measured(3)["Sales"]


def test_departments_are_placed_among_the_reported_ones() -> None:
    found = department_metrics(threads(), DEPARTMENTS, START, END, min_group_size=2)
    # reported: Engineering (rate 0.5), Sales (1.0), (no department) (not ranked);
    # Finance is suppressed
    placed = department_standings(found, "reply_rate")
    assert {k: (s.rank, s.ranked, s.top_percent) for k, s in placed.items()} == {
        "Sales": (1, 2, 50),
        "Engineering": (2, 2, 100),
    }
