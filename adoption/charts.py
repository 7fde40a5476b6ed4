"""Server-side SVG charts: inline, self-contained, no JavaScript, no fonts to fetch.

Each helper returns :class:`markupsafe.Markup` (safe to drop into a Jinja2 template
with autoescape on); every label is escaped here. Charts carry ``role="img"``, a
``<title>`` and fixed ``width``/``height`` so they have a size before CSS loads; they
scale down with ``max-width: 100%``. Reused by the report and the dashboard.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

PALETTE = ("#5b5fc7", "#0f8a8a", "#d1652b", "#8a6d3b", "#6b7280")
BAND_COLOURS = {"green": "#2e7d32", "amber": "#b26a00", "red": "#c62828", "none": "#9ca3af"}
_FONT = "font-family:Segoe UI,Helvetica Neue,Arial,sans-serif"
_PAD_LEFT, _PAD_RIGHT, _PAD_TOP, _PAD_BOTTOM = 44, 12, 28, 30


@dataclass(frozen=True, slots=True)
class Series:
    """A named row of values (``None`` leaves a gap) with an optional colour."""

    name: str
    values: Sequence[float | None]
    colour: str = ""


def nice_max(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ that is ≥ ``value`` (1 for nothing to show)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)  # pragma: no cover - the loop always returns


def _fmt(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _open(width: int, height: int, title: str, css_class: str) -> list[str]:
    label = escape(title)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" role="img" '
        f'aria-label="{label}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="{_FONT}">',
        f"<title>{label}</title>",
    ]


def _axes(
    parts: list[str], labels: Sequence[str], width: int, height: int, top: float, percent: bool
) -> None:
    plot_h = height - _PAD_TOP - _PAD_BOTTOM
    for i in range(5):
        y = _PAD_TOP + plot_h * (1 - i / 4)
        parts.append(
            f'<line x1="{_PAD_LEFT}" x2="{width - _PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e5e7eb" stroke-width="1"/>'
            f'<text x="{_PAD_LEFT - 6}" y="{y + 4:.1f}" font-size="11" fill="#6b7280" '
            f'text-anchor="end">{_fmt(top * i / 4, percent)}</text>'
        )
    step = max(1, math.ceil(len(labels) / 12))  # at most ~12 x labels
    for i, label in enumerate(labels):
        if i % step:
            continue
        x = _x(i, len(labels), width)
        short = label.split("-")[-1] if "-W" in label else label
        parts.append(
            f'<text x="{x:.1f}" y="{height - 10}" font-size="11" fill="#6b7280" '
            f'text-anchor="middle">{escape(short)}</text>'
        )


def _x(i: int, n: int, width: int) -> float:
    plot_w = width - _PAD_LEFT - _PAD_RIGHT
    return _PAD_LEFT + plot_w * (i + 0.5) / max(n, 1)


def _y(value: float, top: float, height: int) -> float:
    plot_h = height - _PAD_TOP - _PAD_BOTTOM
    return _PAD_TOP + plot_h * (1 - min(value, top) / top)


def _legend(parts: list[str], series: Sequence[Series], colours: Sequence[str]) -> None:
    x = _PAD_LEFT
    for s, colour in zip(series, colours, strict=True):
        parts.append(
            f'<rect x="{x}" y="8" width="10" height="10" rx="2" fill="{colour}"/>'
            f'<text x="{x + 14}" y="17" font-size="12" fill="#374151">{escape(s.name)}</text>'
        )
        x += 24 + 7 * len(s.name)


def _colours(series: Sequence[Series]) -> list[str]:
    return [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 640,
    height: int = 220,
    percent: bool = False,
    y_max: float | None = None,
) -> Markup:
    """Lines over ``labels`` (e.g. weeks); ``percent`` formats 0..1 values as 0–100%."""
    values = [v for s in series for v in s.values if v is not None]
    top = y_max if y_max is not None else nice_max(max(values, default=0.0))
    colours = _colours(series)
    parts = _open(width, height, title, "line-chart")
    _axes(parts, labels, width, height, top, percent)
    for s, colour in zip(series, colours, strict=True):
        segment: list[str] = []
        runs: list[list[str]] = [segment]
        for i, value in enumerate(s.values):
            if value is None:
                segment = []
                runs.append(segment)
                continue
            x, y = _x(i, len(labels), width), _y(value, top, height)
            segment.append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(s.name)} {escape(labels[i])}: {_fmt(value, percent)}</title>"
                "</circle>"
            )
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    'stroke-width="2.5" stroke-linejoin="round"/>'
                )
    _legend(parts, series, colours)
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    width: int = 640,
    height: int = 220,
) -> Markup:
    """Stacked bars per label (e.g. posts and replies per week); ``None`` counts as empty."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    top = nice_max(max(4.0, *totals))  # counts: keep whole-number gridlines
    colours = _colours(series)
    parts = _open(width, height, title, "bar-chart")
    _axes(parts, labels, width, height, top, False)
    slot = (width - _PAD_LEFT - _PAD_RIGHT) / max(len(labels), 1)
    bar_w = max(2.0, slot * 0.6)
    for i, label in enumerate(labels):
        base = float(_y(0, top, height))
        for s, colour in zip(series, colours, strict=True):
            value = s.values[i] or 0
            if value <= 0:
                continue
            y = _y(value, top, height) - (_y(0, top, height) - base)
            parts.append(
                f'<rect x="{_x(i, len(labels), width) - bar_w / 2:.1f}" y="{y:.1f}" '
                f'width="{bar_w:.1f}" height="{base - y:.1f}" fill="{colour}">'
                f"<title>{escape(s.name)} {escape(label)}: {_fmt(value, False)}</title></rect>"
            )
            base = y
    _legend(parts, series, colours)
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(
    values: Sequence[float | None], *, title: str, width: int = 120, height: int = 28
) -> Markup:
    """A tiny trend line for a table cell; the last point is marked."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    top = nice_max(max((v for _, v in known), default=0.0))
    step = (width - 6) / max(len(values) - 1, 1)
    points = [(3 + i * step, height - 3 - (height - 6) * v / top) for i, v in known]
    parts = _open(width, height, title, "sparkline")
    if len(points) > 1:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{PALETTE[0]}" stroke-width="1.8"/>'
        )
    if points:
        x, y = points[-1]
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{PALETTE[0]}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def health_bands_bar(bands: dict[str, int], *, title: str, width: int = 640) -> Markup:
    """One horizontal bar split by band counts (green, amber, red, no data)."""
    height = 34
    total = sum(bands.values())
    parts = _open(width, height, title, "bands-bar")
    parts[0] = parts[0].replace("<svg ", '<svg preserveAspectRatio="none" ', 1)
    x = 0.0
    for name in ("green", "amber", "red", "none"):
        count = bands.get(name, 0)
        if not count or not total:
            continue
        w = width * count / total
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" '
            f'fill="{BAND_COLOURS[name]}"><title>{name}: {count}</title></rect>'
        )
        if w > 28:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="22" font-size="13" font-weight="600" fill="#fff" '
                f'text-anchor="middle">{count}</text>'
            )
        x += w
    if not total:
        parts.append(f'<rect width="{width}" height="{height}" fill="{BAND_COLOURS["none"]}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
