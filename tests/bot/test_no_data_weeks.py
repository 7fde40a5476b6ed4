"""Weeks before a team's collected span are "no data" on every surface, never 0: empty cells
in CSV (report and dashboard), ``null`` in JSON, "–" on the card; a collected week without
activity stays a true 0."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from adoption.metrics import MEASURES
from adoption.report import build_report
from adoption.report_formats import to_csv
from adoption.repository import AdoptionRepository
from bot.storage import DocumentStore, MemoryStore
from tests.bot.admin_data import SALES, at, seed_all
from tests.bot.dashboard_support import mint
from tests.conftest import START, AppFactory
from tests.fakes.activities import ADELE

SINCE = "2026-11-02"  # Monday of W45: W44 was never collected
NO_DATA, QUIET, ACTIVE = "2026-W44", "2026-W45", "2026-W47"
UTC = ZoneInfo("UTC")


async def seeded(*, rollups: bool) -> DocumentStore:
    store = MemoryStore()
    await seed_all(store)
    repo = AdoptionRepository(store)
    sales = await repo.team(SALES)
    assert sales is not None
    await repo.save_team(replace(sales, collected_since=at(f"{SINCE} 00:00")))
    if rollups:
        for team in await repo.teams():
            await repo.update_rollup(team.id, await repo.threads(team.id), UTC, rebuild=True)
    return store


@pytest.mark.parametrize("rollups", [True, False], ids=["rollups", "threads"])
async def test_report_csv_cells_are_empty_and_json_null_outside_the_span(rollups: bool) -> None:
    store = await seeded(rollups=rollups)
    report = await build_report(
        AdoptionRepository(store), start=date(2026, 10, 26), end=date(2026, 11, 22), tz=UTC,
        now=START,
    )  # fmt: skip
    sales = next(t for t in report.to_json()["teams"] if t["id"] == SALES)
    weeks = {w["week"]: w for w in sales["weeks"]}
    assert all(weeks[NO_DATA][m] is None for m in MEASURES)
    assert weeks[QUIET]["posts"] == 0 and weeks[QUIET]["replies"] == 0  # collected, quiet
    rows = {
        r["week"]: r for r in csv.DictReader(io.StringIO(to_csv(report))) if r["team_id"] == SALES
    }
    assert {m: rows[NO_DATA][m] for m in MEASURES} == dict.fromkeys(MEASURES, "")
    assert rows[NO_DATA]["collected_since"] == SINCE
    assert (rows[QUIET]["posts"], rows[QUIET]["replies"], rows[QUIET]["reply_rate"]) == (
        "0",
        "0",
        "",  # no posts: no rate, which is not "no data"
    )
    assert rows[ACTIVE]["posts"] == "3"


async def test_card_and_dashboard_show_no_data_weeks_as_empty(make_trimtab: AppFactory) -> None:
    app = await make_trimtab(store=await seeded(rollups=True))
    card = (await app.say(ADELE, "adoption summary sales"))[0]
    table = next(e for e in card.cards[0]["body"] if e["type"] == "ColumnSet")
    columns = table["columns"]
    cells = [[item["text"] for item in column["items"]] for column in columns]
    weeks, posts = cells[0][1:], cells[1][1:]
    assert posts[weeks.index(NO_DATA)] == "–" and posts[weeks.index(QUIET)] == "0"
    assert f"no data (collected since {SINCE})" in card.all_text()

    await app.client.get(await mint(app))
    page = await (await app.client.get(f"/dashboard/team/{SALES}")).text()
    assert f"no data (collected since {SINCE})" in page
    download = await app.client.get(f"/dashboard/team/{SALES}?csv=weeks")
    rows = {r["Week"]: r for r in csv.DictReader(io.StringIO(await download.text()))}
    assert set(rows[NO_DATA].values()) == {NO_DATA, ""}  # every measure empty, not 0
    assert rows[QUIET]["Posts"] == "0" and rows[QUIET]["Active posters"] == "0"
    assert rows[ACTIVE]["Posts"] == "3"
