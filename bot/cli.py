"""The ``trimtab`` command line: ``run`` here; other subcommands live in ``bot/cli_*.py``.

Each subcommand module exposes ``add_parser(subparsers)`` and sets ``func`` on
its parser; ``func(args) -> int`` is the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

#: Modules that add subcommands (each has ``add_parser(subparsers)``).
SUBCOMMAND_MODULES: tuple[str, ...] = (
    "bot.cli_run",
    "bot.cli_sync",
    "bot.cli_report",
    "bot.cli_package",
    "bot.cli_db",
    "bot.cli_migrate",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trimtab", description="Trimtab: Teams adoption bot and tracker."
    )
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING (default INFO)")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(name).add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``trimtab`` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=getattr(logging, str(args.log_level).upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
