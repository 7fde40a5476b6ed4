"""The dashboard's Plan page and a review behind the signed link, in a real headless
Chromium: a visible chart per goal, the loop log, no console errors."""

from __future__ import annotations

import pytest

from plans.repository import PlanRepository
from tests.bot.admin_data import seed_all
from tests.bot.dashboard_support import mint
from tests.bot.plan_support import sales_band_drop
from tests.browser import WatchedPage, svg_boxes
from tests.browser import browser as browser  # pytest fixtures, re-exported
from tests.browser import watched_page as watched_page
from tests.conftest import Trimtab
from tests.fakes.activities import ADELE

pytestmark = pytest.mark.browser


async def test_plan_page_shows_a_visible_chart_per_goal_and_the_loop_log(
    trimtab: Trimtab, watched_page: WatchedPage
) -> None:
    await seed_all(trimtab.store)
    await trimtab.say(ADELE, "plan add Sales reply_rate 60% by 2027-03-31")
    await trimtab.say(ADELE, "plan add Ops posts 3 by 2027-02-28")
    entry = sales_band_drop()
    await PlanRepository(trimtab.store).log_loop(entry)
    base = f"http://127.0.0.1:{trimtab.client.server.port}"
    page = watched_page.page
    await page.goto(base + await mint(trimtab))
    answer = await page.goto(base + "/dashboard/plan")
    assert answer is not None and answer.status == 200
    assert await page.title() == "Plan · Trimtab"
    charts = await svg_boxes(page, "svg.chart")
    assert len(charts) == 2 and all(w > 100 and h > 20 for w, h in charts), charts
    assert await page.locator("table.goals tbody tr").count() == 2
    assert "health band dropped" in await page.inner_text("table.loops")
    review = await page.goto(base + "/dashboard/review?quarter=2026-Q4")
    assert review is not None and review.status == 200
    assert len(await svg_boxes(page, "svg")) >= 1
    assert watched_page.problems == []
