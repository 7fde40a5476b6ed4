"""The Teams app manifest, built by a pure function from the commands and options.

``build_manifest(commands, options)`` returns the ``manifest.json`` dict
(schema 1.22). Features that need more (a personal tab for the dashboard, say)
pass ``static_tabs`` or post-process the returned dict; nothing here does I/O.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

MANIFEST_VERSION = "1.22"
SCHEMA_URL = (
    "https://developer.microsoft.com/en-us/json-schemas/teams/v1.22/MicrosoftTeams.schema.json"
)
SCOPES = ("personal", "team", "groupChat")
MAX_COMMANDS = 10  # per command list, from the manifest schema
MAX_TITLE = 32  # Teams' documented limit for a bot command title
MAX_DESCRIPTION = 128
#: Namespace of the stable app id generated when no MicrosoftAppId is configured.
APP_ID_NAMESPACE = uuid.UUID("6f1c0d2e-7a4b-5c3d-9e8f-1a2b3c4d5e6f")

#: The most useful commands per scope, first; the rest of the member commands fill up.
PRIORITY: Mapping[str, tuple[str, ...]] = {
    "personal": (
        "help",
        "tips",
        "circle create",
        "circle join",
        "circle list",
        "circle status",
        "checkin",
        "goal",
        "champions",
        "adoption summary",
    ),
    "team": (
        "help",
        "coach",
        "tips",
        "champions",
        "nudge",
        "champion stats",
        "adoption summary",
        "circle list",
    ),
    "groupChat": (
        "help",
        "circle create",
        "circle join",
        "circle start",
        "circle status",
        "checkin",
        "goal",
        "circle list",
        "circle end",
        "tips",
    ),
}


class CommandLike(Protocol):
    """What the manifest needs of a command (``bot.router.Command`` fits)."""

    @property
    def name(self) -> str: ...

    @property
    def usage(self) -> str: ...

    @property
    def summary(self) -> str: ...

    @property
    def role(self) -> int: ...


@dataclass(frozen=True)
class ManifestOptions:
    """Everything about the app that is not a command."""

    app_id: str
    bot_id: str
    version: str
    base_url: str
    short_name: str = "Trimtab"
    developer_name: str = "Trimtab"
    accent_color: str = "#1F6F78"
    website_url: str = ""
    privacy_url: str = ""
    terms_url: str = ""

    def page(self, explicit: str, path: str) -> str:
        """An https page URL: ``explicit`` or one under the base URL."""
        if explicit:
            return explicit
        parts = urlsplit(self.base_url)
        return f"https://{parts.netloc}{parts.path.rstrip('/')}/{path}"


def stable_app_id(seed: str) -> str:
    """A GUID that stays the same for the same ``seed`` (e.g. the base URL)."""
    return str(uuid.uuid5(APP_ID_NAMESPACE, seed))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def command_list(commands: Sequence[CommandLike], scope: str) -> list[dict[str, str]]:
    """Up to 10 commands for ``scope``: the scope's priorities, then other member commands."""
    by_name = {c.name: c for c in commands}
    chosen = [by_name[n] for n in PRIORITY.get(scope, ()) if n in by_name]
    for command in commands:
        if len(chosen) >= MAX_COMMANDS:
            break
        if command not in chosen and command.role == 0:
            chosen.append(command)
    entries = []
    for command in chosen[:MAX_COMMANDS]:
        detail = command.summary or command.usage
        if command.usage != command.name:
            detail = f"{detail} ({command.usage})"
        entries.append(
            {"title": _clip(command.name, MAX_TITLE), "description": _clip(detail, MAX_DESCRIPTION)}
        )
    return entries


def dashboard_tab(base_url: str) -> dict[str, Any]:
    """The personal tab that opens the admin dashboard (its page explains how to sign in)."""
    root = base_url.rstrip("/")
    return {
        "entityId": "trimtab-dashboard",
        "name": "Dashboard",
        "contentUrl": f"{root}/dashboard/tab",
        "websiteUrl": f"{root}/dashboard/tab",
        "scopes": ["personal"],
    }


def build_manifest(
    commands: Sequence[CommandLike],
    options: ManifestOptions,
    *,
    static_tabs: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The ``manifest.json`` of the Trimtab Teams app."""
    host = urlsplit(options.base_url).hostname or "localhost"
    manifest: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": options.version,
        "id": options.app_id,
        "developer": {
            "name": _clip(options.developer_name, 32),
            "websiteUrl": options.page(options.website_url, ""),
            "privacyUrl": options.page(options.privacy_url, "privacy"),
            "termsOfUseUrl": options.page(options.terms_url, "terms"),
        },
        "name": {"short": _clip(options.short_name, 30), "full": "Trimtab: Teams adoption coach"},
        "description": {
            "short": "Small nudges that turn your Teams habits, and numbers that show it.",
            "full": (
                "Trimtab coaches conversation-first habits in Microsoft Teams: post in "
                "channels, reply in threads, mention people. It runs Working Out Loud circles "
                "with weekly prompts and check-ins, lets champions nudge their teams, and "
                "shows admins adoption health per team from Microsoft Graph (ids, timestamps "
                "and counts only, never message text)."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": options.accent_color,
        "bots": [
            {
                "botId": options.bot_id,
                "scopes": list(SCOPES),
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {"scopes": [scope], "commands": command_list(commands, scope)}
                    for scope in SCOPES
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host],
    }
    if static_tabs:
        manifest["staticTabs"] = [dict(tab) for tab in static_tabs]
    return manifest
