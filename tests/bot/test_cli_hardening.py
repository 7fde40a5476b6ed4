"""Issue 10, configuration and CLI: a bad start stops with one line; logs stay quiet."""

from __future__ import annotations

from pathlib import Path

from tests.bot.cli_support import error_lines, run_cli


def test_non_loopback_host_in_local_mode_refuses_to_start(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "--host", "0.0.0.0", TRIMTAB_DATA_DIR=str(tmp_path / "data"))
    assert result.returncode == 2
    lines = error_lines(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("trimtab: --host: 0.0.0.0")
    assert "--allow-unauthenticated-remote" in lines[0]
    assert "listening" not in result.stdout
