"""Issue 10, dashboard and logs: link credentials, key and link life, headers, parameters."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

import bot.cli_run
from bot.app import create_app
from bot.clock import FakeClock
from bot.dashboard.signing import Signer, load_secret
from bot.errors import SettingsError
from bot.settings import Settings
from bot.storage import MemoryStore
from tests.conftest import START, Trimtab
from tests.fakes.activities import ADELE


def signed_link(trimtab: Trimtab, ttl: timedelta = timedelta(hours=1)) -> str:
    query, _ = Signer(load_secret(trimtab.settings)).link_query(ADELE.aad_id, START, ttl)
    return f"/dashboard/?{query}"


async def test_signed_link_credentials_are_redacted_in_the_access_log(
    aiohttp_client: Callable[..., Awaitable[TestClient]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = Settings.from_env(
        {"TRIMTAB_DATA_DIR": str(tmp_path), "TRIMTAB_ADMINS": ADELE.aad_id}, dotenv=None
    )
    app = create_app(settings, store=MemoryStore(), time_source=FakeClock(START).time_source())
    server = TestServer(app)
    await server.start_server(
        **bot.cli_run.access_log_options()
    )  # what `trimtab run` passes to run_app
    client = await aiohttp_client(server)
    query, _ = Signer(load_secret(settings)).link_query(ADELE.aad_id, START)
    signature = query.rsplit("sig=", 1)[1]
    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        await client.get(f"/dashboard/?{query}&weeks=4", allow_redirects=False)
    lines = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert lines, "the request was logged"
    assert all(signature not in line and ADELE.aad_id not in line for line in lines)
    assert "sig=REDACTED" in lines[0] and "weeks=4" in lines[0]


def test_short_dashboard_secret_variable_stops_the_start() -> None:
    with pytest.raises(SettingsError, match=r"^TRIMTAB_DASHBOARD_SECRET: must be at least 32"):
        Settings.from_env({"TRIMTAB_DASHBOARD_SECRET": "x"}, dotenv=None)
    long_enough = Settings.from_env({"TRIMTAB_DASHBOARD_SECRET": "k" * 32}, dotenv=None)
    assert load_secret(long_enough) == b"k" * 32


async def test_link_signed_for_longer_than_24_hours_is_refused(trimtab: Trimtab) -> None:
    ten_years = await trimtab.client.get(signed_link(trimtab, timedelta(days=3650)))
    assert ten_years.status == 401
    one_day = await trimtab.client.get(signed_link(trimtab, timedelta(hours=24)))
    assert one_day.status == 200


async def test_dashboard_responses_carry_csp_and_nosniff(trimtab: Trimtab) -> None:
    for path in ("/dashboard/tab", "/dashboard/", signed_link(trimtab)):
        response = await trimtab.client.get(path, allow_redirects=False)
        policy = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy, path
        assert "script-src 'none'" in policy
        ancestors = policy.split("frame-ancestors", 1)[1].split(";")[0].split()
        for host in (
            "https://teams.microsoft.com",
            "https://*.teams.microsoft.com",
            "https://*.cloud.microsoft",
            "https://*.office.com",
        ):
            assert host in ancestors
        assert response.headers.get("X-Content-Type-Options") == "nosniff", path


@pytest.mark.parametrize("quarter", ["0001-Q1", "1999-Q4"])
async def test_out_of_range_qbr_quarter_is_400(trimtab: Trimtab, quarter: str) -> None:
    await trimtab.client.get(signed_link(trimtab))  # sets the session cookie
    response = await trimtab.client.get(f"/dashboard/qbr?quarter={quarter}")
    assert response.status == 400
    assert "Traceback" not in await response.text()
