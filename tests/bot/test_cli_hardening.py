"""Issue 10, configuration and CLI: a bad start stops with one line; logs stay quiet."""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.cli
from bot.settings import Settings
from tests.bot.cli_support import (
    START_TIMEOUT,
    Service,
    child_env,
    error_lines,
    free_port,
    run_cli,
)


def test_non_loopback_host_in_local_mode_refuses_to_start(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "--host", "0.0.0.0", TRIMTAB_DATA_DIR=str(tmp_path / "data"))
    assert result.returncode == 2
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("trimtab: --host: 0.0.0.0")
    assert "--allow-unauthenticated-remote" in lines[0]
    assert "listening" not in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TRIMTAB_SYNC_CRON", "99 2 * * *"),
        ("TRIMTAB_SYNC_LOOKBACK_DAYS", "abc"),
        ("TRIMTAB_PSEUDONYMISE", "maybe"),
    ],
    ids=["cron-out-of-range", "lookback-not-a-number", "pseudonymise-not-a-flag"],
)
def test_bad_tracker_setting_stops_start_with_one_line_naming_it(
    tmp_path: Path, variable: str, value: str
) -> None:
    result = run_cli(tmp_path, TRIMTAB_DATA_DIR=str(tmp_path / "data"), **{variable: value})
    assert result.returncode == 2
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"trimtab: {variable}:")
    assert "listening" not in result.stdout


def test_tracker_settings_are_parsed_once_into_the_typed_settings() -> None:
    settings = Settings.from_env(
        {
            "TRIMTAB_SYNC_CRON": "30 3 * * 1-5",
            "TRIMTAB_SYNC_LOOKBACK_DAYS": "14",
            "TRIMTAB_PSEUDONYMISE": "yes",
        },
        dotenv=None,
    )
    assert (settings.graph.sync_cron, settings.graph.lookback_days) == ("30 3 * * 1-5", 14)
    assert settings.graph.pseudonymise is True


def test_sync_with_an_unreachable_token_endpoint_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "sync", "--no-progress"],
        cwd=tmp_path,
        env=child_env(
            TRIMTAB_DATA_DIR=str(tmp_path / "data"),
            TRIMTAB_GRAPH_TENANT_ID="00000000-0000-4000-8000-000000000001",
            TRIMTAB_GRAPH_CLIENT_ID="00000000-0000-4000-8000-000000000002",
            TRIMTAB_GRAPH_CLIENT_SECRET="not-a-real-secret",
            AZURE_AUTHORITY_HOST=f"https://127.0.0.1:{free_port()}",  # nothing listens there
        ),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT * 3,
    )
    assert result.returncode == 2, result.stderr
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("trimtab sync: cannot get a Graph token:")


@pytest.fixture
def restore_logger_levels() -> Iterator[None]:
    saved = {name: logging.getLogger(name).level for name in ("apscheduler", "msal")}
    root = logging.getLogger().level
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)
    logging.getLogger().setLevel(root)


@pytest.mark.usefixtures("restore_logger_levels")
def test_third_party_loggers_stay_at_warning_unless_debug() -> None:
    bot.cli.configure_logging("INFO")
    assert logging.getLogger("apscheduler.scheduler").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("msal.application").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("bot.app").getEffectiveLevel() <= logging.INFO
    bot.cli.configure_logging("DEBUG")
    assert logging.getLogger("apscheduler.scheduler").getEffectiveLevel() == logging.DEBUG


def test_dashboard_links_use_the_bound_port_without_base_url(tmp_path: Path) -> None:
    service = Service(tmp_path, tmp_path / "data")
    try:
        health = service.wait_ready()
    finally:
        service.kill()
    assert health["base_url"] == f"http://127.0.0.1:{service.port}"


def test_every_subcommand_has_its_module_and_a_command_imports_only_its_own() -> None:
    from bot.cli import COMMAND_MODULES, _command, build_parser

    everything = build_parser()
    actions = [a for a in everything._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(actions[0].choices) == set(COMMAND_MODULES)
    for command, module in COMMAND_MODULES.items():
        only = build_parser(command)
        sub = next(a for a in only._actions if isinstance(a, argparse._SubParsersAction))
        assert command in sub.choices, module
    assert _command(["--log-level", "WARNING", "report", "--format", "json"]) == "report"
    assert _command(["--help"]) is None and _command([]) is None
    assert _command(["nonsense"]) == "nonsense"  # unknown: the full parser says so
    probe = (
        "import sys\nfrom bot.cli import main\n"
        "try:\n    main(['report', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('botbuilder.integration.aiohttp' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().endswith("False")
