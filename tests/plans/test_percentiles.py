"""Benchmarks inside the tenant on a hand-made tenant of 10 teams, and department groups."""

from __future__ import annotations

from datetime import UTC, datetime

from adoption.facts import MessageFact, ThreadFact
from plans.percentiles import OTHER, group_metrics, group_people, standings

# reply rates of ten teams; t10 has no posts (no data); t4 and t5 tie
RATES = {
    "t1": 0.90, "t2": 0.80, "t3": 0.75, "t4": 0.60, "t5": 0.60,
    "t6": 0.50, "t7": 0.40, "t8": 0.30, "t9": 0.10, "t10": None,
}  # fmt: skip


def test_top_percent_among_the_teams_with_data() -> None:
    placed = standings(RATES, "reply_rate")
    assert "t10" not in placed  # no data is not ranked last
    # 9 ranked teams: rank r → ceil(100·r/9)
    assert {k: (s.rank, s.top_percent) for k, s in placed.items()} == {
        "t1": (1, 12), "t2": (2, 23), "t3": (3, 34), "t4": (4, 45), "t5": (4, 45),
        "t6": (6, 67), "t7": (7, 78), "t8": (8, 89), "t9": (9, 100),
    }  # fmt: skip


def test_ten_ranked_teams_and_lower_is_better() -> None:
    minutes = {f"t{i}": float(i * 30) for i in range(1, 11)}  # t1 replies fastest
    placed = standings(minutes, "median_first_reply_minutes")
    assert placed["t1"].top_percent == 10 and placed["t3"].top_percent == 30
    assert placed["t10"].rank == 10 and placed["t10"].ranked == 10


def test_departments_under_the_minimum_size_are_pooled_or_dropped() -> None:
    people: dict[str, str | None] = {f"s{i}": "Sales" for i in range(6)}
    people |= {f"f{i}": "Finance" for i in range(3)}
    people |= {"l1": "Legal", "n1": None}
    groups = group_people(people)
    # Finance (3), Legal (1) and no department (1) pool into "other" (5 people)
    assert set(groups.shown) == {"Sales", OTHER}
    assert len(groups.shown[OTHER]) == 5 and groups.suppressed == ("Finance", "Legal")
    small = group_people({"f1": "Finance", "f2": "Finance", **{f"s{i}": "Sales" for i in range(5)}})
    assert set(small.shown) == {"Sales"} and small.suppressed == ("Finance",)


def test_group_metrics_use_adoptions_window_measures() -> None:
    t0 = datetime(2026, 11, 2, 9, tzinfo=UTC)

    def root(author: str, n: int, answered: bool) -> ThreadFact:
        at = t0.replace(hour=9 + n)
        replies = (MessageFact(f"x{author}{n}", "zz", at.replace(minute=30)),) if answered else ()
        return ThreadFact("t1", "general", MessageFact(f"{author}{n}", author, at), replies)

    threads = [root("s0", 1, True), root("s1", 2, False), root("f0", 3, True)]
    groups = group_people({**{f"s{i}": "Sales" for i in range(5)}, "f0": "Finance"})
    found = group_metrics(threads, groups, t0, t0.replace(day=9))
    assert list(found) == ["Sales"]
    assert found["Sales"].posts == 2 and found["Sales"].reply_rate == 0.5
    assert found["Sales"].active_share == 2 / 5  # s0, s1 of five people (zz is not in Sales)
