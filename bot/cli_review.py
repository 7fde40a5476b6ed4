"""``trimtab review --month 2026-11 | --quarter 2026-Q4``: the monthly insight review or the
quarterly business review as one print-ready HTML file, or a PDF (``--format pdf``).

Reads the store read-only, like ``trimtab report`` (same settings: ``TRIMTAB_DATA_DIR``,
``TRIMTAB_TIMEZONE``, champions mapped through the pseudonymiser). Errors are one line
on standard error: exit code 2 for bad input, 1 for storage, files or a missing Chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.cli_report import ReportArgsError, _zone, champion_ids, data_dir_of, tracker_settings
from bot.plan_status import review_from_store
from bot.review_pdf import PdfUnavailableError, find_chromium, html_to_pdf
from bot.storage import StorageError, open_store
from plans.periods import MONTH, QUARTER, ReviewPeriodError, parse_review_period
from plans.review_html import to_html

FORMATS = ("html", "pdf")
PdfRenderer = Callable[[str, str], Awaitable[bytes]]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "review",
        help="monthly insight review or quarterly business review (HTML or PDF)",
        description="Write the review of a month or quarter against the one before.",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--month", help="a calendar month, e.g. 2026-11")
    which.add_argument("--quarter", help="a calendar quarter, e.g. 2026-Q4")
    parser.add_argument("--format", dest="fmt", default="html", metavar="html|pdf")
    parser.add_argument("--out", help="write to this file (required for pdf)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Entry point used by ``bot.cli``."""
    return asyncio.run(
        review_command(
            args, env=os.environ, now=datetime.now(UTC), stdout=sys.stdout, stderr=sys.stderr
        )
    )


def _period_text(args: argparse.Namespace) -> tuple[str, str]:
    return (MONTH, args.month) if args.month is not None else (QUARTER, args.quarter)


async def _build_html(args: argparse.Namespace, env: Mapping[str, str], now: datetime) -> str:
    kind, text = _period_text(args)
    try:
        review_period = parse_review_period(kind, text)
    except ReviewPeriodError:
        example = "--month 2026-11" if kind == MONTH else "--quarter 2026-Q4"
        raise ReportArgsError(f"not a {kind}: {text!r}; use e.g. `{example}`") from None
    tz = _zone(env)
    data_dir = data_dir_of(env)
    settings = tracker_settings(env)
    store = await open_store(env, data_dir, read_only=True)
    try:
        champions = await champion_ids(store, settings, data_dir)
        review = await review_from_store(
            store, review_period, tz=tz, now=now, champions=champions, graph=settings
        )
    finally:
        await store.close()
    return to_html(review)


async def review_command(
    args: argparse.Namespace,
    *,
    env: Mapping[str, str],
    now: datetime,
    stdout: TextIO,
    stderr: TextIO,
    pdf: PdfRenderer = html_to_pdf,
) -> int:
    """Build and write the review; errors become one line on ``stderr`` and an exit code."""
    fmt = (args.fmt or "").strip().lower()
    try:
        if fmt not in FORMATS:
            raise ReportArgsError("--format must be html or pdf; e.g. `--format pdf`")
        if fmt == "pdf" and not args.out:
            raise ReportArgsError("--format pdf writes a file: add `--out review.pdf`")
        html = await _build_html(args, env, now)
        body: bytes = await pdf(html, find_chromium(env)) if fmt == "pdf" else html.encode()
    except ReportArgsError as error:
        print(f"trimtab review: {error}", file=stderr)
        return 2
    except StorageError as error:
        print(f"trimtab review: TRIMTAB_DATA_DIR: {error}", file=stderr)
        return 1
    except PdfUnavailableError as error:
        print(f"trimtab review: {error}", file=stderr)
        return 1
    if not args.out:
        stdout.write(html)
        return 0
    try:
        Path(args.out).write_bytes(body)
    except OSError as error:
        print(f"trimtab review: cannot write {args.out}: {error.strerror}", file=stderr)
        return 1
    print(f"wrote {fmt} review for {_period_text(args)[1]} to {args.out}", file=stdout)
    return 0
