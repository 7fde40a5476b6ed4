"""``trimtab run`` as an operator sees it: bad settings, a second instance, signals.

Each test starts the real CLI in a subprocess (``python -m bot``) with a clean
environment and a time limit, in a temporary folder so no ``.env`` is picked up.
"""

from __future__ import annotations

import fcntl
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.storage.tinydb_store import LOCK_FILE
from tests.bot.cli_support import (
    START_TIMEOUT,
    Service,
    child_env,
    error_lines,
    run_cli,
)
from tests.conftest import Trimtab


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"TRIMTAB_TIMEZONE": "Mars/Olympus_Mons"}, "TRIMTAB_TIMEZONE"),
        ({"TRIMTAB_TIMEZONE": "../../etc/passwd"}, "TRIMTAB_TIMEZONE"),
        ({"MicrosoftAppType": "Bogus"}, "MicrosoftAppType"),
        (
            {
                "MicrosoftAppId": "00000000-1111-4222-8333-444444444444",
                "MicrosoftAppType": "SingleTenant",
            },
            "MicrosoftAppTenantId",
        ),
        ({"TRIMTAB_BASE_URL": "ftp://example.com"}, "TRIMTAB_BASE_URL"),
        ({"TRIMTAB_GROUP_BY": "manager"}, "TRIMTAB_GROUP_BY"),
    ],
    ids=[
        "unknown-zone",
        "zone-path",
        "app-type",
        "single-tenant-without-tenant",
        "base-url",
        "group-by",
    ],
)
def test_bad_setting_stops_start_with_one_line_naming_it(
    tmp_path: Path, variables: dict[str, str], named: str
) -> None:
    result = run_cli(tmp_path, TRIMTAB_DATA_DIR=str(tmp_path / "data"), **variables)
    assert result.returncode == 2
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"trimtab: {named}:")
    assert "Traceback" not in result.stdout + result.stderr
    assert "listening" not in result.stdout


def test_bad_setting_in_dotenv_is_named_too(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TRIMTAB_TIMEZONE=Nowhere/Land\n", encoding="utf-8")
    result = run_cli(tmp_path)
    assert result.returncode == 2
    assert error_lines(result.stderr) == [
        "trimtab: TRIMTAB_TIMEZONE: 'Nowhere/Land' is not an IANA time zone "
        "(for example Europe/Berlin or UTC)"
    ]


def test_bad_group_by_stops_start_listing_the_allowed_values(tmp_path: Path) -> None:
    result = run_cli(tmp_path, TRIMTAB_DATA_DIR=str(tmp_path / "data"), TRIMTAB_GROUP_BY="team")
    assert result.returncode == 2
    assert error_lines(result.stderr) == [
        "trimtab: TRIMTAB_GROUP_BY: must be one of: none, department; got 'team'"
    ]


@pytest.mark.parametrize("layout", ["dir-is-a-file", "parent-is-a-file"])
def test_unusable_data_dir_stops_start_with_one_line(tmp_path: Path, layout: str) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    data_dir = blocker if layout == "dir-is-a-file" else blocker / "data"
    result = run_cli(tmp_path, TRIMTAB_DATA_DIR=str(data_dir))
    assert result.returncode == 1
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("trimtab: TRIMTAB_DATA_DIR:")
    assert str(data_dir.name) in lines[0]
    assert "listening" not in result.stdout


@pytest.mark.parametrize(("mode", "problem"), [(0o000, "unreadable"), (0o555, "read-only")])
def test_unreadable_or_unwritable_data_dir_stops_start(
    tmp_path: Path, mode: int, problem: str
) -> None:
    """Permission bits do not bind root, so as root the child drops that power first."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    data_dir.chmod(mode)
    try:
        result = run_cli(tmp_path, unprivileged=True, TRIMTAB_DATA_DIR=str(data_dir))
    finally:
        data_dir.chmod(0o700)
    assert result.returncode == 1, (problem, result.stdout, result.stderr)
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("trimtab: TRIMTAB_DATA_DIR:")


# --- a running service -----------------------------------------------------------------


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    running = Service(tmp_path, tmp_path / "data")
    yield running
    running.kill()


def lock_is_free(data_dir: Path) -> bool:
    with open(data_dir / LOCK_FILE, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def test_second_run_on_the_same_data_dir_exits_with_a_clear_message(
    service: Service, tmp_path: Path
) -> None:
    health = service.wait_ready()
    assert health["storage"]["backend"] == "TinyDBStore"
    assert not lock_is_free(service.data_dir)

    second = run_cli(tmp_path, TRIMTAB_DATA_DIR=str(service.data_dir))
    assert second.returncode == 1
    lines = error_lines(second.stderr)
    assert len(lines) == 1, second.stderr
    assert lines[0].startswith("trimtab: TRIMTAB_DATA_DIR: another Trimtab process")
    assert f"pid {service.process.pid}" in lines[0]
    assert service.healthz()["status"] == "ok", "the first instance keeps running"


def test_port_in_use_stops_start_with_one_line(service: Service, tmp_path: Path) -> None:
    service.wait_ready()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--port", str(service.port)],
        cwd=tmp_path,
        env=child_env(TRIMTAB_DATA_DIR=str(tmp_path / "other")),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert error_lines(result.stderr)[-1].startswith("trimtab: --port: cannot listen on")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_shuts_down_cleanly_and_releases_the_lock(service: Service, signum: int) -> None:
    service.wait_ready()
    code, out, err = service.stop(signum)
    assert code == 0, err
    assert "Traceback" not in err
    assert "listening on" in out
    assert lock_is_free(service.data_dir)


async def test_healthz_reports_status_version_storage_and_scheduler(trimtab: Trimtab) -> None:
    from bot import __version__

    response = await trimtab.client.get("/healthz")
    assert response.status == 200
    assert response.content_type == "application/json"
    body = await response.json()
    assert body["status"] == "ok"
    assert body["version"] == __version__
    assert body["mode"] == "local"
    assert body["storage"]["backend"] == "MemoryStore"
    assert body["storage"]["data_dir"] == str(trimtab.settings.data_dir)
    assert body["scheduler"]["running"] is True
    assert isinstance(body["scheduler"]["jobs"], int)
    assert body["uptime_seconds"] == 0.0, "uptime comes from the injected clock"
