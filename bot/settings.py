"""Configuration from the environment and an optional ``.env`` file.

Bot Framework variables keep botbuilder's names (``MicrosoftAppId`` …); Trimtab's
own start with ``TRIMTAB_``. Everything, the Graph tracker's variables included
(``graph``: cron checked with APScheduler's own parser), is parsed here once at
start; a bad value raises :class:`SettingsError` naming the variable, so the
start stops with one clear line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from dotenv import dotenv_values

from adoption.config import ConfigError, GraphSettings
from bot.errors import SettingsError

APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
DEFAULT_BASE_URL = "http://localhost:3978"
#: Shortest accepted dashboard signing key (``TRIMTAB_DASHBOARD_SECRET`` or its file).
MIN_SECRET_BYTES = 32


def _csv(value: str | None) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in (value or "").split(",") if part.strip())


def _graph(env: Mapping[str, str], zone: ZoneInfo) -> GraphSettings:
    """The tracker's settings; its messages start with the variable's name."""
    try:
        graph = GraphSettings.from_env(env)
    except ConfigError as error:
        variable, _, problem = str(error).partition(" ")
        raise SettingsError(variable.rstrip(":"), problem) from None
    try:
        CronTrigger.from_crontab(graph.sync_cron, timezone=zone)
    except ValueError as error:
        raise SettingsError(
            "TRIMTAB_SYNC_CRON", f"{graph.sync_cron!r} is not a valid crontab ({error})"
        ) from None
    return graph


def _zone(variable: str, value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            variable, f"{value!r} is not an IANA time zone (for example Europe/Berlin or UTC)"
        ) from None


def _days(variable: str, value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise SettingsError(variable, f"{value!r} is not a whole number of days (1 or more)")
    return int(value)


@dataclass(frozen=True)
class Settings:
    """Everything Trimtab reads from its environment."""

    app_id: str = ""
    app_password: str = ""
    app_tenant_id: str = ""
    app_type: str = "MultiTenant"
    data_dir: Path = Path("data")
    admins: frozenset[str] = frozenset()
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    allowed_tenants: frozenset[str] = frozenset()
    base_url: str = DEFAULT_BASE_URL
    #: False when ``TRIMTAB_BASE_URL`` is unset: ``trimtab run`` then uses the bound address.
    base_url_set: bool = False
    bot_name: str = "Trimtab"
    graph: GraphSettings = field(default_factory=GraphSettings)
    healthz_token: str = field(default="", repr=False)
    #: ``trimtab run --quarantine-corrupt``: move corrupt collection files aside at start.
    quarantine_corrupt: bool = False
    delivery_retention_days: int = 90
    teams_app_id: str = ""
    env: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def local_mode(self) -> bool:
        """No app id: authentication is off (Agents Playground, tests)."""
        return not self.app_id

    def tenant_allowed(self, tenant_id: str | None) -> bool:
        """Whether activities from ``tenant_id`` are served (empty allow-list: any tenant)."""
        if not self.allowed_tenants:
            return True
        return tenant_id is not None and tenant_id.lower() in self.allowed_tenants

    def served_at(self, host: str, port: int) -> Settings:
        """These settings with ``base_url`` derived from the bound address unless it was set."""
        if self.base_url_set:
            return self
        shown = "localhost" if host in ("", "0.0.0.0", "::") else host
        if ":" in shown:
            shown = f"[{shown}]"
        return replace(self, base_url=f"http://{shown}:{port}")

    def botbuilder_config(self) -> SimpleNamespace:
        """The configuration object ``ConfigurationBotFrameworkAuthentication`` expects."""
        return SimpleNamespace(
            APP_ID=self.app_id,
            APP_PASSWORD=self.app_password,
            APP_TYPE=self.app_type,
            APP_TENANTID=self.app_tenant_id,
            CHANNEL_SERVICE=self.env.get("ChannelService") or None,
            **self._metadata_override(),
        )

    def _metadata_override(self) -> dict[str, str]:
        """``ToBotFromChannelOpenIdMetadataUrl``: fetch the channel's signing keys elsewhere.

        For tests (a loopback key server) and private key mirrors. botbuilder then
        takes its "parameterized" path, which needs every public-cloud value spelled out.
        """
        url = self.env.get("ToBotFromChannelOpenIdMetadataUrl", "").strip()
        if not url:
            return {}
        return {
            "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": url,
            "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": "https://api.botframework.com",
            "TO_CHANNEL_FROM_BOT_LOGIN_URL": "https://login.microsoftonline.com/"
            + (self.app_tenant_id or "botframework.com"),
            "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": "https://api.botframework.com",
            "OAUTH_URL": "https://api.botframework.com",
            "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL": (
                "https://login.microsoftonline.com/botframework.com/v2.0/"
                ".well-known/openid-configuration"
            ),
        }

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, dotenv: Path | None = Path(".env")
    ) -> Settings:
        """Read settings; real environment variables win over the ``.env`` file."""
        merged: dict[str, str] = {}
        if dotenv is not None and dotenv.is_file():
            merged.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        merged.update(os.environ if env is None else env)

        app_type = merged.get("MicrosoftAppType", "").strip() or "MultiTenant"
        if app_type not in APP_TYPES:
            raise SettingsError("MicrosoftAppType", f"{app_type!r} is not one of {APP_TYPES}")
        app_id = merged.get("MicrosoftAppId", "").strip()
        tenant = merged.get("MicrosoftAppTenantId", "").strip()
        if app_id and app_type == "SingleTenant" and not tenant:
            raise SettingsError(
                "MicrosoftAppTenantId", "is required when MicrosoftAppType=SingleTenant"
            )
        base_url = merged.get("TRIMTAB_BASE_URL", "").strip().rstrip("/")
        if base_url and not base_url.startswith(("http://", "https://")):
            raise SettingsError("TRIMTAB_BASE_URL", f"{base_url!r} is not an http(s) URL")
        secret = merged.get("TRIMTAB_DASHBOARD_SECRET", "").strip()
        if secret and len(secret.encode()) < MIN_SECRET_BYTES:
            raise SettingsError(
                "TRIMTAB_DASHBOARD_SECRET", f"must be at least {MIN_SECRET_BYTES} bytes"
            )
        zone = _zone("TRIMTAB_TIMEZONE", merged.get("TRIMTAB_TIMEZONE", "").strip() or "UTC")
        return cls(
            app_id=app_id,
            app_password=merged.get("MicrosoftAppPassword", ""),
            app_tenant_id=tenant,
            app_type=app_type,
            data_dir=Path(merged.get("TRIMTAB_DATA_DIR", "").strip() or "data"),
            admins=_csv(merged.get("TRIMTAB_ADMINS")),
            timezone=zone,
            allowed_tenants=_csv(merged.get("TRIMTAB_ALLOWED_TENANTS")),
            base_url=base_url or DEFAULT_BASE_URL,
            base_url_set=bool(base_url),
            bot_name=merged.get("TRIMTAB_BOT_NAME", "").strip() or "Trimtab",
            graph=_graph(merged, zone),
            healthz_token=merged.get("TRIMTAB_HEALTHZ_TOKEN", "").strip(),
            delivery_retention_days=_days(
                "TRIMTAB_DELIVERY_RETENTION_DAYS",
                merged.get("TRIMTAB_DELIVERY_RETENTION_DAYS", "").strip() or "90",
            ),
            teams_app_id=merged.get("TRIMTAB_TEAMS_APP_ID", "").strip(),
            env=dict(merged),
        )
