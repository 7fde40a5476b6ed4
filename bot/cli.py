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
    "bot.cli_review",
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


#: Libraries whose INFO lines are noise for an operator ("Adding job tentatively…").
QUIET_LOGGERS: tuple[str, ...] = (
    "apscheduler",
    "azure",
    "botbuilder",
    "botframework",
    "httpx",
    "kiota_http",
    "msal",
    "msrest",
    "urllib3",
)


def configure_logging(level_name: str) -> None:
    """Root logging at ``level_name``; third-party loggers at WARNING unless DEBUG."""
    level = getattr(logging, str(level_name).upper(), logging.INFO)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)  # also when a handler was already installed
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(
            logging.NOTSET if level <= logging.DEBUG else logging.WARNING
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``trimtab`` console script."""
    args = build_parser().parse_args(argv)
    configure_logging(args.log_level)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
