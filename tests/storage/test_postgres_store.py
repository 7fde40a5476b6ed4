"""PostgreSQL specifics beyond the shared contract: two pools, migrations, URL handling."""

from __future__ import annotations

import asyncio

import psycopg
import pytest

from bot.errors import SettingsError
from bot.storage import update
from bot.storage.dburl import database_config, mask_password
from bot.storage.postgres import PostgresStore
from bot.storage.postgres_schema import LATEST_VERSION


def _increment(doc: dict | None) -> dict:  # type: ignore[type-arg]
    return {"count": (doc or {}).get("count", 0) + 1}


async def test_two_instances_updating_one_document_lose_nothing(pg_url: str) -> None:
    config = database_config({"TRIMTAB_DATABASE_URL": pg_url, "TRIMTAB_DB_POOL_SIZE": "4"})
    assert config is not None and config.pool_size == 4
    first, second = await asyncio.gather(PostgresStore.open(config), PostgresStore.open(config))
    try:
        stores = (first, second)
        await asyncio.gather(
            *(update(stores[i % 2], "c", "counter", _increment) for i in range(60))
        )
        assert await first.get("c", "counter") == {"count": 60}
        assert await second.get("c", "counter") == {"count": 60}
    finally:
        await first.close()
        await second.close()


async def test_instances_starting_together_migrate_once(pg_url: str) -> None:
    config = database_config({"TRIMTAB_DATABASE_URL": pg_url})
    assert config is not None
    stores = await asyncio.gather(*(PostgresStore.open(config) for _ in range(3)))
    for store in stores:
        await store.close()
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute("SELECT version FROM trimtab_schema_version").fetchall()
    assert [row[0] for row in rows] == list(range(1, LATEST_VERSION + 1))


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://u:p%40ss@h:5432/db", "postgresql://u:***@h:5432/db"),
        (
            "postgresql://u@h/db?password=pw&sslmode=require",
            "postgresql://u@h/db?password=***&sslmode=require",
        ),
        ("postgresql://h/db", "postgresql://h/db"),
    ],
)
def test_passwords_are_masked(url: str, masked: str) -> None:
    assert mask_password(url) == masked


def test_no_url_means_tinydb_and_bad_pool_sizes_are_refused() -> None:
    assert database_config({}) is None
    for bad in ("0", "-1", "ten", "1001"):
        with pytest.raises(SettingsError, match="TRIMTAB_DB_POOL_SIZE"):
            database_config(
                {"TRIMTAB_DATABASE_URL": "postgresql://h/db", "TRIMTAB_DB_POOL_SIZE": bad}
            )
