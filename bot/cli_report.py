"""``trimtab report``: the adoption report for a period as JSON, CSV or HTML.

Opens the TinyDB store read-only (safe beside a running bot), so it never takes the
writer lock. Settings come from the environment: ``TRIMTAB_DATA_DIR`` (default
``data``), ``TRIMTAB_TIMEZONE`` (default UTC), and for champion shares the bot's champion
registry (``champions.registry``), mapped through the pseudonymiser when
``TRIMTAB_PSEUDONYMISE`` is on so champions match the stored author ids.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from adoption.config import KEY_FILE, ConfigError, GraphSettings, report_zone
from adoption.departments import with_departments
from adoption.id_space import check_id_space
from adoption.pseudonym import Pseudonymiser
from adoption.report import ReportInputs, UnknownTeamError, compute_report, read_report_inputs
from adoption.report_formats import FORMATS, render_chunks
from adoption.repository import AdoptionRepository
from adoption.weeks import parse_period
from bot.errors import SettingsError
from bot.report_shares import MIN_SHARE, can_fork, default_workers, json_in_shares, plan_shares
from bot.storage import DocumentStore, StorageError, open_store
from bot.storage.dburl import URL_VARIABLE

CHAMPIONS = "champions.registry"


class ReportArgsError(ValueError):
    """A bad argument or setting: one line for the user, exit code 2."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="adoption report: weekly metrics, health and personas per team",
        description="Write the adoption report for a period from the collected data.",
    )
    parser.add_argument("--period", default="8w", help="8w (last full weeks), 30d, or A..B dates")
    parser.add_argument("--team", help="one team, by name (case-insensitive) or id")
    parser.add_argument("--format", dest="fmt", metavar="json|csv|html", help="output format")
    parser.add_argument("--out", help="write to this file instead of standard output")
    parser.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help=f"processes measuring a large JSON report (default: this machine's CPUs, "
        f"{default_workers()}; at least {MIN_SHARE} teams each; 1: this process only)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Entry point used by ``bot.cli``: the exit code (0 ok, 1 storage/IO, 2 bad input)."""
    # A one-shot process that builds about a million acyclic objects for 2,000 teams: the
    # cycle collector only rescans them (a third of the report's time); refcounting frees
    # them all the same.
    gc.disable()
    return asyncio.run(
        report_command(
            args, env=os.environ, now=datetime.now(UTC), stdout=sys.stdout, stderr=sys.stderr
        )
    )


def _zone(env: Mapping[str, str]) -> ZoneInfo:
    try:
        return report_zone(env)
    except ConfigError as error:
        raise ReportArgsError(str(error)) from None


def _pseudonymiser(settings: GraphSettings, data_dir: Path) -> Pseudonymiser:
    """The collector's mapping, without ever creating a key (a report only reads)."""
    if not settings.pseudonymise:
        return Pseudonymiser.disabled()
    key = (settings.pseudonym_key or "").encode()
    if not key:
        try:
            key = Path(settings.pseudonym_key_file or data_dir / KEY_FILE).read_bytes().strip()
        except OSError:
            return Pseudonymiser.disabled()  # nothing was pseudonymised with a key yet
    return Pseudonymiser(key)


def data_dir_of(env: Mapping[str, str]) -> Path:
    """``TRIMTAB_DATA_DIR`` (default ``data``); a missing folder is a :class:`ReportArgsError`
    unless the store is a database (``TRIMTAB_DATABASE_URL``)."""
    data_dir = Path(env.get("TRIMTAB_DATA_DIR", "").strip() or "data")
    if not env.get(URL_VARIABLE, "").strip() and not data_dir.is_dir():
        raise ReportArgsError(
            f"no data dir at {data_dir}: run `trimtab sync` first or set TRIMTAB_DATA_DIR"
        )
    return data_dir


def tracker_settings(env: Mapping[str, str]) -> GraphSettings:
    """The tracker's settings; a bad value is a :class:`ReportArgsError`."""
    try:
        return GraphSettings.from_env(env)
    except ConfigError as error:
        raise ReportArgsError(str(error)) from None


async def champion_ids(
    store: DocumentStore, settings: GraphSettings, data_dir: Path
) -> frozenset[str]:
    """The registered champions as the facts spell author ids (pseudonymised when on)."""
    mapping = _pseudonymiser(settings, data_dir)
    return frozenset(mapping.apply(c) for c in await store.all(CHAMPIONS))


def planned_shares(fmt: str, inputs: ReportInputs, args: argparse.Namespace) -> int:
    """How many processes would measure the report (:mod:`bot.report_shares`): several
    only for JSON from rollups, with at least MIN_SHARE teams each; else 1."""
    if fmt != "json" or inputs.rollups is None:
        return 1
    return len(plan_shares(len(inputs.teams), getattr(args, "workers", 1)))


async def report_command(
    args: argparse.Namespace,
    *,
    env: Mapping[str, str],
    now: datetime,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Build and write the report; errors become one line on ``stderr`` and an exit code."""
    try:
        fmt = (args.fmt or "").strip().lower()
        if fmt not in FORMATS:
            raise ReportArgsError("--format must be json, csv or html; e.g. `--format html`")
        if getattr(args, "workers", 1) < 1:
            raise ReportArgsError("--workers must be 1 or more (1: measure in this process)")
        tz = _zone(env)
        try:
            period = parse_period(args.period, today=now.astimezone(tz).date())
        except ValueError as error:
            raise ReportArgsError(str(error)) from None
        data_dir = data_dir_of(env)
        settings = tracker_settings(env)
        store = await open_store(env, data_dir, read_only=True)
        try:
            try:
                await check_id_space(store, settings.pseudonymise)
            except ConfigError as error:
                raise ReportArgsError(str(error)) from None
            champions = await champion_ids(store, settings, data_dir)
            inputs = await read_report_inputs(
                AdoptionRepository(store), start=period.start, end=period.end, tz=tz, now=now,
                champions=champions, team=args.team, min_group_size=settings.min_group_size,
            )  # fmt: skip
            departments = settings.by_department and args.team is None  # they span all teams
            shares = 1 if departments else planned_shares(fmt, inputs, args)
            report = None if shares > 1 else compute_report(inputs)
            if report is not None and departments:
                report = await with_departments(
                    report, AdoptionRepository(store), tz=tz, champions=champions,
                    min_group_size=settings.min_group_size,
                )  # fmt: skip
        finally:
            await store.close()
        if report is None:  # forked processes must not inherit the loop's idle threads
            await asyncio.get_running_loop().shutdown_default_executor()
            if not can_fork():
                report, shares = compute_report(inputs), 1
    except (ReportArgsError, UnknownTeamError, SettingsError) as error:
        print(f"trimtab report: {error}", file=stderr)
        return 2
    except StorageError as error:
        print(f"trimtab report: TRIMTAB_DATA_DIR: {error}", file=stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="trimtab-report-") as scratch:
        if report is None:
            chunks = json_in_shares(inputs, shares, Path(scratch))
        else:
            chunks, shares = render_chunks(report, fmt), 1
        if not args.out:
            stdout.writelines(chunks)
            return 0
        try:
            with Path(args.out).open("w", encoding="utf-8") as out:
                out.writelines(chunks)  # piece by piece: a large report is never one string
        except OSError as error:
            print(f"trimtab report: cannot write {args.out}: {error.strerror}", file=stderr)
            return 1
    processes = f", measured by {shares} processes" if shares > 1 else ""
    print(
        f"wrote {fmt} report for {period.start}..{period.end} "
        f"({len(inputs.teams)} teams{processes}) to {args.out}",
        file=stdout,
    )
    return 0
