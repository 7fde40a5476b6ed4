"""CSV and HTML renderings of the report, and the SVG chart helpers."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace

import pytest

from adoption import charts
from adoption.report_formats import CSV_COLUMNS, render, render_chunks
from bot.storage import MemoryStore
from tests.adoption.factories import sample_report, scenario, seed, team


async def test_csv_one_row_per_team_week() -> None:
    text = render(await sample_report(MemoryStore()), "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    # 2 teams x 2 weeks; teams sorted by name (Design Ops, Team One)
    assert [(r["team_name"], r["week"]) for r in rows] == [
        ("Design Ops", "2026-W44"),
        ("Design Ops", "2026-W45"),
        ("Team One", "2026-W44"),
        ("Team One", "2026-W45"),
    ]
    w44 = rows[2]
    assert (w44["team_id"], w44["health_score"], w44["health_band"]) == ("t1", "93", "green")
    assert (w44["posts"], w44["replies"], w44["reply_rate"], w44["unanswered"]) == (
        "4",
        "4",
        "0.75",
        "1",
    )
    assert (w44["median_first_reply_minutes"], w44["active_share"], w44["champion_share"]) == (
        "40.0",
        "0.6",
        "0.25",
    )
    assert rows[0]["reply_rate"] == "" and rows[0]["active_share"] == "0.0"  # no data vs zero


async def test_csv_neutralises_formula_team_names() -> None:
    store = MemoryStore()
    await seed(store)
    await store.put("adoption.teams", "t9", team("t9", "=HYPERLINK(1)").to_doc())
    report = await sample_report(store)
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert {r["team_name"] for r in rows} == {"'=HYPERLINK(1)", "Design Ops", "Team One"}


async def test_json_text_round_trips() -> None:
    report = await sample_report(MemoryStore())
    assert json.loads(render(report, "json")) == report.to_json()


async def test_html_is_self_contained_with_charts() -> None:
    html = render(await sample_report(MemoryStore()), "html")
    # overview: health bands bar, activity bars, rates lines; per team: two charts
    assert html.count('class="chart bands-bar"') == 1
    assert html.count('class="chart bar-chart"') == 1 + 2
    assert html.count('class="chart line-chart"') == 1 + 2
    assert html.count('class="chart sparkline"') == 2
    assert "Team One: posts and replies per week" in html
    # nothing to fetch: no scripts, stylesheets, images or URLs but the SVG namespace
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(", html)
    assert set(re.findall(r"https?://[^\s\"')]+", html)) == {"http://www.w3.org/2000/svg"}
    # the numbers a CSM reads out
    assert ">93</span>" in html and "Restart the conversation" in html
    assert "30%" in html  # channel share from the D30 usage report


async def test_html_escapes_team_names() -> None:
    store = MemoryStore()
    await seed(store)
    await store.put("adoption.teams", "t9", team("t9", '<script>alert("x")</script> R&D').to_doc())
    html = render(await sample_report(store), "html")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "R&amp;D" in html


async def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="json, csv, html"):
        render(await sample_report(MemoryStore()), "pdf")


def test_line_chart_scales_and_gaps() -> None:
    svg = charts.line_chart(
        ["2026-W44", "2026-W45", "2026-W46"],
        [charts.Series("Reply rate", [0.5, None, 1.0])],
        title="Rates <&>",
        percent=True,
        y_max=1.0,
    )
    assert svg.startswith("<svg") and 'width="640" height="220"' in svg
    assert "<title>Rates &lt;&amp;&gt;</title>" in svg
    assert ">100%</text>" in svg and ">50%</text>" in svg
    assert "<polyline" not in svg  # a gap splits the line into single points
    assert svg.count("<circle") == 2
    assert "Reply rate 2026-W44: 50%" in svg


def test_stacked_bars_and_nice_scale() -> None:
    assert [charts.nice_max(v) for v in (0, 0.3, 7, 12, 26, 51, 1000)] == [
        1,
        0.5,
        10,
        20,
        50,
        100,
        1000,
    ]
    svg = charts.stacked_bar_chart(
        ["W1", "W2"],
        [charts.Series("Posts", [3, 0]), charts.Series("Replies", [5, None])],
        title="Activity",
    )
    assert svg.count("<rect x=") == 2 + 2  # two bars drawn (W2 is empty) + two legend keys
    assert ">10</text>" in svg  # 3 + 5 = 8 -> axis top 10


@pytest.mark.parametrize("teams", [None, "Team One", "nobody"])
async def test_json_in_chunks_is_the_same_text(teams: str | None) -> None:
    store = MemoryStore()
    repo = await seed(store)
    await repo.save_team(team("t3", 'Équipe "Ünïcode" \u2028 ✓', ("a",)))
    await repo.save_team(team("t4", "\x00rows\x00", ("a",), ("general", "\x00rows\x00")))
    await repo.save_threads("t4", [replace(t, team_id="t4") for t in scenario()])
    report = await sample_report(store, min_group_size=2)
    if teams == "nobody":
        report = replace(report, teams=[])
    elif teams:
        report = replace(report, teams=[t for t in report.teams if t.name == teams])
    chunks = list(render_chunks(report, "json"))
    if teams is None:  # the marker in a name is written the slow way, to the same text
        assert not next(t for t in report.teams if t.id == "t4").suppressed
    whole = json.dumps(report.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert "".join(chunks) == whole == render(report, "json")
    assert len(chunks) == 2 + len(report.teams)
    assert list(render_chunks(report, "csv")) == [render(report, "csv")]


def test_json_rows_write_numbers_as_json_dumps_does() -> None:
    import random

    from adoption.report_formats import _minutes, _minutes_json, _ratio

    rng = random.Random(5)
    values = [rng.random() * 10 ** rng.randint(0, 14) for _ in range(20_000)]
    values += [n / 20 for n in range(4000)] + [2.675, 0.05, 0.15, 0.0, -0.0, 1e15 + 0.05, 1e17]
    for _ in range(2):  # the second time from the remembered texts
        for v in values:
            assert _minutes_json(v) == _minutes(v) == json.dumps(round(v, 1)), v
            assert _ratio(v) == json.dumps(round(v, 3)), v
    assert _minutes_json(None) == _minutes(None) == _ratio(None) == "null"


def test_json_rows_with_zero_and_negative_zero_ratios_read_as_json_dumps_does() -> None:
    from adoption.metrics import WeekMetrics
    from adoption.report_formats import _rows_text

    rows = [
        WeekMetrics("2026-W45", 2, 0, 0.0, 2, None, 1, 0.0, 0, 0, 0.0),
        WeekMetrics("2026-W46", 2, 1, 0.5, 1, 0.0, 2, 1 / 3, 0, 0, -0.0),
        WeekMetrics.no_data("2026-W47"),
    ]
    assert json.loads(_rows_text(rows)) == [r.to_dict() for r in rows]
    assert _rows_text(rows[:1]) == json.dumps([rows[0].to_dict()], separators=(",", ":"))
