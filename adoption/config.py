"""Settings of the Graph tracker, read from the environment.

Variables (all optional; the tracker is *configured* when a token or client
credentials are present)::

    TRIMTAB_GRAPH_TENANT_ID            directory (tenant) id of the app registration
    TRIMTAB_GRAPH_CLIENT_ID            application (client) id
    TRIMTAB_GRAPH_CLIENT_SECRET        client secret   } one of the two, with tenant
    TRIMTAB_GRAPH_CLIENT_CERTIFICATE   PEM file path   } and client id
    TRIMTAB_GRAPH_BASE_URL             default https://graph.microsoft.com/v1.0
    TRIMTAB_GRAPH_TOKEN                pre-acquired bearer token (instead of credentials)
    TRIMTAB_PSEUDONYMISE               1/0 (also true/false, yes/no, on/off); default 0
    TRIMTAB_PSEUDONYM_KEY              HMAC key (>= 16 chars); else read from the key file
    TRIMTAB_PSEUDONYM_KEY_FILE         where the generated key lives (may be outside the data
                                       dir); default <data dir>/adoption-pseudonym.key
    TRIMTAB_SYNC_CRON                  five-field cron, default "0 2 * * *" (nightly)
    TRIMTAB_SYNC_LOOKBACK_DAYS         1..240, default 28
    TRIMTAB_SYNC_BACKFILL_WEEKS        history a team's first sync collects, 1..34, default 26
                                       (Graph's channel delta keeps about eight months)
    TRIMTAB_MIN_GROUP_SIZE             fewest active people a team or channel needs before
                                       its metrics are reported, 1..1000, default 5
    TRIMTAB_EXCLUDE_USERS              comma-separated AAD ids or UPNs never stored or counted
    TRIMTAB_GROUP_BY                   ``none`` (default) or ``department``: also measure by the
                                       department of each person's Graph profile (needs the
                                       User.Read.All application permission)

A bad value raises :class:`ConfigError` whose message starts with the variable name.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_BASE_URL = "https://graph.microsoft.com/v1.0"
DEFAULT_SYNC_CRON = "0 2 * * *"
DEFAULT_LOOKBACK_DAYS = 28
DEFAULT_BACKFILL_WEEKS = 26
MAX_BACKFILL_WEEKS = 34  # 34 weeks ~ 238 days, inside the delta's ~8 months
DEFAULT_MIN_GROUP_SIZE = 5
MAX_MIN_GROUP_SIZE = 1000
GROUP_NONE, GROUP_DEPARTMENT = "none", "department"
GROUP_BY_VALUES = (GROUP_NONE, GROUP_DEPARTMENT)
# Channel-message delta only reaches back about eight months.
MAX_LOOKBACK_DAYS = 240
KEY_FILE = "adoption-pseudonym.key"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_CRON_FIELD = re.compile(r"^[0-9*/,\-A-Za-z?]+$")


class ConfigError(ValueError):
    """A tracker setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True, slots=True)
class GraphSettings:
    """Everything the tracker needs to reach Graph and to schedule and store a sync."""

    tenant_id: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    client_certificate: str | None = None
    base_url: str = DEFAULT_BASE_URL
    token: str | None = None
    pseudonymise: bool = False
    pseudonym_key: str | None = None
    sync_cron: str = DEFAULT_SYNC_CRON
    lookback_days: int = DEFAULT_LOOKBACK_DAYS
    backfill_weeks: int = DEFAULT_BACKFILL_WEEKS
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    exclude_users: frozenset[str] = frozenset()
    pseudonym_key_file: str | None = None
    group_by: str = GROUP_NONE

    def __repr__(self) -> str:  # never print secrets
        return (
            f"GraphSettings(tenant_id={self.tenant_id!r}, client_id={self.client_id!r}, "
            f"base_url={self.base_url!r}, auth={self.auth_mode!r}, "
            f"pseudonymise={self.pseudonymise}, sync_cron={self.sync_cron!r}, "
            f"lookback_days={self.lookback_days}, backfill_weeks={self.backfill_weeks}, "
            f"min_group_size={self.min_group_size}, excluded_users={len(self.exclude_users)}, "
            f"group_by={self.group_by!r})"
        )

    @property
    def by_department(self) -> bool:
        """True when ``TRIMTAB_GROUP_BY=department``: the sync reads departments and the
        report, dashboard and review show metrics by department."""
        return self.group_by == GROUP_DEPARTMENT

    @property
    def auth_mode(self) -> str:
        """``token``, ``secret``, ``certificate`` or ``none``."""
        if self.token:
            return "token"
        if self.tenant_id and self.client_id and self.client_secret:
            return "secret"
        if self.tenant_id and self.client_id and self.client_certificate:
            return "certificate"
        return "none"

    @property
    def is_configured(self) -> bool:
        """True when a bearer token or a complete set of client credentials is present."""
        return self.auth_mode != "none"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> GraphSettings:
        """Read and validate the ``TRIMTAB_*`` tracker variables from ``env``."""
        env = os.environ if env is None else env

        def text(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        tenant_id, client_id = text("TRIMTAB_GRAPH_TENANT_ID"), text("TRIMTAB_GRAPH_CLIENT_ID")
        secret = text("TRIMTAB_GRAPH_CLIENT_SECRET")
        certificate = text("TRIMTAB_GRAPH_CLIENT_CERTIFICATE")
        if (secret or certificate) and not (tenant_id and client_id):
            missing = "TRIMTAB_GRAPH_TENANT_ID" if not tenant_id else "TRIMTAB_GRAPH_CLIENT_ID"
            raise ConfigError(f"{missing} is required with a client secret or certificate")
        if certificate and not Path(certificate).is_file():
            raise ConfigError(f"TRIMTAB_GRAPH_CLIENT_CERTIFICATE: no such file {certificate!r}")
        key = text("TRIMTAB_PSEUDONYM_KEY")
        if key is not None and len(key) < 16:
            raise ConfigError("TRIMTAB_PSEUDONYM_KEY must be at least 16 characters")
        return cls(
            tenant_id=tenant_id,
            client_id=client_id,
            client_secret=secret,
            client_certificate=certificate,
            base_url=_base_url(text("TRIMTAB_GRAPH_BASE_URL")),
            token=text("TRIMTAB_GRAPH_TOKEN"),
            pseudonymise=_flag("TRIMTAB_PSEUDONYMISE", env.get("TRIMTAB_PSEUDONYMISE", "")),
            pseudonym_key=key,
            sync_cron=_cron(text("TRIMTAB_SYNC_CRON")),
            lookback_days=_lookback(text("TRIMTAB_SYNC_LOOKBACK_DAYS")),
            backfill_weeks=_bounded(
                "TRIMTAB_SYNC_BACKFILL_WEEKS",
                text("TRIMTAB_SYNC_BACKFILL_WEEKS"),
                DEFAULT_BACKFILL_WEEKS,
                MAX_BACKFILL_WEEKS,
            ),
            min_group_size=_bounded(
                "TRIMTAB_MIN_GROUP_SIZE",
                text("TRIMTAB_MIN_GROUP_SIZE"),
                DEFAULT_MIN_GROUP_SIZE,
                MAX_MIN_GROUP_SIZE,
            ),
            exclude_users=_user_list(text("TRIMTAB_EXCLUDE_USERS")),
            pseudonym_key_file=text("TRIMTAB_PSEUDONYM_KEY_FILE"),
            group_by=_group_by(text("TRIMTAB_GROUP_BY")),
        )


def _base_url(value: str | None) -> str:
    if value is None:
        return DEFAULT_BASE_URL
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"TRIMTAB_GRAPH_BASE_URL must be an http(s) URL, got {value!r}")
    if parts.query or parts.fragment:
        raise ConfigError("TRIMTAB_GRAPH_BASE_URL must not carry a query or fragment")
    return value.rstrip("/")


def _flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name} must be 1 or 0, got {value!r}")


def _cron(value: str | None) -> str:
    if value is None:
        return DEFAULT_SYNC_CRON
    fields = value.split()
    if len(fields) != 5 or not all(_CRON_FIELD.match(f) for f in fields):
        raise ConfigError(f"TRIMTAB_SYNC_CRON must have five cron fields, got {value!r}")
    return " ".join(fields)


def _lookback(value: str | None) -> int:
    if value is None:
        return DEFAULT_LOOKBACK_DAYS
    try:
        days = int(value)
    except ValueError:
        raise ConfigError(
            f"TRIMTAB_SYNC_LOOKBACK_DAYS must be a whole number, got {value!r}"
        ) from None
    if not 1 <= days <= MAX_LOOKBACK_DAYS:
        raise ConfigError(f"TRIMTAB_SYNC_LOOKBACK_DAYS must be 1..{MAX_LOOKBACK_DAYS}, got {days}")
    return days


def _bounded(name: str, value: str | None, default: int, highest: int) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from None
    if not 1 <= number <= highest:
        raise ConfigError(f"{name} must be 1..{highest}, got {number}")
    return number


def _user_list(value: str | None) -> frozenset[str]:
    """Ids and UPNs, compared case-insensitively (GUIDs and UPNs are case-insensitive)."""
    if value is None:
        return frozenset()
    users = [u.strip().casefold() for u in value.split(",")]
    if any(not u or " " in u for u in users):
        raise ConfigError(
            f"TRIMTAB_EXCLUDE_USERS must be a comma-separated list of ids or UPNs, got {value!r}"
        )
    return frozenset(users)


def _group_by(value: str | None) -> str:
    """``TRIMTAB_GROUP_BY``: unset or ``none`` (default) or ``department``, any case."""
    if value is None:
        return GROUP_NONE
    lowered = value.lower()
    if lowered not in GROUP_BY_VALUES:
        raise ConfigError(
            f"TRIMTAB_GROUP_BY must be one of: {', '.join(GROUP_BY_VALUES)}; got {value!r}"
        )
    return lowered


def report_zone(env: Mapping[str, str]) -> ZoneInfo:
    """``TRIMTAB_TIMEZONE`` (default UTC): the zone of report weeks and weekly rollups."""
    name = env.get("TRIMTAB_TIMEZONE", "").strip() or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"TRIMTAB_TIMEZONE {name!r} is not an IANA zone; use e.g. Europe/Berlin"
        ) from None


def pseudonym_key(settings: GraphSettings, data_dir: str | os.PathLike[str]) -> bytes:
    """The HMAC key: ``TRIMTAB_PSEUDONYM_KEY``, else one generated once and kept in
    ``TRIMTAB_PSEUDONYM_KEY_FILE`` (default: in ``data_dir``).

    The generated key file is created with mode 0600 and never rewritten, so the
    pseudonyms stay stable across syncs and restarts.
    """
    if settings.pseudonym_key:
        return settings.pseudonym_key.encode()
    path = Path(settings.pseudonym_key_file or Path(data_dir) / KEY_FILE)
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its key
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    return key
