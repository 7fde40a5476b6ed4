"""The dashboard in a real headless Chromium over a real TCP server (aiohttp TestServer on
127.0.0.1): the admin's link opens the overview with visible charts, a team page renders,
and the same URL without its signature answers 401."""

from __future__ import annotations

import pytest

from tests.bot.admin_data import seed_all
from tests.bot.dashboard_support import mint
from tests.browser import WatchedPage, svg_boxes
from tests.browser import browser as browser  # pytest fixtures, re-exported
from tests.browser import watched_page as watched_page
from tests.conftest import Trimtab

pytestmark = pytest.mark.browser


def _base(trimtab: Trimtab) -> str:
    server = trimtab.client.server
    assert server.host == "127.0.0.1"
    return f"http://127.0.0.1:{server.port}"


async def test_overview_and_team_page_render_with_charts(
    trimtab: Trimtab, watched_page: WatchedPage
) -> None:
    await seed_all(trimtab.store)
    page = watched_page.page
    link = _base(trimtab) + await mint(trimtab)
    response = await page.goto(link)
    assert response is not None and response.status == 200
    assert page.url == _base(trimtab) + "/dashboard/"  # the signature left the address bar
    assert await page.title() == "Adoption overview · Trimtab"
    charts = await svg_boxes(page, "svg.chart:not(.sparkline)")
    assert len(charts) == 3, charts  # health bands, activity bars, rate lines
    assert all(w > 100 and h > 20 for w, h in charts), charts
    assert await page.locator("svg.bar-chart rect[height]").count() >= 2
    sparks = await svg_boxes(page, "svg.sparkline")
    assert len(sparks) == 2 and all(w > 50 and h > 10 for w, h in sparks)
    first = page.locator("table.teams tbody tr").first
    # The card's period by default (the last 4 full weeks): Sales is green at 78 there too.
    assert "last 4 full weeks" in await page.inner_text(".period")
    assert (await first.inner_text()).split("\t")[:3] == ["Sales", "78", "green"]
    await page.click("nav.periods >> text=8 weeks")
    await page.wait_for_url("**/dashboard/?weeks=8")
    # Eight weeks (W40-W47): t0 joins, reply rate 2/4, mean weekly active share
    # (1/4 + 3/4)/8 → 100·(0.714·0.35 + 0.25·0.25 + 0.2)/0.8 = 64.
    assert (await first.inner_text()).split("\t")[:3] == ["Sales", "64", "amber"]
    assert await page.locator("nav.periods a.current").inner_text() == "8 weeks"
    await page.click("nav.periods >> text=4 weeks")
    await page.wait_for_url("**/dashboard/?weeks=4")

    await page.click("text=Sales")  # in-page navigation rides on the session cookie
    await page.wait_for_url("**/dashboard/team/team-a")
    assert await page.title() == "Sales · Trimtab"
    team_charts = await svg_boxes(page, "svg.chart")
    assert len(team_charts) == 2 and all(w > 100 and h > 20 for w, h in team_charts)
    assert await page.locator("svg.line-chart polyline").count() >= 1
    assert "Invite quiet members" in await page.inner_text(".action")

    for path in ("/dashboard/circles", "/dashboard/champions", "/dashboard/qbr?quarter=2026-Q4"):
        answer = await page.goto(_base(trimtab) + path)
        assert answer is not None and answer.status == 200, path
    assert await page.locator("table.forward tbody tr").count() == 5
    assert watched_page.problems == []


async def test_same_url_without_signature_is_401(
    trimtab: Trimtab, watched_page: WatchedPage
) -> None:
    link = _base(trimtab) + await mint(trimtab)
    unsigned = link.split("&sig=")[0]
    response = await watched_page.page.goto(unsigned)
    assert response is not None and response.status == 401
    assert "dashboard" in await watched_page.page.inner_text("#message")
