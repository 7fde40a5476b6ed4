"""``trimtab report``: arguments, settings, output files and one-line errors."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from adoption.facts import ThreadFact
from adoption.pseudonym import Pseudonymiser
from adoption.repository import AdoptionRepository
from bot import cli
from bot.cli_report import add_parser, report_command
from bot.storage import TinyDBStore
from tests.adoption.factories import at, msg, seed, team

RANGE = "2026-10-26..2026-11-08"  # ISO weeks 2026-W44 and W45, as in factories.sample_report


@pytest.fixture
async def data_dir(tmp_path: Path) -> Path:
    store = await TinyDBStore.open(tmp_path / "data")
    await seed(store)
    await store.put("champions.registry", "c", {"added_by": "admin"})
    await store.close()
    return tmp_path / "data"


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["report", *argv])


async def _run(argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = await report_command(
        _args(*argv), env=env, now=at("2026-11-23 08:00"), stdout=out, stderr=err
    )
    return code, out.getvalue(), err.getvalue()


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    return {"TRIMTAB_DATA_DIR": str(data_dir), "TRIMTAB_TIMEZONE": "Europe/Berlin", **extra}


def test_registered_in_the_trimtab_cli(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for key, value in _env(data_dir).items():
        monkeypatch.setenv(key, value)
    assert cli.main(["report", "--period", RANGE, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    one = next(t for t in doc["teams"] if t["name"] == "Team One")
    # hand-computed in test_metrics.py; champion c comes from champions.registry
    assert [w["posts"] for w in one["weeks"]] == [4, 2]
    assert [w["champion_share"] for w in one["weeks"]] == [0.25, 0.143]
    assert one["health"] == {**one["health"], "score": 93, "band": "green"}


async def test_period_in_weeks_is_relative_to_now(data_dir: Path) -> None:
    # default 8w; a group size of 1 reports the small seeded teams
    code, out, _ = await _run(["--format", "json"], _env(data_dir, TRIMTAB_MIN_GROUP_SIZE="1"))
    assert code == 0
    doc = json.loads(out)
    # now = Mon 23 Nov 2026 (W48): the last 8 full weeks are W40..W47
    assert doc["period"] == {"start": "2026-09-28", "end": "2026-11-22"}
    one = next(t for t in doc["teams"] if t["name"] == "Team One")
    assert [w["week"] for w in one["weeks"]][::7] == ["2026-W40", "2026-W47"]


async def test_html_to_a_file(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "qbr.html"
    code, out, err = await _run(
        ["--period", RANGE, "--format", "html", "--team", "team one", "--out", str(target)],
        _env(data_dir),
    )
    assert (code, err) == (0, "")
    assert out == f"wrote html report for 2026-10-26..2026-11-08 (1 teams) to {target}\n"
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "Design Ops" not in html


async def test_csv_while_the_bot_holds_the_writer_lock(data_dir: Path) -> None:
    writer = await TinyDBStore.open(data_dir)  # a running bot
    try:
        code, out, _ = await _run(["--period", RANGE, "--format", "csv"], _env(data_dir))
    finally:
        await writer.close()
    assert code == 0 and len(out.splitlines()) == 1 + 4


@pytest.mark.parametrize(
    ("argv", "env_extra", "expected"),
    [
        (["--period", "8x", "--format", "json"], {}, "use e.g. `--period 8w`"),
        (["--period", "8w"], {}, "--format must be json, csv or html; e.g. `--format html`"),
        (["--format", "pdf"], {}, "--format must be json, csv or html"),
        (["--format", "json"], {"TRIMTAB_TIMEZONE": "Mars/Olympus"}, "use e.g. Europe/Berlin"),
        (["--format", "json", "--team", "Team Onw"], {}, "did you mean: Team One"),
    ],
)
async def test_bad_input_is_one_line_and_exit_2(
    data_dir: Path, argv: list[str], env_extra: dict[str, str], expected: str
) -> None:
    code, out, err = await _run(argv, _env(data_dir, **env_extra))
    assert (code, out) == (2, "")
    assert err.startswith("trimtab report: ") and err.count("\n") == 1
    assert expected in err


async def test_missing_data_dir(tmp_path: Path) -> None:
    code, _, err = await _run(["--format", "json"], _env(tmp_path / "nowhere"))
    assert code == 2 and "run `trimtab sync` first" in err
    assert not (tmp_path / "nowhere").exists()  # a report never creates the data dir


async def test_unwritable_out_file(data_dir: Path, tmp_path: Path) -> None:
    code, _, err = await _run(
        ["--format", "csv", "--out", str(tmp_path / "no" / "such" / "dir.csv")], _env(data_dir)
    )
    assert code == 1 and "cannot write" in err


async def test_champions_are_matched_through_the_pseudonymiser(tmp_path: Path) -> None:
    key = "k" * 32
    alias = Pseudonymiser(key.encode()).apply
    store = await TinyDBStore.open(tmp_path)
    repo = AdoptionRepository(store)
    await repo.save_team(team("t1", "Team One", (alias("CHAMP-AAD"), alias("B"))))
    root = msg(alias("CHAMP-AAD"), "2026-11-03 10:00")
    await repo.save_threads(
        "t1", [ThreadFact("t1", "general", root, (msg(alias("B"), "2026-11-03 11:00"),))]
    )
    await store.put("champions.registry", "CHAMP-AAD", {})
    await store.close()
    argv = ["--period", "2026-11-02..2026-11-08", "--format", "json"]
    env = {
        "TRIMTAB_DATA_DIR": str(tmp_path),
        "TRIMTAB_MIN_GROUP_SIZE": "1",
        "TRIMTAB_PSEUDONYMISE": "1",
        "TRIMTAB_PSEUDONYM_KEY": key,
    }
    code, out, _ = await _run(argv, env)
    # the champion wrote the root, B the reply: 1 of 2 messages
    assert code == 0 and json.loads(out)["teams"][0]["weeks"][0]["champion_share"] == 0.5
    # pseudonymisation off over pseudonymised data: refused, not silently unmatched
    code, out, err = await _run(argv, {"TRIMTAB_DATA_DIR": str(tmp_path)})
    assert (code, out) == (2, "") and "TRIMTAB_PSEUDONYMISE is off" in err


async def test_workers_below_one_is_a_clear_error(data_dir: Path) -> None:
    code, out, err = await _run(["--format", "json", "--workers", "0"], _env(data_dir))
    assert code == 2 and out == ""
    assert err == "trimtab report: --workers must be 1 or more (1: measure in this process)\n"
