"""``trimtab sync``: collect channel conversations from Graph into the data dir now;
``trimtab pseudonymise``: rewrite every stored user id of the data dir into pseudonyms.

Exit codes: 0 every team collected (404 teams skipped), 1 some teams failed,
2 configuration or authentication problem (one clear line on stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from azure.core.exceptions import AzureError
from dotenv import dotenv_values

from adoption.collector import SyncResult
from adoption.config import ConfigError, GraphSettings, report_zone
from adoption.graph import GraphAuthError, GraphError
from adoption.id_space import pseudonymise_store
from adoption.sync import pseudonymiser_for, run_sync
from bot.errors import SettingsError
from bot.graph_transport import AiohttpTransport
from bot.storage import StorageError, open_store


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    """Register ``sync`` on the ``trimtab`` command line."""
    parser = subparsers.add_parser("sync", help="collect channel conversations from Graph now")
    parser.add_argument("--data-dir", help="default: TRIMTAB_DATA_DIR or ./data")
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar even on a terminal"
    )
    parser.set_defaults(func=run)
    rewrite = subparsers.add_parser(
        "pseudonymise",
        help="rewrite every stored user id into pseudonyms (needs TRIMTAB_PSEUDONYMISE=1)",
    )
    rewrite.add_argument("--data-dir", help="default: TRIMTAB_DATA_DIR or ./data")
    rewrite.set_defaults(func=run_pseudonymise)


def _environment() -> dict[str, str]:
    values = {k: v for k, v in dotenv_values(".env").items() if v is not None}
    values.update(os.environ)
    return values


class ProgressBar:
    """``[#####.....] 12/40 teams  Sales`` redrawn in place on a terminal."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream, self.width = stream, width

    def __call__(self, done: int, total: int, name: str) -> None:
        filled = self.width * done // total if total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} teams  {name[:30]:<30}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def summary(result: SyncResult) -> str:
    """The human summary printed after a sync."""
    lines = [
        f"synced {result.teams} teams, {result.channels} channels: "
        f"{result.threads} threads, {result.messages} messages stored "
        f"({result.requests} Graph requests)"
    ]
    if result.usage_periods:
        lines.append(f"usage report: {', '.join(result.usage_periods)}")
    elif result.usage_error:
        lines.append(f"usage report not collected: {result.usage_error}")
    if result.departments is not None:
        lines.append(f"departments: stored for {result.departments} people")
    elif result.departments_error:
        lines.append(f"departments not collected: {result.departments_error}")
    lines += [f"skipped team {tid}: {why}" for tid, why in result.skipped_teams.items()]
    lines += [f"FAILED team {tid}: {why}" for tid, why in result.failed_teams.items()]
    return "\n".join(lines)


async def _sync(env: Mapping[str, str], data_dir: Path, progress: bool) -> SyncResult:
    settings = GraphSettings.from_env(env)
    zone = report_zone(env)
    store = await open_store(env, data_dir)  # PostgreSQL when TRIMTAB_DATABASE_URL is set
    try:
        return await run_sync(
            settings,
            store,
            datetime.now(UTC),
            data_dir=data_dir,
            progress=ProgressBar(sys.stderr) if progress else None,
            tz=zone,
            transport=AiohttpTransport(),
        )
    finally:
        await store.close()


def _data_dir(args: argparse.Namespace, env: Mapping[str, str]) -> Path:
    return Path(args.data_dir or env.get("TRIMTAB_DATA_DIR", "").strip() or "data")


async def _pseudonymise(env: Mapping[str, str], data_dir: Path) -> int:
    settings = GraphSettings.from_env(env)
    if not settings.pseudonymise:
        raise ConfigError("TRIMTAB_PSEUDONYMISE=1 is required to pseudonymise the data dir")
    pseudonymiser = pseudonymiser_for(settings, data_dir)
    store = await open_store(env, data_dir)
    try:
        return await pseudonymise_store(store, pseudonymiser)
    finally:
        await store.close()


def run_pseudonymise(args: argparse.Namespace) -> int:
    """``trimtab pseudonymise``: 0 done, 2 configuration or storage problem."""
    env = _environment()
    data_dir = _data_dir(args, env)
    if not data_dir.is_dir():
        print(f"trimtab pseudonymise: no data dir at {data_dir}", file=sys.stderr)
        return 2
    try:
        written = asyncio.run(_pseudonymise(env, data_dir))
    except (ConfigError, StorageError) as exc:
        print(f"trimtab pseudonymise: {exc}", file=sys.stderr)
        return 2
    print(f"pseudonymised {written} documents in {data_dir}")
    return 0


def run(args: argparse.Namespace) -> int:
    env = _environment()
    data_dir = _data_dir(args, env)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("azure.identity").setLevel(logging.ERROR)  # its failures are reported below
    show = sys.stderr.isatty() and not args.no_progress
    try:
        result = asyncio.run(_sync(env, data_dir, show))
    except (ConfigError, GraphAuthError, StorageError, SettingsError) as exc:
        print(f"trimtab sync: {exc}", file=sys.stderr)
        return 2
    except AzureError as exc:  # azure-identity could not get a token (endpoint unreachable …)
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"trimtab sync: cannot get a Graph token: {reason}", file=sys.stderr)
        return 2
    except GraphError as exc:
        print(f"trimtab sync: Graph failed: {exc}", file=sys.stderr)
        return 1
    print(summary(result))
    return 0 if result.ok else 1
