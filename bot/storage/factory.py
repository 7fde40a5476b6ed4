"""``open_store``: the backend the environment asks for."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.storage.dburl import database_config
from bot.storage.errors import StorageError
from bot.storage.protocol import DocumentStore
from bot.storage.tinydb_store import TinyDBStore


async def open_store(
    env: Mapping[str, str], data_dir: Path, *, read_only: bool = False, quarantine: bool = False
) -> DocumentStore:
    """PostgreSQL when ``TRIMTAB_DATABASE_URL`` is set, else TinyDB under ``data_dir``
    (``quarantine``: move corrupt collection files aside instead of refusing to start).

    Raises ``SettingsError`` for a bad URL or pool size and ``StorageError`` when
    the store cannot be opened.
    """
    config = database_config(env)
    if config is None:
        return await TinyDBStore.open(data_dir, read_only=read_only, quarantine=quarantine)
    from bot.storage.postgres import PostgresStore  # psycopg loads only when it is used

    return await PostgresStore.open(config)


async def store_health(store: DocumentStore, data_dir: Path) -> tuple[bool, dict[str, Any]]:
    """Whether ``store`` answers now, and what /healthz shows of it (no secrets)."""
    from bot.storage.postgres import PostgresStore

    if not isinstance(store, PostgresStore):
        return True, {"backend": type(store).__name__, "data_dir": str(data_dir)}
    info: dict[str, Any] = {"backend": "PostgresStore", "database": store.config.masked_url}
    try:
        await store.ping()
    except StorageError as error:
        info["error"] = str(error)
        return False, info
    return True, info
