"""The HTML report rendered by a real headless Chromium: no errors, visible charts, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from adoption.report_formats import render
from bot.storage import MemoryStore
from tests.adoption.factories import sample_report
from tests.browser import WatchedPage, svg_boxes
from tests.browser import browser as browser  # pytest fixtures, re-exported
from tests.browser import watched_page as watched_page

pytestmark = pytest.mark.browser


async def test_html_report_renders_with_visible_charts(
    tmp_path: Path, watched_page: WatchedPage
) -> None:
    path = tmp_path / "report.html"
    path.write_text(render(await sample_report(MemoryStore()), "html"), encoding="utf-8")
    page = watched_page.page
    await page.goto(path.as_uri())
    assert await page.title() == "Teams adoption report · 2026-10-26 to 2026-11-08"
    charts = await svg_boxes(page, "svg.chart:not(.sparkline)")
    assert len(charts) == 1 + 2 + 2 * 2  # bands, overview x2, two teams x2
    assert all(w >= 300 and h >= 30 for w, h in charts), charts
    sparks = await svg_boxes(page, "svg.sparkline")
    assert len(sparks) == 2 and all(w > 50 and h > 10 for w, h in sparks)
    # bars and lines were really drawn inside the charts
    assert await page.locator("svg.bar-chart rect[height]").count() > 4
    assert await page.locator("svg.line-chart polyline").count() >= 2
    health = page.locator("table.health tbody tr")
    assert await health.count() == 2
    assert (await health.first.inner_text()).split("\t")[:2] == ["Team One", "93"]
    assert watched_page.problems == []


async def test_page_watch_catches_errors_and_external_fetches(
    tmp_path: Path, watched_page: WatchedPage
) -> None:
    # The guard itself must be able to fail: a page that fetches from a CDN and throws.
    path = tmp_path / "bad.html"
    path.write_text(
        '<img src="https://cdn.example.com/x.png"><script>console.error("boom"); null.x</script>',
        encoding="utf-8",
    )
    await watched_page.page.goto(path.as_uri())
    await watched_page.page.wait_for_load_state("load")
    assert "boom" in watched_page.console_errors
    assert watched_page.page_errors
    assert watched_page.blocked_requests == ["external request: https://cdn.example.com/x.png"]
