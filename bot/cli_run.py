"""``trimtab run``: serve the bot, optionally beside the Microsoft 365 Agents Playground."""

from __future__ import annotations

import argparse
import dataclasses
import ipaddress
import logging
import os
import shutil
import signal
import subprocess
import sys

from aiohttp import web

from bot._http import access_log_options
from bot.background import freeze_startup_heap
from bot.errors import SettingsError
from bot.settings import Settings
from bot.storage import StorageError
from bot.storage.dburl import URL_VARIABLE, database_config

log = logging.getLogger(__name__)

PLAYGROUND_PACKAGE = "@microsoft/m365agentsplayground"
PLAYGROUND_URL = "http://localhost:56150"


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    parser = subparsers.add_parser("run", help="serve the bot on /api/messages")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3978)
    parser.add_argument(
        "--allow-unauthenticated-remote",
        action="store_true",
        help="serve a non-loopback --host without MicrosoftAppId (anyone reaching it is admin)",
    )
    parser.add_argument(
        "--quarantine-corrupt",
        action="store_true",
        help="move corrupt collection files in the data dir aside instead of refusing to start",
    )
    parser.add_argument(
        "--playground",
        choices=("auto", "on", "off"),
        default="off",
        help="start the Agents Playground next to the bot (auto: when npx is present)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env()
        database = database_config(settings.env)
    except SettingsError as error:
        print(f"trimtab: {error}", file=sys.stderr)
        return 2
    if (
        settings.local_mode
        and not _is_loopback(args.host)
        and not args.allow_unauthenticated_remote
    ):
        print(
            f"trimtab: --host: {args.host} is reachable from other machines but MicrosoftAppId "
            "is not set, so nobody would be authenticated: set MicrosoftAppId, use "
            "--host 127.0.0.1, or add --allow-unauthenticated-remote",
            file=sys.stderr,
        )
        return 2
    settings = dataclasses.replace(
        settings.served_at(args.host, args.port), quarantine_corrupt=args.quarantine_corrupt
    )
    from bot.app import create_app  # after the settings check: a bad value fails fast

    playground = _start_playground(args.playground, args.port, settings)

    def announce(_: str) -> None:  # called by aiohttp once storage is open and the port bound
        freeze_startup_heap()
        print(f"Trimtab listening on http://{args.host}:{args.port}/api/messages", flush=True)

    try:
        web.run_app(
            create_app(settings),
            host=args.host,
            port=args.port,
            print=announce,
            **access_log_options(),
        )
    except StorageError as error:
        if database is None:
            prefix = "TRIMTAB_DATA_DIR: "
        elif URL_VARIABLE in str(error):  # connection errors already name it (password masked)
            prefix = ""
        else:
            prefix = f"{URL_VARIABLE}: "
        print(f"trimtab: {prefix}{error}", file=sys.stderr)
        return 1
    except SettingsError as error:  # found while starting (the dashboard key file)
        print(f"trimtab: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # the port is taken or the host is not an address of this machine
        print(
            f"trimtab: --port: cannot listen on {args.host}:{args.port}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 1
    finally:
        if playground is not None:
            _stop_playground(playground)
    return 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def _start_playground(mode: str, port: int, settings: Settings) -> subprocess.Popen[bytes] | None:
    if mode == "off":
        return None
    npx = shutil.which("npx")
    if npx is None:
        if mode == "on":
            print("trimtab: --playground on needs npx (Node.js) on PATH", file=sys.stderr)
        else:
            print(
                "npx not found: start the Agents Playground yourself and point it at "
                f"http://localhost:{port}/api/messages",
                flush=True,
            )
        return None
    env = dict(os.environ)
    env.setdefault("TEAMSAPPTESTER_BROWSER", "none")
    env["BOT_ENDPOINT"] = f"http://localhost:{port}/api/messages"
    env.setdefault("DEFAULT_CHANNEL_ID", "msteams")
    if settings.app_id:
        env.setdefault("BOT_ID", settings.app_id)
        env.setdefault("BOT_PASSWORD", settings.app_password)
    # Its own process group: npx starts node as a grandchild, which must stop with us.
    process = subprocess.Popen([npx, "-y", PLAYGROUND_PACKAGE], env=env, start_new_session=True)
    print(f"Agents Playground starting: open {PLAYGROUND_URL} in your browser", flush=True)
    return process


def _stop_playground(process: subprocess.Popen[bytes]) -> None:
    """Stop npx and the node process it started (the whole process group)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=5)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
