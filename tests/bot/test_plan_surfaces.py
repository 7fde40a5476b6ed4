"""Goals and benchmarks on the admin surfaces: the team card, the digest, the dashboard's
team page and Plan page (with the loop log). Tenant of ``tests.bot.admin_data``; clock
Monday 2026-11-23 08:00 UTC, so goals are judged at W47 and the summary covers W44–W47.

Hand-computed: Sales' reply rate over W44–W47 is 2/3, Ops' 0 (one unanswered root): of
the 2 ranked teams Sales is rank 1 → top ⌈100·1/2⌉ = 50%, Ops rank 2 → top 100%. A goal
Sales reply_rate 60% is met at W47 (2/3 ≥ 60%). A loop fired for Sales on Thu 12 Nov
09:00: 7 days before (5–12 Nov) no threads or replies, 7 days after (12–19 Nov) 3 threads
and 2 replies → lift +5.0.
"""

from __future__ import annotations

from bot.admin.digest import send_weekly_digests
from plans.repository import PlanRepository
from tests.bot.admin_data import SALES, at, seed_adoption
from tests.bot.dashboard_support import mint
from tests.bot.plan_support import sales_band_drop
from tests.cards.schema import assert_valid_card
from tests.conftest import Trimtab
from tests.fakes.activities import ADELE

GOAL = "**g1** · Sales: reply_rate 60% by 2027-03-31 — met ✓ (now 67%)"


async def _with_goal(trimtab: Trimtab) -> None:
    await seed_adoption(trimtab.store)
    await trimtab.say(ADELE, "plan add Sales reply_rate 60% by 2027-03-31")


async def test_team_card_shows_goals_and_the_tenant_benchmark(trimtab: Trimtab) -> None:
    await _with_goal(trimtab)
    [reply] = await trimtab.say(ADELE, "adoption summary Sales")
    assert_valid_card(reply.cards[0])
    text = reply.all_text()
    assert "Top 50% of your 2 teams for reply rate (67%)" in text
    assert "Goals" in text and GOAL in text
    ops = (await trimtab.say(ADELE, "adoption summary Ops"))[0].all_text()
    assert "Top 100% of your 2 teams for reply rate (0%)" in ops and "Goals" not in ops


async def test_digest_lists_goal_status(trimtab: Trimtab) -> None:
    await _with_goal(trimtab)
    await trimtab.say(ADELE, "digest on")
    trimtab.connector.clear()
    [outcome] = await send_weekly_digests(trimtab.services)
    assert outcome.status == "delivered"
    [digest] = trimtab.connector.to(ADELE.personal_conversation)
    assert_valid_card(digest.cards[0])
    assert GOAL in digest.all_text()


async def test_plan_page_charts_goals_and_shows_the_loop_log(trimtab: Trimtab) -> None:
    await _with_goal(trimtab)
    repo = PlanRepository(trimtab.store)
    entry = sales_band_drop()
    assert await repo.log_loop(entry)
    assert await repo.mark_acted(entry.key, by="Ann Champ", at=at("2026-11-12 10:00"))
    assert not await repo.mark_acted(entry.key, by="Someone Else", at=at("2026-11-12 11:00"))
    client = trimtab.client
    await client.get(await mint(trimtab))  # the signed link sets the session cookie
    page = await client.get("/dashboard/plan")
    html = await page.text()
    assert page.status == 200 and html.count("<svg") == 1
    assert "Sales: reply rate goal" in html and "met" in html
    assert "health band dropped" in html and "Ann Champ" in html and "+5.0" in html
    csv = await (await client.get("/dashboard/plan?csv=loops")).text()
    assert "Ann Champ" in csv and "band_drop:green->amber" in csv
    team = await (await client.get(f"/dashboard/team/{SALES}")).text()
    assert "Benchmark" in team and "top 50%" in team and "Sales: reply rate goal" in team


async def test_plan_page_without_goals_says_how_to_set_one(trimtab: Trimtab) -> None:
    await seed_adoption(trimtab.store)
    client = trimtab.client
    await client.get(await mint(trimtab))
    html = await (await client.get("/dashboard/plan")).text()
    assert "No goals yet" in html and "<svg" not in html
