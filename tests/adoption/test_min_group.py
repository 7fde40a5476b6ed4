"""TRIMTAB_MIN_GROUP_SIZE: teams and channels with too few active people show no metrics."""

from __future__ import annotations

import csv
import io
import json

from adoption.report import TOO_FEW_PEOPLE
from adoption.report_formats import render
from bot.storage import MemoryStore
from tests.adoption.factories import sample_report


async def active_people() -> int:
    report = await sample_report(MemoryStore())
    one = next(t for t in report.teams if t.name == "Team One")
    return one.totals.active_posters


async def test_a_team_with_enough_active_people_is_reported() -> None:
    enough = await active_people()
    assert enough >= 2
    report = await sample_report(MemoryStore(), min_group_size=enough)
    one = next(t for t in report.to_json()["teams"] if t["name"] == "Team One")
    assert "suppressed" not in one and one["weeks"] and one["personas"]


async def test_too_few_people_hides_metrics_and_personas_in_every_output() -> None:
    report = await sample_report(MemoryStore(), min_group_size=await active_people() + 1)
    doc = json.loads(render(report, "json"))
    one = next(t for t in doc["teams"] if t["name"] == "Team One")
    assert one["suppressed"] == TOO_FEW_PEOPLE
    assert not {"weeks", "personas", "health", "totals", "channels"} & set(one)
    rows = [r for r in csv.DictReader(io.StringIO(render(report, "csv")))]
    team_rows = [r for r in rows if r["team_name"] == "Team One"]
    assert team_rows and all(r["health_band"] == TOO_FEW_PEOPLE for r in team_rows)
    assert all(r["posts"] == r["replies"] == r["active_posters"] == "" for r in team_rows)
    html = render(report, "html")
    assert html.count("too few people to report") >= 1
    assert "People by persona" not in html  # every team is below the size here


async def test_a_quiet_channel_is_suppressed_inside_a_reported_team() -> None:
    # Team One: five people active in the period, four in Design, three in General
    report = await sample_report(MemoryStore(), min_group_size=4)
    one = next(t for t in report.to_json()["teams"] if t["name"] == "Team One")
    assert "suppressed" not in one
    channels = {c["name"]: c for c in one["channels"]}
    assert channels["General"] == {
        "id": channels["General"]["id"],
        "name": "General",
        "suppressed": TOO_FEW_PEOPLE,
    }
    assert "suppressed" not in channels["Design"] and channels["Design"]["weeks"]
