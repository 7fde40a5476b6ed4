"""What reaches the data dir: no message text, and with pseudonymisation no raw user id."""

from __future__ import annotations

import argparse
import asyncio
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from adoption.config import ConfigError, GraphSettings
from adoption.facts import MessageFact, TeamFact, ThreadFact
from adoption.graph import GraphLimits
from adoption.id_space import check_id_space, stored_space
from adoption.pseudonym import Pseudonymiser
from adoption.repository import AdoptionRepository
from adoption.sync import pseudonymiser_for, run_sync
from bot import cli_sync
from bot.cli_report import report_command
from bot.storage import MemoryStore, TinyDBStore
from tests.adoption.conftest import (
    ALICE,
    BODY_MARKERS,
    NAMES,
    NOW,
    TEAM_A,
    USERS,
    SleepRecorder,
)
from tests.fakes.graph_server import GraphServer


def data_text(data_dir: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in data_dir.rglob("*") if p.is_file())


async def synced_data_dir(server: GraphServer, tmp_path: Path, pseudonymise: bool) -> Path:
    settings = GraphSettings(
        base_url=server.base_url, token="test-token", pseudonymise=pseudonymise
    )
    store = await TinyDBStore.open(tmp_path / "data")
    try:
        result = await run_sync(
            settings, store, NOW, limits=GraphLimits.unpaced(), sleep=SleepRecorder()
        )
    finally:
        await store.close()
    # the default 26-week backfill also reaches o1 (40 days old)
    assert result.threads == 6 and result.usage_periods == ["D7", "D30"]
    return tmp_path / "data"


async def test_pseudonymisation_leaves_no_raw_user_id_in_the_data_dir(
    server: GraphServer, tmp_path: Path
) -> None:
    data_dir = await synced_data_dir(server, tmp_path, pseudonymise=True)
    text = data_text(data_dir).lower()
    for user in USERS:
        assert user.lower() not in text
    key_file = data_dir / "adoption-pseudonym.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    # the bot maps champion ids through the same pseudonymiser and finds them
    pseudo = pseudonymiser_for(GraphSettings(pseudonymise=True), data_dir)
    store = await TinyDBStore.open(data_dir, read_only=True)
    team = await AdoptionRepository(store).team(TEAM_A)
    assert team is not None and pseudo.apply(ALICE) in team.member_ids
    assert pseudo.apply(ALICE.upper()) == pseudo.apply(ALICE)


async def test_without_pseudonymisation_raw_ids_are_stored(
    server: GraphServer, tmp_path: Path
) -> None:
    data_dir = await synced_data_dir(server, tmp_path, pseudonymise=False)
    assert ALICE in data_text(data_dir)  # proves the grep above can see ids


async def test_no_message_text_or_person_name_ever_reaches_the_data_dir(
    server: GraphServer, tmp_path: Path
) -> None:
    data_dir = await synced_data_dir(server, tmp_path, pseudonymise=False)
    text = data_text(data_dir)
    assert "Contoso Sales" in text and "Deal Room" in text  # names of teams and channels only
    for marker in (*BODY_MARKERS, "BODY-OLD", "<div", "<p>", "systemEventMessage"):
        assert marker not in text
    for name in NAMES.values():
        assert name not in text


def test_pseudonymiser_is_keyed_and_the_identity_when_disabled() -> None:
    one, two = Pseudonymiser(b"k" * 32), Pseudonymiser(b"j" * 32)
    assert one.apply(ALICE) != two.apply(ALICE)
    assert one.apply(ALICE).startswith("p_") and len(one.apply(ALICE)) == 34
    assert Pseudonymiser.disabled().apply(ALICE) == ALICE
    with pytest.raises(ValueError):
        Pseudonymiser(None)


def cli_args(data_dir: Path) -> argparse.Namespace:
    return argparse.Namespace(data_dir=str(data_dir), no_progress=True)


async def test_trimtab_sync_prints_a_summary_and_exits_0(
    server: GraphServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRIMTAB_GRAPH_BASE_URL", server.base_url)
    monkeypatch.setenv("TRIMTAB_GRAPH_TOKEN", "test-token")
    monkeypatch.setenv("TRIMTAB_TIMEZONE", "Europe/Berlin")
    code = await asyncio.to_thread(cli_sync.run, cli_args(tmp_path / "data"))
    out = capsys.readouterr().out
    assert code == 0
    assert "synced 2 teams, 3 channels: 6 threads, 10 messages stored" in out
    assert "skipped team" in out
    # the weekly rollups are kept in the reports' zone, so `trimtab report` reads them
    store = await TinyDBStore.open(tmp_path / "data", read_only=True)
    try:
        teams = await AdoptionRepository(store).teams()
        rollups = await AdoptionRepository(store).rollups(ZoneInfo("Europe/Berlin"), teams)
    finally:
        await store.close()
    assert rollups is not None and set(rollups) == {t.id for t in teams}


async def test_trimtab_sync_exits_1_when_a_team_failed(
    server: GraphServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRIMTAB_GRAPH_BASE_URL", server.base_url)
    monkeypatch.setenv("TRIMTAB_GRAPH_TOKEN", "test-token")
    server.fail(f"{TEAM_A}/members", 400)
    assert await asyncio.to_thread(cli_sync.run, cli_args(tmp_path / "data")) == 1


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "TRIMTAB_GRAPH_TOKEN or TRIMTAB_GRAPH_TENANT_ID"),
        ({"TRIMTAB_GRAPH_TOKEN": "t", "TRIMTAB_SYNC_LOOKBACK_DAYS": "lots"}, "LOOKBACK_DAYS"),
        ({"TRIMTAB_GRAPH_TOKEN": "t", "TRIMTAB_TIMEZONE": "Mars/Olympus"}, "TRIMTAB_TIMEZONE"),
    ],
)
def test_trimtab_sync_exits_2_with_one_line_on_config_errors(
    env: dict[str, str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("TRIMTAB_GRAPH_TOKEN", "TRIMTAB_GRAPH_CLIENT_SECRET", "TRIMTAB_GRAPH_TENANT_ID"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cli_sync.run(cli_args(tmp_path / "data")) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_now_is_aware_in_the_suite() -> None:
    assert NOW.tzinfo is not None and isinstance(NOW, datetime)


async def test_pseudonymise_switched_on_over_raw_ids_refuses_until_rewritten(
    server: GraphServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir = await synced_data_dir(server, tmp_path, pseudonymise=False)
    assert ALICE in data_text(data_dir)
    key_file = tmp_path / "keys" / "pseudonym.key"  # outside the data dir
    on = GraphSettings(
        base_url=server.base_url,
        token="test-token",
        pseudonymise=True,
        pseudonym_key_file=str(key_file),
    )
    store = await TinyDBStore.open(data_dir)
    try:
        with pytest.raises(ConfigError, match="trimtab pseudonymise"):
            await run_sync(on, store, NOW, limits=GraphLimits.unpaced(), sleep=SleepRecorder())
    finally:
        await store.close()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRIMTAB_PSEUDONYMISE", "1")
    monkeypatch.setenv("TRIMTAB_PSEUDONYM_KEY_FILE", str(key_file))
    report = argparse.Namespace(period="8w", team=None, fmt="json", out=None)
    env = {"TRIMTAB_DATA_DIR": str(data_dir), "TRIMTAB_PSEUDONYMISE": "1"}
    out, err = io.StringIO(), io.StringIO()
    assert await report_command(report, env=env, now=NOW, stdout=out, stderr=err) == 2
    assert "trimtab pseudonymise" in err.getvalue() and out.getvalue() == ""

    assert await asyncio.to_thread(cli_sync.run_pseudonymise, cli_args(data_dir)) == 0
    assert "pseudonymised" in capsys.readouterr().out
    text = data_text(data_dir).lower()
    for user in USERS:
        assert user.lower() not in text  # thread authors, rosters and usage rows
    assert not (data_dir / "adoption-pseudonym.key").exists() and key_file.is_file()
    # the rewritten ids are the ones a pseudonymised sync writes: nothing splits or doubles
    store = await TinyDBStore.open(data_dir)
    try:
        result = await run_sync(on, store, NOW, limits=GraphLimits.unpaced(), sleep=SleepRecorder())
        team = await AdoptionRepository(store).team(TEAM_A)
        threads = await AdoptionRepository(store).threads(TEAM_A)
    finally:
        await store.close()
    assert result.ok
    alias = pseudonymiser_for(on, data_dir).apply
    assert team is not None and alias(ALICE) in team.member_ids
    assert {r.author for t in threads for r in t.replies} <= {alias(u) for u in USERS}
    assert all(user.lower() not in data_text(data_dir).lower() for user in USERS)


async def test_trimtab_pseudonymise_needs_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRIMTAB_PSEUDONYMISE", raising=False)
    (tmp_path / "data").mkdir()
    assert await asyncio.to_thread(cli_sync.run_pseudonymise, cli_args(tmp_path / "data")) == 2
    assert "TRIMTAB_PSEUDONYMISE=1 is required" in capsys.readouterr().err
    missing = cli_args(tmp_path / "missing")
    assert await asyncio.to_thread(cli_sync.run_pseudonymise, missing) == 2
    assert "no data dir" in capsys.readouterr().err


async def test_the_id_space_of_an_older_data_dir_is_judged_by_its_ids() -> None:
    store = MemoryStore()
    repo = AdoptionRepository(store)
    assert await stored_space(store) is None
    alias = Pseudonymiser(b"k" * 32).apply
    await repo.save_team(TeamFact("t1", "Team One"))  # no roster: the threads decide
    root = MessageFact("r1", alias(ALICE), NOW)
    await repo.save_threads("t1", [ThreadFact("t1", "c1", root)])
    assert await stored_space(store) == "pseudonyms"
    await check_id_space(store, pseudonymise=True)
    await repo.save_threads("t1", [ThreadFact("t1", "c1", MessageFact("r2", ALICE, NOW))])
    assert await stored_space(store) == "raw"
    with pytest.raises(ConfigError, match="trimtab pseudonymise"):
        await check_id_space(store, pseudonymise=True)
