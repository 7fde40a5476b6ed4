"""``trimtab migrate --from-dir DIR --to postgresql://…``: move a TinyDB data dir to PostgreSQL.

Copies every collection, prints the counts per collection, and refuses a
database that already holds documents or adoption facts unless ``--force``. Only
documents that differ are written, so a second run changes nothing. Adoption facts
go into their tables (:mod:`bot.cli_migrate_facts`), not into documents. The data dir is opened
read-only: the running bot may keep it, but stop it to copy a consistent state.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TextIO

from bot.cli_migrate_facts import FactsUnreadableError
from bot.errors import SettingsError
from bot.storage import StorageError, TinyDBStore
from bot.storage.dburl import DatabaseConfig, parse_database_url


class MigrateRefusedError(Exception):
    """The target is not empty and ``--force`` was not given."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    parser = subparsers.add_parser(
        "migrate", help="copy a TinyDB data dir into an empty PostgreSQL database"
    )
    parser.add_argument("--from-dir", required=True, help="the TinyDB data dir (TRIMTAB_DATA_DIR)")
    parser.add_argument("--to", required=True, help="postgresql://user:pass@host/db?sslmode=…")
    parser.add_argument(
        "--force", action="store_true", help="copy into a database that already holds documents"
    )
    parser.set_defaults(func=run)


async def copy_collections(
    source_dir: Path, config: DatabaseConfig, *, force: bool, out: TextIO
) -> None:
    """Copy every collection of ``source_dir`` into the database; print a line per collection."""
    from bot.cli_migrate_facts import copy_facts, fact_collections
    from bot.storage.postgres import PostgresStore

    source = await TinyDBStore.open(source_dir, read_only=True)
    target = await PostgresStore.open(config)
    try:
        facts = target.adoption_facts()
        existing = await target.collections() + (["adoption facts"] if await facts.teams() else [])
        if existing and not force:
            raise MigrateRefusedError(
                f"{config.masked_url} already holds {len(existing)} collections "
                f"({', '.join(existing[:3])}{', …' if len(existing) > 3 else ''}); "
                "point --to at an empty database or add --force"
            )
        skipped = await fact_collections(source)
        names = [name for name in await source.collections() if name not in skipped]
        for name in names:
            docs = await source.all(name)
            current = await target.all(name)
            changed = {key: doc for key, doc in docs.items() if current.get(key) != doc}
            await target.put_many(name, changed)
            print(
                f"{name}: {len(docs)} documents, {len(changed)} written, "
                f"{len(docs) - len(changed)} already there",
                file=out,
            )
        await copy_facts(source, facts, out)
        print(f"migrated {len(names)} collections and the adoption facts to {config.masked_url}",
              file=out)  # fmt: skip
    finally:
        await source.close()
        await target.close()


def run(args: argparse.Namespace) -> int:
    """Exit 0 when copied; 2 for bad arguments; 1 when refused or the database fails."""
    source_dir = Path(args.from_dir)
    if not source_dir.is_dir():
        print(f"trimtab migrate: --from-dir: no data dir at {source_dir}", file=sys.stderr)
        return 2
    try:
        config = parse_database_url(args.to)
    except SettingsError as error:
        print(f"trimtab migrate: --to: {str(error).split(': ', 1)[1]}", file=sys.stderr)
        return 2
    try:
        asyncio.run(copy_collections(source_dir, config, force=args.force, out=sys.stdout))
    except (MigrateRefusedError, FactsUnreadableError, StorageError) as error:
        print(f"trimtab migrate: {error}", file=sys.stderr)
        return 1
    return 0
