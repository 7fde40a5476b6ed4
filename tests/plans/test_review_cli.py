"""``trimtab review``: the quarterly review in headless Chromium, its PDF, and bad input."""

from __future__ import annotations

import argparse
import io
import re
from pathlib import Path

import pytest

from bot import cli
from bot.cli_review import add_parser, review_command
from bot.storage import TinyDBStore
from tests.browser import WatchedPage, chromium_path, svg_boxes
from tests.browser import browser as browser  # pytest fixtures, re-exported
from tests.browser import watched_page as watched_page
from tests.plans.tenant import NOW, seed_tenant

A4_CONTENT_PX = (297 - 2 * 12) / 25.4 * 96  # A4 height less the 12 mm margins, in CSS px
A4_WIDTH_PX = round((210 - 2 * 12) / 25.4 * 96)


@pytest.fixture
async def data_dir(tmp_path: Path) -> Path:
    store = await TinyDBStore.open(tmp_path / "data")
    await seed_tenant(store)
    await store.close()
    return tmp_path / "data"


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["review", *argv])


async def _run(argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = await review_command(_args(*argv), env=env, now=NOW, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    return {"TRIMTAB_DATA_DIR": str(data_dir), "TRIMTAB_TIMEZONE": "UTC", **extra}


def pdf_pages(data: bytes) -> int:
    """Page objects in a PDF (``/Type /Page``, not the ``/Pages`` tree nodes)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


@pytest.mark.browser
async def test_quarterly_review_renders_in_chromium_and_prints_to_the_same_pages(
    data_dir: Path, tmp_path: Path, watched_page: WatchedPage
) -> None:
    html_path, pdf_path = tmp_path / "q4.html", tmp_path / "q4.pdf"
    code, out, err = await _run(["--quarter", "2026-Q4", "--out", str(html_path)], _env(data_dir))
    assert (code, err) == (0, "") and "wrote html review for 2026-Q4" in out
    page = watched_page.page
    await page.goto(html_path.as_uri())
    assert await page.title() == "Quarterly business review · 2026-Q4"
    charts = await svg_boxes(page, "svg.chart")
    assert len(charts) == 2 + 4 * 2  # two goal charts, four teams × (activity, reply rate)
    assert all(w >= 250 and h >= 100 for w, h in charts), charts
    assert await page.locator("svg.bar-chart rect[height]").count() > 20
    assert await page.locator("svg.line-chart polyline").count() >= 6
    assert watched_page.problems == []
    # printed: every section is one A4 page (none taller than the page's content box)
    await page.emulate_media(media="print")
    await page.set_viewport_size({"width": A4_WIDTH_PX, "height": 1000})
    heights = await page.eval_on_selector_all(
        "section.page", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert len(heights) == 5 and all(h <= A4_CONTENT_PX for h in heights), heights

    env = _env(data_dir, TRIMTAB_CHROMIUM=chromium_path())
    code, out, err = await _run(
        ["--quarter", "2026-Q4", "--format", "pdf", "--out", str(pdf_path)], env
    )
    assert (code, err) == (0, "")
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF-") and pdf_pages(data) == len(heights)


@pytest.mark.browser
async def test_no_data_review_is_one_page_that_says_so(data_dir: Path, tmp_path: Path) -> None:
    out_html, out_pdf = tmp_path / "may.html", tmp_path / "may.pdf"
    code, _, _ = await _run(["--month", "2026-05", "--out", str(out_html)], _env(data_dir))
    html = out_html.read_text(encoding="utf-8")
    assert code == 0 and "No adoption data for May 2026." in html and "<table" not in html
    env = _env(data_dir, TRIMTAB_CHROMIUM=chromium_path())
    code, _, err = await _run(["--month", "2026-05", "--format", "pdf", "--out", str(out_pdf)], env)
    assert (code, err) == (0, "") and pdf_pages(out_pdf.read_bytes()) == 1


def test_registered_in_the_trimtab_cli(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key, value in _env(data_dir).items():
        monkeypatch.setenv(key, value)
    assert cli.main(["review", "--month", "2026-11"]) == 0
    assert "<title>Monthly insight review · November 2026</title>" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["--month", "2026-13"], 2, "not a month: '2026-13'; use e.g. `--month 2026-11`"),
        (["--quarter", "Q4"], 2, "not a quarter: 'Q4'; use e.g. `--quarter 2026-Q4`"),
        (["--month", "2026-11", "--format", "docx"], 2, "--format must be html or pdf"),
        (["--month", "2026-11", "--format", "pdf"], 2, "--format pdf writes a file"),
    ],
)
async def test_bad_input_is_one_line_and_an_exit_code(
    data_dir: Path, argv: list[str], code: int, message: str
) -> None:
    got, out, err = await _run(argv, _env(data_dir))
    assert got == code and out == ""
    assert err.startswith(f"trimtab review: {message}") and err.count("\n") == 1


async def test_missing_chromium_or_data_dir(data_dir: Path, tmp_path: Path) -> None:
    argv = ["--month", "2026-11", "--format", "pdf", "--out", str(tmp_path / "x.pdf")]
    code, _, err = await _run(argv, _env(data_dir, TRIMTAB_CHROMIUM=str(tmp_path / "none")))
    assert code == 1 and "does not exist" in err and not (tmp_path / "x.pdf").exists()
    code, _, err = await _run(argv, _env(data_dir, TRIMTAB_CHROMIUM="", PATH=str(tmp_path)))
    assert code == 1 and "install chromium or set TRIMTAB_CHROMIUM" in err
    code, _, err = await _run(["--month", "2026-11"], _env(tmp_path / "nowhere"))
    assert code == 2 and "no data dir" in err


def test_month_and_quarter_are_exclusive_and_one_is_required() -> None:
    for argv in (["--month", "2026-11", "--quarter", "2026-Q4"], []):
        with pytest.raises(SystemExit):
            _args(*argv)
