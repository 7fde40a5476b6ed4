"""``trimtab package``: the Teams app package (manifest.json and two icons in a zip)."""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

from bot import __version__
from bot.errors import SettingsError
from bot.icons import color_icon, outline_icon
from bot.manifest import ManifestOptions, build_manifest, dashboard_tab, stable_app_id
from bot.settings import Settings


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    parser = subparsers.add_parser("package", help="write the Teams app package (zip)")
    parser.add_argument("--out", default="trimtab.zip", help="zip to write (default trimtab.zip)")
    parser.add_argument(
        "--base-url", help="public https URL of the bot (default TRIMTAB_BASE_URL); validDomains"
    )
    parser.add_argument("--developer-name", default="Trimtab")
    parser.add_argument("--website-url", default="", help="default: <base-url>/")
    parser.add_argument("--privacy-url", default="", help="default: <base-url>/privacy")
    parser.add_argument("--terms-url", default="", help="default: <base-url>/terms")
    parser.set_defaults(func=package)


def package(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"trimtab: {error}", file=sys.stderr)
        return 2
    base_url = (args.base_url or settings.base_url).rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        print(f"trimtab: --base-url: {base_url!r} is not an http(s) URL", file=sys.stderr)
        return 2
    from bot.commands import COMMAND_TABLES  # the feature modules, only when packaging
    from bot.router import CommandRouter

    if settings.app_id:
        app_id = settings.app_id
    else:
        app_id = stable_app_id(base_url)
        print(
            f"MicrosoftAppId is not set: using the generated app id {app_id} (stable for this "
            "base URL). Set MicrosoftAppId to your Azure Bot's app id before uploading to Teams.",
            flush=True,
        )
    options = ManifestOptions(
        app_id=app_id,
        bot_id=app_id,
        version=_semver(__version__),
        base_url=base_url,
        short_name=settings.bot_name,
        developer_name=args.developer_name,
        website_url=args.website_url,
        privacy_url=args.privacy_url,
        terms_url=args.terms_url,
    )
    manifest = build_manifest(
        CommandRouter(COMMAND_TABLES).commands,
        options,
        static_tabs=[dashboard_tab(options.base_url)],
    )
    out = Path(args.out)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        archive.writestr("color.png", color_icon(options.accent_color))
        archive.writestr("outline.png", outline_icon())
    print(f"Wrote {out} (manifest {manifest['manifestVersion']}, app id {app_id})", flush=True)
    return 0


def _semver(version: str) -> str:
    """Teams wants MAJOR.MINOR.PATCH; a local build's ``+local`` suffix is dropped."""
    return version.split("+", 1)[0]
