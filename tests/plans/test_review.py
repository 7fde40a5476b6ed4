"""The review's numbers on the hand-made tenant (tests/plans/tenant.py), and its document."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from adoption.repository import AdoptionRepository
from bot.storage import MemoryStore
from plans.percentiles import team_standings
from plans.periods import ReviewPeriodError, parse_review_period, previous
from plans.ports import StoredChampionActivity
from plans.repository import PlanRepository
from plans.review import Review, build_review
from plans.review_html import to_html
from plans.trajectory import MET, OFF_TRACK
from tests.plans.tenant import NOW, seed_tenant
from wol_circles.repository import CircleRepository


async def review_of(kind: str, text: str, *, seeded: bool = True) -> Review:
    store = MemoryStore()
    if seeded:
        await seed_tenant(store)
    return await build_review(
        AdoptionRepository(store), PlanRepository(store), StoredChampionActivity(store),
        CircleRepository(store), review=parse_review_period(kind, text), tz=ZoneInfo("UTC"),
        now=NOW, champions=frozenset({"a1"}),
    )  # fmt: skip


def test_periods() -> None:
    q4 = parse_review_period("quarter", "2026-Q4")
    assert (str(q4.period.start), str(q4.period.end)) == ("2026-10-01", "2026-12-31")
    assert previous(q4).label == "2026-Q3"
    jan = parse_review_period("month", "2027-01")
    assert previous(jan).label == "December 2026" and jan.period.end.day == 31
    assert parse_review_period("month", "2026-02").period.end.day == 28
    for kind, bad in [("month", "2026-13"), ("month", "Nov"), ("quarter", "2026-Q5"),
                      ("quarter", "2026-11")]:  # fmt: skip
        with pytest.raises(ReviewPeriodError):
            parse_review_period(kind, bad)


async def test_quarter_against_the_one_before() -> None:
    r = await review_of("quarter", "2026-Q4")
    assert r.has_data and r.before.label == "2026-Q3"
    # roots are on Mondays: Engineering answers 3 of 4 a week in Q3 and 1 of 4 in Q4
    eng_now = next(t for t in r.current.teams if t.name == "Engineering")
    eng_before = next(t for t in r.previous.teams if t.name == "Engineering")
    assert eng_now.totals.reply_rate == 0.25 and eng_before.totals.reply_rate == 0.75
    assert [t.name for t in r.top] == ["Contoso Sales", "Design Ops", "Engineering"]
    assert [t.name for t in r.bottom] == ["Finance"]
    # reply rates 83%, 67%, 25%, 0%: Engineering is 3rd of 4 → "top 75% of your teams"
    placed = team_standings(r.current.teams, "reply_rate")
    assert (placed["t2"].rank, placed["t2"].top_percent, placed["t1"].top_percent) == (3, 75, 25)
    goals = {g.goal.id: g.trajectory.status for g in r.goals}
    # g1: 25% flat against a 75% → 90% plan: off track; g2: 6 posts a week, target 6: met
    assert goals == {"g1": OFF_TRACK, "g2": MET}
    # one delivered nudge (the refused one is not counted); 7 days after = 7 days before
    [avery] = r.champions
    assert (avery.name, avery.nudges, avery.measured, avery.activity_lift) == ("Avery", 1, 1, 0)
    assert (r.circles.started, r.circles.completed, r.circles.started_before) == (2, 1, 1)
    assert [line.entry.key for line in r.loops] == ["band_drop|t2|2026-W42"]
    rules = [(rec.rule, rec.action, rec.teams) for rec in r.recommendations]
    assert rules[1] == ("teams_red", "support_red_teams", ("Finance",))
    # a1 is the only champion: 1 of 4 teams covered
    assert rules[2][:2] == ("champion_coverage", "recruit_champions")
    assert r.recommendations[2].value == 0.25


async def test_html_document_sections() -> None:
    html = to_html(await review_of("quarter", "2026-Q4"))
    assert "<title>Quarterly business review · 2026-Q4</title>" in html
    for anchor in ("summary", "goals", "top-teams", "bottom-teams", "people"):
        assert f'id="{anchor}"' in html
    assert "decisions move from chat to channels" in html and "off track" in html
    assert html.count('class="chart line-chart"') == 2 + 4  # two goals, four teams' rates
    assert "<script" not in html and "http://" not in html.replace('"http://www.w3.org', "")


async def test_a_period_without_data_says_so() -> None:
    for review in (await review_of("month", "2026-05"), await review_of("quarter", "2026-Q4",
                                                                       seeded=False)):  # fmt: skip
        html = to_html(review)
        assert not review.has_data
        assert f"No adoption data for {review.review.label}." in html
        assert "<table" not in html and 'id="goals"' not in html
