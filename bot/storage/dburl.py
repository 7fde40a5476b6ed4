"""Which store the environment asks for: ``TRIMTAB_DATABASE_URL`` and ``TRIMTAB_DB_POOL_SIZE``.

Unset URL: TinyDB under ``TRIMTAB_DATA_DIR``. Set: PostgreSQL, with every libpq
URL parameter (``sslmode``, ``connect_timeout`` …) passed through to libpq.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.errors import SettingsError

URL_VARIABLE = "TRIMTAB_DATABASE_URL"
POOL_VARIABLE = "TRIMTAB_DB_POOL_SIZE"
DEFAULT_POOL_SIZE = 10

_URL_PASSWORD = re.compile(r"(://[^/@:]*:)[^/@]*@")
_PARAM_PASSWORD = re.compile(r"(password=)[^&\s]*", re.IGNORECASE)


def mask_password(url: str) -> str:
    """``url`` with its password (in the user part or a ``password=`` parameter) as ``***``."""
    return _PARAM_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1***@", url))


@dataclass(frozen=True)
class DatabaseConfig:
    """A checked PostgreSQL URL and the pool size to use with it."""

    url: str
    pool_size: int = DEFAULT_POOL_SIZE

    @property
    def masked_url(self) -> str:
        """The URL as it may appear in logs and error lines."""
        return mask_password(self.url)


def parse_database_url(url: str, pool_size: int = DEFAULT_POOL_SIZE) -> DatabaseConfig:
    """Check ``url`` (a ``postgresql://`` URL); raise ``SettingsError`` naming the variable."""
    url = url.strip()
    if not url.startswith(("postgresql://", "postgres://")):
        raise SettingsError(
            URL_VARIABLE,
            f"{mask_password(url)!r} is not a postgresql:// URL "
            "(for example postgresql://USER:PASSWORD@db.example.com:5432/trimtab?sslmode=require)",
        )
    # psycopg loads only when a database is configured (the factory's rule): a TinyDB
    # deployment and the CLI report start without it
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = conninfo_to_dict(url)
    except ProgrammingError as error:
        problem = str(error).strip().splitlines()[0] if str(error).strip() else "unreadable"
        raise SettingsError(URL_VARIABLE, f"{mask_password(url)!r}: {problem}") from None
    port = str(params.get("port") or "5432")
    if not all(part.isdigit() for part in port.split(",")):
        raise SettingsError(URL_VARIABLE, f"{mask_password(url)!r}: port {port!r} is not a number")
    return DatabaseConfig(url=url, pool_size=pool_size)


def database_config(env: Mapping[str, str]) -> DatabaseConfig | None:
    """The PostgreSQL configuration in ``env``, or ``None`` for the TinyDB default."""
    url = (env.get(URL_VARIABLE) or "").strip()
    raw_size = (env.get(POOL_VARIABLE) or "").strip() or str(DEFAULT_POOL_SIZE)
    if not raw_size.isdigit() or not 1 <= int(raw_size) <= 1000:
        raise SettingsError(POOL_VARIABLE, f"{raw_size!r} is not a whole number from 1 to 1000")
    return parse_database_url(url, int(raw_size)) if url else None
