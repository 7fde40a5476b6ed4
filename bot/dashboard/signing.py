"""Signed dashboard links and session cookies (HMAC-SHA256).

A link carries the admin's AAD object id and an expiry (Unix seconds) in its query
string, with ``sig`` = HMAC-SHA256 over the purpose, the admin and the expiry::

    /dashboard/?u=<aad id>&exp=<unix seconds>&sig=<hex>

After the first valid request the dashboard sets a cookie signed the same way (with
another purpose, so a cookie cannot be replayed as a link or the other way round).
Signatures are compared in constant time. The key comes from
``TRIMTAB_DASHBOARD_SECRET``, or else from ``<data dir>/dashboard.secret``, generated
on first use (written atomically, mode 0600). A key shorter than 32 bytes is refused.
A link lives one hour by default and is never honoured for more than 24 hours ahead.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from bot.errors import SettingsError
from bot.settings import MIN_SECRET_BYTES, Settings
from bot.storage.atomic_json import atomic_write_bytes
from bot.storage.errors import StorageUnavailableError

SECRET_VARIABLE = "TRIMTAB_DASHBOARD_SECRET"
SECRET_FILE = "dashboard.secret"
LINK_TTL = timedelta(hours=1)
MAX_LINK_TTL = timedelta(hours=24)
SESSION_TTL = timedelta(hours=8)
LINK, SESSION = "link", "session"


def load_secret(settings: Settings, cache: dict[Path, bytes] | None = None) -> bytes:
    """The signing key: the variable when set, else the data dir's key file (created once).

    ``cache`` (the app's ``Services.signing_keys``) keeps a key read from a file. Raises
    ``SettingsError`` for a key that is too short (an empty file left by a full disk included)
    and ``StorageUnavailableError`` when the file cannot be written.
    """
    keys = cache if cache is not None else {}
    configured = settings.env.get(SECRET_VARIABLE, "").strip()
    if configured:
        if len(configured.encode()) < MIN_SECRET_BYTES:
            raise SettingsError(SECRET_VARIABLE, f"must be at least {MIN_SECRET_BYTES} bytes")
        return configured.encode()
    path = (settings.data_dir / SECRET_FILE).resolve()
    cached = keys.get(path)
    if cached is not None and path.is_file():
        return cached
    try:
        try:
            key = path.read_bytes().strip()
        except FileNotFoundError:
            key = secrets.token_urlsafe(48).encode()
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(path, key + b"\n")  # mkstemp creates it 0600
    except OSError as exc:
        raise StorageUnavailableError(f"cannot use {path}: {exc.strerror or exc}") from exc
    if len(key) < MIN_SECRET_BYTES:
        raise SettingsError(
            str(path),
            f"holds a {len(key)}-byte key, at least {MIN_SECRET_BYTES} are needed: delete the "
            "file to have a new key made (links already sent stop working)",
        )
    keys[path] = key
    return key


class Verdict(enum.StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Check:
    """The outcome of checking a link or cookie; ``admin`` is set only when valid."""

    verdict: Verdict
    admin: str = ""


class Signer:
    """Mints and checks signed dashboard credentials with one key."""

    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise ValueError("the dashboard signing key is empty")
        self._key = secret

    def signature(self, purpose: str, admin: str, expires: int) -> str:
        message = f"{purpose}\n{admin}\n{expires}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def link_query(self, admin: str, now: datetime, ttl: timedelta = LINK_TTL) -> tuple[str, int]:
        """The query string of a link for ``admin`` and its expiry in Unix seconds."""
        expires = int((now + ttl).timestamp())
        query = {"u": admin, "exp": str(expires), "sig": self.signature(LINK, admin, expires)}
        return urlencode(query), expires

    def check(
        self, purpose: str, admin: str | None, expires: str | None, sig: str | None, now: datetime
    ) -> Check:
        """Signature first (constant time), then expiry."""
        if not admin or not expires or not sig or not expires.isdigit() or len(expires) > 12:
            return Check(Verdict.INVALID)
        expected = self.signature(purpose, admin, int(expires))
        if not hmac.compare_digest(expected.encode(), sig.encode()):
            return Check(Verdict.INVALID)
        if now.timestamp() >= int(expires):
            return Check(Verdict.EXPIRED)
        longest = MAX_LINK_TTL if purpose == LINK else SESSION_TTL
        if int(expires) - now.timestamp() > longest.total_seconds():
            return Check(Verdict.INVALID)  # signed to live longer than any link may
        return Check(Verdict.VALID, admin)

    def cookie(self, admin: str, now: datetime, ttl: timedelta = SESSION_TTL) -> str:
        """A session cookie value: ``<admin>.<expiry>.<signature>``."""
        expires = int((now + ttl).timestamp())
        return f"{admin}.{expires}.{self.signature(SESSION, admin, expires)}"

    def check_cookie(self, value: str | None, now: datetime) -> Check:
        parts = (value or "").rsplit(".", 2)
        if len(parts) != 3:
            return Check(Verdict.INVALID)
        return self.check(SESSION, parts[0], parts[1], parts[2], now)


def signer_for(settings: Settings, cache: dict[Path, bytes] | None = None) -> Signer:
    return Signer(load_secret(settings, cache))


def expiry_time(expires: int) -> datetime:
    return datetime.fromtimestamp(expires, UTC)
