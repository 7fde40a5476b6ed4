"""Headless Chromium for rendering tests (reports, dashboard pages).

Drives the system Chromium (``/usr/bin/chromium``, installed by ``make browser``; another
binary via ``TRIMTAB_CHROMIUM``) with Python Playwright. Import the fixtures into a test
module::

    from tests.browser import browser as browser  # pytest fixtures, re-exported
    from tests.browser import watched_page as watched_page

and mark the tests ``@pytest.mark.browser``. A :class:`WatchedPage` records console
errors, uncaught page errors and any request that would leave the machine (those are
blocked: pages must work offline; loopback URLs are allowed for the dashboard).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, Route, async_playwright

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def chromium_path() -> str:
    """The Chromium binary to drive; fails (never skips) with the fix when there is none."""
    candidate = (
        os.environ.get("TRIMTAB_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    )
    if not Path(candidate).exists():
        pytest.fail(f"no Chromium at {candidate}: run `make browser` or set TRIMTAB_CHROMIUM")
    return candidate


@dataclass
class WatchedPage:
    """A page plus what went wrong while it loaded."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [*self.console_errors, *self.page_errors, *self.blocked_requests]


async def _offline(route: Route, watched: WatchedPage) -> None:
    url = route.request.url
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "about", "blob") or parts.hostname in _LOCAL_HOSTS:
        await route.continue_()
    else:
        watched.blocked_requests.append(f"external request: {url}")
        await route.abort()


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Browser]:
    """A headless Chromium, closed after the test."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=chromium_path(), args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest_asyncio.fixture
async def watched_page(browser: Browser) -> AsyncIterator[WatchedPage]:
    """A 1280×900 page that records console errors and blocks non-local requests."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    watched = WatchedPage(page)
    page.on(
        "console", lambda m: watched.console_errors.append(m.text) if m.type == "error" else None
    )
    page.on("pageerror", lambda e: watched.page_errors.append(str(e)))
    await context.route("**/*", lambda route: _offline(route, watched))
    try:
        yield watched
    finally:
        await context.close()


async def svg_boxes(page: Page, selector: str = "svg") -> list[tuple[float, float]]:
    """Rendered width and height of every element matching ``selector``."""
    boxes = await page.eval_on_selector_all(
        selector,
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })",
    )
    return [(float(w), float(h)) for w, h in boxes]
