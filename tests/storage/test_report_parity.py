"""The report is the same whether the facts sit in TinyDB documents or PostgreSQL tables.

The same hand-made and generated facts go into a TinyDBStore (weekly rollups kept by the
repository) and a PostgresStore (tables, weeks aggregated in SQL); every report must come
out identical, field for field, over whole weeks (tallies) and part weeks (threads), with
and without a minimum group size, for one team or all.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from adoption.report import build_report
from adoption.repository import AdoptionRepository
from bot.storage import TinyDBStore
from bot.storage.dburl import parse_database_url
from bot.storage.postgres import PostgresStore
from bot.storage.postgres_facts import PostgresFacts
from tests.storage.facts_support import BERLIN, NOW, generated, hand_made, load

CHAMPIONS = frozenset({"c", "u3-0", "u7-1"})


@pytest.fixture
async def stores(tmp_path: Path, pg_url: str) -> AsyncIterator[tuple[AdoptionRepository, ...]]:
    tiny = await TinyDBStore.open(tmp_path / "data")
    pg = await PostgresStore.open(parse_database_url(pg_url))
    repos = (AdoptionRepository(tiny), AdoptionRepository(pg))
    assert isinstance(repos[1].facts, PostgresFacts)
    for repo in repos:
        await load(repo, hand_made() + generated(12))
    yield repos
    await tiny.close()
    await pg.close()


async def reports(repos: tuple[AdoptionRepository, ...], **kw: Any) -> list[str]:
    args: dict[str, Any] = {"tz": BERLIN, "now": NOW, "champions": CHAMPIONS, **kw}
    return [json.dumps((await build_report(r, **args)).to_json(), indent=1) for r in repos]


@pytest.mark.parametrize(
    ("start", "end", "kw"),
    [
        (date(2026, 10, 19), date(2026, 11, 22), {}),  # autumn DST week, whole weeks
        (date(2026, 10, 19), date(2026, 11, 22), {"min_group_size": 3}),
        (date(2026, 3, 23), date(2026, 4, 5), {}),  # spring DST week
        (date(2026, 2, 2), date(2026, 11, 29), {"min_group_size": 2}),  # the whole year
        (date(2026, 10, 21), date(2026, 11, 11), {}),  # part weeks: read from threads
        (date(2026, 10, 19), date(2026, 11, 8), {"team": "team one"}),
        # no rollups in UTC: TinyDB reads threads, PostgreSQL aggregates on the fly
        (date(2026, 10, 19), date(2026, 11, 22), {"tz": ZoneInfo("UTC"), "min_group_size": 2}),
    ],
)
async def test_report_is_identical_on_tinydb_and_postgresql(
    stores: tuple[AdoptionRepository, ...], start: date, end: date, kw: dict[str, Any]
) -> None:
    tiny, pg = await reports(stores, start=start, end=end, **kw)
    assert pg == tiny
    assert '"posts": ' in tiny  # not two empty reports


async def test_the_edges_are_in_the_numbers(stores: tuple[AdoptionRepository, ...]) -> None:
    """The hand-made edges, read off the PostgreSQL report (the TinyDB one equals it)."""
    pg = stores[1]
    doc = (await build_report(pg, start=date(2026, 10, 19), end=date(2026, 11, 1),
                              tz=BERLIN, now=NOW)).to_json()  # fmt: skip
    one = next(t for t in doc["teams"] if t["id"] == "t1")
    w43, w44 = one["weeks"]
    assert (w43["week"], w43["posts"], w43["replies"]) == ("2026-W43", 1, 0)  # x1 on Sunday
    # W44: the scenario's 4 roots + x2 (UTC Sunday night) = 5 posts; the scenario's 4 W44
    # replies, x1's two (Monday after the DST change) and deleted root d1's three
    assert (w44["posts"], w44["replies"]) == (5, 4 + 2 + 3)
    late = next(t for t in doc["teams"] if t["id"] == "t3")
    assert late["coverage"] == {"since": "2026-11-03"}
    assert [w["posts"] for w in late["weeks"]] == [None, None]  # before the span: no data
