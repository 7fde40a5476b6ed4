"""PostgreSQL faults as an operator and a user see them (real server, loopback proxy)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.clock import FakeClock
from bot.messages import core as msg
from bot.settings import Settings
from bot.storage import SchemaTooNewError
from bot.storage.dburl import parse_database_url
from bot.storage.postgres import PostgresStore
from tests.bot.cli_support import error_lines, free_port, run_cli
from tests.conftest import START
from tests.fakes.activities import ADELE, ActivityFactory
from tests.fakes.connector import FakeConnector
from tests.fakes.tcp_proxy import TcpProxy
from tests.fakes.ticker import Ticker
from tests.pgserver import with_database

ClientFactory = Callable[..., Awaitable[TestClient]]


def test_unreachable_database_at_start_is_one_line_with_the_password_masked(
    tmp_path: Path,
) -> None:
    url = f"postgresql://trimtab:s3cret-pw@127.0.0.1:{free_port()}/trimtab?sslmode=disable"
    result = run_cli(tmp_path, TRIMTAB_DATABASE_URL=url)
    assert result.returncode == 1
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("trimtab: TRIMTAB_DATABASE_URL postgresql://trimtab:***@127.0.0.1")
    assert "cannot connect" in lines[0]
    assert "s3cret-pw" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("mysql://trimtab:pw@db/trimtab", "is not a postgresql:// URL"),
        ("postgresql://trimtab:pw@db/trimtab?bogus=1", "invalid URI query parameter"),
        ("postgresql://trimtab:pw@db:port/trimtab", "is not a number"),
    ],
)
def test_bad_database_url_is_one_line(tmp_path: Path, url: str, problem: str) -> None:
    result = run_cli(tmp_path, TRIMTAB_DATABASE_URL=url)
    assert result.returncode == 2
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("trimtab: TRIMTAB_DATABASE_URL: ")
    assert problem in lines[0]
    assert ":pw@" not in lines[0]


def test_bad_pool_size_is_one_line(tmp_path: Path, pg_url: str) -> None:
    result = run_cli(tmp_path, TRIMTAB_DATABASE_URL=pg_url, TRIMTAB_DB_POOL_SIZE="many")
    assert result.returncode == 2
    assert error_lines(result.stderr) == [
        "trimtab: TRIMTAB_DB_POOL_SIZE: 'many' is not a whole number from 1 to 1000"
    ]


async def test_a_schema_newer_than_the_code_is_refused(tmp_path: Path, pg_url: str) -> None:
    store = await PostgresStore.open(parse_database_url(pg_url))
    await store.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("INSERT INTO trimtab_schema_version (version) VALUES (99)")
    with pytest.raises(SchemaTooNewError, match="version 99"):
        await PostgresStore.open(parse_database_url(pg_url))

    result = run_cli(tmp_path, TRIMTAB_DATABASE_URL=pg_url)
    assert result.returncode == 1
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert "schema is version 99" in lines[0] and "upgrade Trimtab" in lines[0]


async def test_database_lost_while_running_then_back_without_restart(
    aiohttp_client: ClientFactory, connector: FakeConnector, pg_url: str, tmp_path: Path
) -> None:
    target = urlsplit(pg_url)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432)
    await proxy.start()
    url = with_database(
        pg_url.replace(f"{target.hostname}:{target.port}", f"127.0.0.1:{proxy.port}"),
        target.path.lstrip("/"),
    )
    store = await PostgresStore.open(parse_database_url(url), pool_timeout=1.0)
    settings = Settings.from_env(
        {"TRIMTAB_DATABASE_URL": url, "TRIMTAB_DATA_DIR": str(tmp_path)}, dotenv=None
    )
    app = create_app(
        settings,
        store=store,
        time_source=FakeClock(START).time_source(),
        leader_sleep=Ticker().sleep,
    )
    client = await aiohttp_client(app)
    teams = ActivityFactory(connector.url)

    async def say_help() -> list[str]:
        before = len(connector.sent)
        response = await client.post("/api/messages", json=teams.personal(ADELE, "help"))
        assert response.status in (200, 201)
        return [sent.text for sent in connector.sent[before:]]

    assert msg.STORAGE_UNAVAILABLE not in await say_help()
    assert (await client.get("/healthz")).status == 200

    await proxy.stop()
    assert await say_help() == [msg.STORAGE_UNAVAILABLE]
    down = await client.get("/healthz")
    assert down.status == 503
    assert (await down.json())["status"] == "storage unavailable"

    await proxy.start()
    for _ in range(30):  # attempts, each bounded by the pool timeout: the pool reconnects alone
        if (await client.get("/healthz")).status == 200:
            break
    assert (await client.get("/healthz")).status == 200
    assert msg.STORAGE_UNAVAILABLE not in await say_help()
    await client.close()
    await store.close()
    await proxy.stop()
