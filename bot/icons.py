"""Trimtab's app icons, drawn in code: a ship's rudder with its small trim tab.

No imaging library: shapes are polygons in unit coordinates, rasterised by
testing each pixel centre, and written by a tiny PNG encoder (zlib + struct).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

Point = tuple[float, float]
RGBA = tuple[int, int, int, int]

ACCENT = "#1F6F78"
WHITE: RGBA = (255, 255, 255, 255)
CLEAR: RGBA = (0, 0, 0, 0)

#: The glyph in unit coordinates (x right, y down): the rudder stock, the rudder blade
#: and, behind a narrow hinge gap, the trim tab on its trailing edge.
GLYPH: tuple[tuple[Point, ...], ...] = (
    ((0.40, 0.10), (0.48, 0.10), (0.48, 0.26), (0.40, 0.26)),
    ((0.28, 0.24), (0.64, 0.24), (0.64, 0.66), (0.52, 0.84), (0.34, 0.84), (0.28, 0.74)),
    ((0.68, 0.58), (0.80, 0.58), (0.80, 0.74), (0.68, 0.80)),
)


def _inside(x: float, y: float, polygon: Sequence[Point]) -> bool:
    """Even-odd rule point-in-polygon test."""
    hit = False
    j = len(polygon) - 1
    for i, (xi, yi) in enumerate(polygon):
        xj, yj = polygon[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def render(size: int, *, foreground: RGBA, background: RGBA) -> list[list[RGBA]]:
    """Rows of RGBA pixels of the glyph at ``size`` × ``size``."""
    rows = []
    for row in range(size):
        y = (row + 0.5) / size
        line = []
        for col in range(size):
            x = (col + 0.5) / size
            line.append(foreground if any(_inside(x, y, p) for p in GLYPH) else background)
        rows.append(line)
    return rows


def encode_png(rows: Sequence[Sequence[RGBA]]) -> bytes:
    """A non-interlaced 8-bit RGBA PNG of ``rows``."""
    height, width = len(rows), len(rows[0])
    raw = b"".join(b"\x00" + bytes(v for pixel in row for v in pixel) for row in rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _hex_rgba(colour: str) -> RGBA:
    value = colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), 255)


def color_icon(accent: str = ACCENT) -> bytes:
    """192×192 full-colour icon: the white glyph on the accent colour."""
    return encode_png(render(192, foreground=WHITE, background=_hex_rgba(accent)))


def outline_icon() -> bytes:
    """32×32 outline icon: the glyph in white on a transparent background."""
    return encode_png(render(32, foreground=WHITE, background=CLEAR))
