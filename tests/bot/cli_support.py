"""Helpers of the ``trimtab run`` tests: the real CLI in a subprocess with a clean environment."""

from __future__ import annotations

import ctypes
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 20.0
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE = 1
CAP_DAC_READ_SEARCH = 2


def child_env(**variables: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(REPO),
        "HOME": tempfile.gettempdir(),
    }
    env.update(variables)
    return env


def drop_root_file_powers() -> None:
    """In the child: give up root's right to ignore permission bits.

    Removes CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set, so
    after ``exec`` even uid 0 is bound by a folder's mode.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def run_cli(cwd: Path, *args: str, unprivileged: bool = False, **variables: str) -> Any:
    """Run ``trimtab run …`` to completion (it must stop by itself, quickly)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", "--port", str(free_port()), *args],
        cwd=cwd,
        env=child_env(**variables),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        preexec_fn=drop_root_file_powers if unprivileged and os.geteuid() == 0 else None,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


class Service:
    """A ``trimtab run`` child on a free port, waited for through /healthz."""

    def __init__(self, cwd: Path, data_dir: Path) -> None:
        self.port = free_port()
        self.data_dir = data_dir
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--port", str(self.port)],
            cwd=cwd,
            env=child_env(TRIMTAB_DATA_DIR=str(data_dir)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def healthz(self) -> dict[str, Any]:
        url = f"http://127.0.0.1:{self.port}/healthz"
        with urllib.request.urlopen(url, timeout=2) as response:
            return dict(json.load(response))

    def wait_ready(self) -> dict[str, Any]:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"trimtab exited early: {self.process.communicate()}")
            try:
                return self.healthz()
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        raise AssertionError("trimtab did not answer /healthz in time")

    def stop(self, signum: int) -> tuple[int, str, str]:
        self.process.send_signal(signum)
        out, err = self.process.communicate(timeout=START_TIMEOUT)
        return self.process.returncode, out, err

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate(timeout=START_TIMEOUT)
