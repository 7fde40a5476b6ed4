"""Report renderers: JSON, CSV (one row per team-week) and, through
:mod:`adoption.report_html`, one self-contained HTML file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from adoption.metrics import MEASURES, WeekMetrics
from adoption.report import TOO_FEW_PEOPLE, AdoptionReport, TeamReport

FORMATS = ("json", "csv", "html")

CSV_COLUMNS = (
    "team_id",
    "team_name",
    "health_score",
    "health_band",
    "collected_since",
    "week",
    *MEASURES,
)


def render(report: AdoptionReport, fmt: str) -> str:
    """The report as ``json``, ``csv`` or ``html`` text."""
    if fmt == "json":
        return to_json_text(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "html":
        from adoption.report_html import to_html  # jinja2 loads only for an HTML report

        return to_html(report)
    raise ValueError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")


def render_chunks(report: AdoptionReport, fmt: str) -> Iterator[str]:
    """:func:`render` in pieces whose concatenation is the same text: JSON team by team,
    so a 2,000-team report (about 100 MB) is never one dict tree nor one string."""
    if fmt == "json":
        yield from json_chunks(report)
    else:
        yield render(report, fmt)


def _dumps(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def json_frame(report: AdoptionReport) -> tuple[str, str] | None:
    """The report's JSON text before and after its teams (``report.teams`` left out), or
    ``None`` when a section follows the teams; with the teams' :func:`team_json` joined
    by commas in between, it is :func:`to_json_text`."""
    head = _dumps(replace(report, teams=[]).to_json())
    if not head.endswith('"teams":[]}'):
        return None
    return head[: -len("]}")], "]}\n"


def json_chunks(report: AdoptionReport) -> Iterator[str]:
    """:func:`to_json_text` one team at a time (``teams`` is the document's last key)."""
    frame = json_frame(report)
    if frame is None:  # another shape: no streaming, same text
        yield to_json_text(report)
        return
    yield frame[0]
    for i, team in enumerate(report.teams):
        yield ("," if i else "") + team_json(team)
    yield frame[1]


# Weekly rows are most of a large report: they are written by an f-string (the keys of
# WeekMetrics.to_dict, ratios as json.dumps writes floats) instead of a dict each and the
# encoder, which took most of the time; tests check the text equals json.dumps's.
_KEYS = tuple(WeekMetrics("x").to_dict())
_FAST = ("week", *MEASURES) == _KEYS == (
    "week", "posts", "replies", "reply_rate", "unanswered", "median_first_reply_minutes",
    "active_posters", "active_share", "mentions", "reactions", "champion_share",
)  # fmt: skip  # else the rows go through to_dict
_MARK = "\x00rows\x00"
_MARK_JSON = json.dumps(_MARK)

# Ratios of small counts repeat a lot, and rounding a float to decimals is the slowest step
# of writing a row: their texts are remembered. A row's ratios are shares of counts, so a
# zero is +0.0 and is remembered too (-0.0, one dict key with it, goes through _ratio).
_SEEDS: dict[float | None, str] = {None: "null", 0.0: "0.0"}
_RATIOS = dict(_SEEDS)


def _ratio(value: float | None) -> str:
    """``json.dumps(round(value, 3))``, remembered."""
    if value == 0:  # 0.0 and -0.0 are one dict key but two texts
        return repr(value)
    text = _RATIOS.get(value)
    if text is None:
        assert value is not None
        if len(_RATIOS) > 100_000:
            _RATIOS.clear()
            _RATIOS.update(_SEEDS)
        text = _RATIOS[value] = repr(round(value, 3))
    return text


def _minutes_json(value: float | None) -> str:
    """``json.dumps(round(value, 1))``: both round the exact binary value half-even, and
    below 1e15 the shortest repr of the rounded float is that one-decimal text."""
    if value is None:
        return "null"
    return f"{value:.1f}" if abs(value) < 1e15 else repr(round(value, 1))


_MINUTES: dict[float | None, str] = {None: "null"}


def _minutes(value: float | None) -> str:
    """:func:`_minutes_json`, remembered (medians of whole minutes repeat a lot)."""
    if value == 0:
        return _minutes_json(value)
    text = _MINUTES.get(value)
    if text is None:
        if len(_MINUTES) > 100_000:
            _MINUTES.clear()
            _MINUTES[None] = "null"
        text = _MINUTES[value] = _minutes_json(value)
    return text


_LABELS: dict[str, str] = {}


def _label(week: str) -> str:
    text = _LABELS.get(week)
    if text is None:
        text = _LABELS[week] = _dumps(week)
    return text


def _rows_text(rows: list[WeekMetrics]) -> str:
    out = []
    # the caches inlined: five look-ups per row
    known, labels, minutes = _RATIOS.get, _LABELS.get, _MINUTES.get
    for w in rows:
        if not w.collected:
            out.append(_dumps(w.to_dict()))
            continue
        rate, share, champions = w.reply_rate, w.active_share, w.champion_share
        median = w.median_first_reply_minutes
        out.append(
            f'{{"week":{labels(w.week) or _label(w.week)},"posts":{w.posts},'
            f'"replies":{w.replies},"reply_rate":{known(rate) or _ratio(rate)},'
            f'"unanswered":{w.unanswered},'
            f'"median_first_reply_minutes":{minutes(median) or _minutes(median)},'
            f'"active_posters":{w.active_posters},'
            f'"active_share":{known(share) or _ratio(share)},"mentions":{w.mentions},'
            f'"reactions":{w.reactions},'
            f'"champion_share":{known(champions) or _ratio(champions)}}}'
        )
    return "[" + ",".join(out) + "]"


def team_json(team: TeamReport) -> str:
    """``team.to_json()`` as compact JSON text, the weekly rows written by :func:`_rows_text`."""
    if team.suppressed or not _FAST:
        return _dumps(team.to_json())
    bare = replace(team, weeks=[], channels=[replace(c, weeks=[]) for c in team.channels])
    doc = bare.to_json()
    series = [team.weeks]
    doc["weeks"] = _MARK
    for shown, channel in zip(doc["channels"], team.channels, strict=True):
        if "weeks" in shown:
            shown["weeks"] = _MARK
            series.append(channel.weeks)
    parts = _dumps(doc).split(_MARK_JSON)
    if len(parts) != len(series) + 1:  # the marker inside a name: write it the slow way
        return _dumps(team.to_json())
    out = [parts[0]]
    for rows, part in zip(series, parts[1:], strict=True):
        out += (_rows_text(rows), part)
    return "".join(out)


def to_json_text(report: AdoptionReport) -> str:
    """Compact JSON (the C encoder; ``indent`` would switch to the pure-Python one, ~10x slower
    for a 200-team report). Pipe through ``jq`` or ``python -m json.tool`` to read it."""
    return _dumps(report.to_json()) + "\n"


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value  # a team name must not run as a spreadsheet formula
    return value


def to_csv(report: AdoptionReport) -> str:
    """One row per team and week; empty cells where a measure has no data."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for team in report.teams:
        for week in team.weeks:
            row: dict[str, Any] = {
                "team_id": team.id,
                "team_name": team.name,
                "health_score": team.health.score,
                "health_band": team.health.band,
                "collected_since": team.collected_since.isoformat()
                if team.collected_since
                else None,
                **week.to_dict(),
            }
            if team.suppressed:  # too few people: no measures, only who and since when
                row.update(dict.fromkeys(MEASURES), health_score=None, health_band=TOO_FEW_PEOPLE)
            writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
    return out.getvalue()
