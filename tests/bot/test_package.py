"""``trimtab package``: a zip Teams accepts (schema-valid manifest, right icons)."""

from __future__ import annotations

import json
import struct
import uuid
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from jsonschema import FormatChecker
from jsonschema.validators import validator_for

from bot.cli import main
from bot.commands import COMMAND_TABLES
from bot.manifest import ManifestOptions, build_manifest, command_list, stable_app_id
from bot.router import CommandRouter

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"
SCHEMA = json.loads((SCHEMAS / "teams-manifest-1.22.schema.json").read_text(encoding="utf-8"))
APP_ID = "0e7c8d1f-9a2b-4c3d-8e5f-6a7b8c9d0e1f"


def validate(manifest: dict[str, Any]) -> None:
    cls = validator_for(SCHEMA)
    errors = sorted(
        cls(SCHEMA, format_checker=FormatChecker()).iter_errors(manifest), key=lambda e: e.path
    )
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def read_png(data: bytes) -> tuple[int, int, list[list[tuple[int, ...]]]]:
    """Decode an 8-bit RGBA PNG (all five row filters), checking every chunk's CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, f"bad CRC in {kind!r}"
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, colour, interlace) == (8, 6, 0), "8-bit RGBA, not interlaced"
    raw, stride, bpp = zlib.decompress(idat), width * 4, 4
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        prev = line
    pixels = [[tuple(r[x * 4 : x * 4 + 4]) for x in range(width)] for r in rows]
    return width, height, pixels


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run ``trimtab package`` in-process in an empty folder; return the opened zip."""
    monkeypatch.chdir(tmp_path)
    for name in ("MicrosoftAppId", "MicrosoftAppPassword", "TRIMTAB_BASE_URL"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str, **env: str) -> zipfile.ZipFile:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        out = tmp_path / "trimtab.zip"
        assert main(["package", "--out", str(out), *args]) == 0
        return zipfile.ZipFile(out)

    return run


def test_package_holds_a_schema_valid_manifest_and_two_icons(package: Any) -> None:
    archive = package("--base-url", "https://trimtab.contoso.example/bot")
    assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
    manifest = json.loads(archive.read("manifest.json"))
    validate(manifest)
    assert manifest["manifestVersion"] == "1.22"
    assert manifest["$schema"].endswith("/v1.22/MicrosoftTeams.schema.json")
    assert manifest["validDomains"] == ["trimtab.contoso.example"]
    assert manifest["developer"]["privacyUrl"] == "https://trimtab.contoso.example/bot/privacy"
    [bot] = manifest["bots"]
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    assert {tuple(c["scopes"]) for c in bot["commandLists"]} == {
        ("personal",),
        ("team",),
        ("groupChat",),
    }
    for commands in bot["commandLists"]:
        titles = [c["title"] for c in commands["commands"]]
        assert 1 <= len(titles) <= 10 and titles[0] == "help"
        assert len(set(titles)) == len(titles)
        assert all(len(t) <= 32 for t in titles)
        assert all(len(c["description"]) <= 128 for c in commands["commands"])
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}


def test_icons_have_the_sizes_and_colours_teams_requires(package: Any) -> None:
    archive = package()
    width, height, colour = read_png(archive.read("color.png"))
    assert (width, height) == (192, 192)
    assert all(p[3] == 255 for row in colour for p in row), "the colour icon is opaque"
    assert len({p for row in colour for p in row}) >= 2, "it shows a glyph"

    width, height, outline = read_png(archive.read("outline.png"))
    assert (width, height) == (32, 32)
    pixels = [p for row in outline for p in row]
    assert all(p[3] == 0 or p[:3] == (255, 255, 255) for p in pixels), "white on transparent"
    drawn = sum(1 for p in pixels if p[3] > 0)
    assert 0.05 * len(pixels) < drawn < 0.6 * len(pixels), "a glyph, neither empty nor a block"
    assert outline[0][0][3] == 0, "the background is transparent"


def test_app_id_is_microsoft_app_id_when_configured(package: Any) -> None:
    manifest = json.loads(package(MicrosoftAppId=APP_ID).read("manifest.json"))
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    validate(manifest)


def test_generated_app_id_is_a_stable_guid(
    package: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    first = json.loads(package("--base-url", "https://a.example").read("manifest.json"))["id"]
    second = json.loads(package("--base-url", "https://a.example").read("manifest.json"))["id"]
    other = json.loads(package("--base-url", "https://b.example").read("manifest.json"))["id"]
    assert first == second != other
    assert str(uuid.UUID(first)) == first
    assert "MicrosoftAppId is not set" in capsys.readouterr().out


def test_bad_base_url_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["package", "--out", "x.zip", "--base-url", "trimtab.example"]) == 2
    assert capsys.readouterr().err.strip().startswith("trimtab: --base-url:")
    assert not (tmp_path / "x.zip").exists()


# --- the pure builder ----------------------------------------------------------------


def options(**overrides: str) -> ManifestOptions:
    values = {
        "app_id": APP_ID,
        "bot_id": APP_ID,
        "version": "1.2.3",
        "base_url": "https://t.example",
    }
    values.update(overrides)
    return ManifestOptions(**values)


def test_command_lists_come_from_the_router_and_favour_useful_commands() -> None:
    commands = CommandRouter(COMMAND_TABLES).commands
    personal = [c["title"] for c in command_list(commands, "personal")]
    group = [c["title"] for c in command_list(commands, "groupChat")]
    assert personal[:2] == ["help", "tips"]
    assert "circle create" in group and "admin add" not in group
    names = {c.name for c in commands}
    assert set(personal) <= names and set(group) <= names


def test_command_list_caps_at_ten_and_clips_long_texts() -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Fake:
        name: str
        usage: str
        summary: str
        role: int = 0

    many = [Fake(f"verb{i} " + "x" * 40, f"verb{i}", "y" * 300) for i in range(15)]
    entries = command_list(many, "personal")
    assert len(entries) == 10
    assert all(len(e["title"]) <= 32 and len(e["description"]) <= 128 for e in entries)
    manifest = build_manifest(many, options())
    validate(manifest)


def test_builder_accepts_static_tabs_for_later_features() -> None:
    tab = {
        "entityId": "dashboard",
        "name": "Dashboard",
        "contentUrl": "https://t.example/dashboard",
        "scopes": ["personal"],
    }
    manifest = build_manifest(CommandRouter(COMMAND_TABLES).commands, options(), static_tabs=[tab])
    assert manifest["staticTabs"] == [tab]
    validate(manifest)


def test_stable_app_id_depends_only_on_the_seed() -> None:
    assert stable_app_id("https://x.example") == stable_app_id("https://x.example")
    assert stable_app_id("https://x.example") != stable_app_id("https://y.example")


def test_package_has_a_personal_dashboard_tab(package: Any) -> None:
    manifest = json.loads(
        package("--base-url", "https://trimtab.contoso.example/bot").read("manifest.json")
    )
    validate(manifest)
    [tab] = manifest["staticTabs"]
    assert tab["scopes"] == ["personal"]
    assert tab["contentUrl"] == "https://trimtab.contoso.example/bot/dashboard/tab"
    # The tab's host must be one Teams is allowed to load.
    assert "trimtab.contoso.example" in manifest["validDomains"]
