"""HTML to PDF through a headless Chromium driven by Playwright (optional at run time).

Playwright is imported only when a PDF is asked for; without it, or without a Chromium
binary, :class:`PdfUnavailableError` carries one line telling what to install.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


class PdfUnavailableError(RuntimeError):
    """No Playwright or no Chromium on this machine."""


def find_chromium(env: Mapping[str, str]) -> str:
    """``TRIMTAB_CHROMIUM``, else the first Chromium on ``PATH``."""
    configured = env.get("TRIMTAB_CHROMIUM", "").strip()
    if configured:
        if not Path(configured).exists():
            raise PdfUnavailableError(f"TRIMTAB_CHROMIUM={configured} does not exist")
        return configured
    for name in CHROMIUM_NAMES:
        found = shutil.which(name, path=env.get("PATH", os.defpath))
        if found:
            return found
    raise PdfUnavailableError(
        "PDF needs a headless Chromium: install chromium or set TRIMTAB_CHROMIUM; "
        "or use --format html"
    )


async def html_to_pdf(html: str, chromium: str) -> bytes:
    """Print ``html`` to A4 PDF bytes with the page size and margins from its CSS."""
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        raise PdfUnavailableError(
            "PDF needs Playwright: pip install playwright; or use --format html"
        ) from None
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, args=LAUNCH_ARGS, headless=True
        )
        try:
            page = await browser.new_page()
            # nothing to fetch: the document is self-contained
            await page.route("**/*", lambda route: route.abort())
            await page.set_content(html, wait_until="load")
            await page.emulate_media(media="print")
            return await page.pdf(print_background=True, prefer_css_page_size=True)
        finally:
            await browser.close()
