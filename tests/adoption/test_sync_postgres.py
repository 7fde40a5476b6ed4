"""A Graph sync into PostgreSQL (facts in tables) gives the same report as one into TinyDB.

The crafted loopback tenant is synced into both stores, then a later sync brings a new
reply to an old thread and a root deleted after its replies were written; after each,
the two reports (weeks aggregated in SQL vs rollup documents) are identical.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from adoption.collector import sync_tenant
from adoption.graph import GraphGateway
from adoption.pseudonym import Pseudonymiser
from adoption.report import build_report
from adoption.repository import AdoptionRepository
from bot.storage import TinyDBStore
from bot.storage.dburl import parse_database_url
from bot.storage.postgres import PostgresStore
from tests.adoption.conftest import GENERAL, NOW, TEAM_A, ago
from tests.adoption.factories import BERLIN
from tests.fakes.graph_server import FakeMessage, FakeTenant


async def test_sync_into_postgresql_reports_like_tinydb(
    tenant: FakeTenant, make_gateway: Callable[..., GraphGateway], tmp_path: Path, pg_url: str
) -> None:
    tiny = await TinyDBStore.open(tmp_path / "data")
    pg = await PostgresStore.open(parse_database_url(pg_url))
    repos = [AdoptionRepository(tiny), AdoptionRepository(pg)]

    async def sync_and_report() -> list[str]:
        out = []
        for repo in repos:
            await sync_tenant(make_gateway(), repo, now=NOW, lookback_days=28,
                              backfill_weeks=26, pseudonymiser=Pseudonymiser.disabled(),
                              tz=BERLIN)  # fmt: skip
            report = await build_report(repo, start=date(2026, 10, 5), end=date(2026, 11, 22),
                                        tz=BERLIN, now=NOW)  # fmt: skip
            out.append(json.dumps(report.to_json(), indent=1))
        return out

    try:
        first = await sync_and_report()
        assert first[1] == first[0]
        assert '"posts": 2' in first[0]
        tenant.reply(TEAM_A, GENERAL, "1040", FakeMessage("1042", ago(0, -60), "someone-else"))
        tenant.root(TEAM_A, GENERAL, "1010").deleted = ago(0, -30)
        second = await sync_and_report()
        assert second[1] == second[0]
        assert second[0] != first[0]  # the later sync changed the numbers
    finally:
        await tiny.close()
        await pg.close()
