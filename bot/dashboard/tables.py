"""Tables shown on dashboard pages, each also downloadable as CSV.

A page builds :class:`Table` objects; the template renders them and the same
page URL with ``?csv=<table name>`` answers the table as CSV, so what is
downloaded is exactly what is on screen.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

Cell = str | int | float | None
_NUMBER = re.compile(r"^[+-]\d+(\.\d+)?( pts)?$")


@dataclass
class Table:
    """A titled table; ``links`` (optional) link each row's first cell."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)
    sparks: list[Markup] = field(default_factory=list)

    def link(self, index: int) -> str | None:
        return self.links[index] if index < len(self.links) else None

    def spark(self, index: int) -> Markup | None:
        return self.sparks[index] if index < len(self.sparks) else None


def pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    return f"{value:.0f}" if value == int(value) else f"{value:.{digits}f}"


def signed(value: float | None, *, percent: bool = False) -> str:
    if value is None:
        return ""
    return f"{value * 100:+.0f} pts" if percent else f"{value:+.1f}"


def _safe(cell: Cell) -> Cell:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return cell if _NUMBER.match(cell) else "'" + cell
    return cell


def to_csv(table: Table) -> str:
    """The table as CSV (header row first; formula-like text cells neutralised)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if c is None else _safe(c) for c in row])
    return out.getvalue()


def find(tables: Sequence[Table], name: str) -> Table | None:
    return next((t for t in tables if t.name == name), None)
