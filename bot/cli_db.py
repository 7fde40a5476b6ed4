"""``trimtab db upgrade``: apply the PostgreSQL schema migrations explicitly.

Instances also apply them at start; this command lets an operator upgrade the
schema in a release step before rolling out new instances.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.errors import SettingsError
from bot.settings import Settings
from bot.storage import StorageError
from bot.storage.dburl import URL_VARIABLE, DatabaseConfig, database_config


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    parser = subparsers.add_parser("db", help="PostgreSQL schema (TRIMTAB_DATABASE_URL)")
    actions = parser.add_subparsers(dest="db_action", required=True, metavar="ACTION")
    upgrade = actions.add_parser("upgrade", help="apply pending schema migrations")
    upgrade.set_defaults(func=run_upgrade)


async def _upgrade(config: DatabaseConfig) -> tuple[int, int]:
    from bot.storage.postgres import connect
    from bot.storage.postgres_schema import upgrade

    conn = await connect(config)
    try:
        return await upgrade(conn)
    finally:
        await conn.close()


def run_upgrade(args: argparse.Namespace) -> int:
    """Upgrade the schema; print the versions before and after, or one error line."""
    try:
        config = database_config(Settings.from_env().env)
    except SettingsError as error:
        print(f"trimtab db: {error}", file=sys.stderr)
        return 2
    if config is None:
        print(
            f"trimtab db: {URL_VARIABLE} is not set (TinyDB needs no migrations)", file=sys.stderr
        )
        return 2
    try:
        before, after = asyncio.run(_upgrade(config))
    except StorageError as error:
        print(f"trimtab db: {error}", file=sys.stderr)
        return 1
    if before == after:
        print(f"schema already at version {after}: nothing to do")
    else:
        print(f"schema upgraded from version {before} to {after}")
    return 0
