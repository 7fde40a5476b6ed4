"""Helpers of the tests that start ``trimtab run`` as a child process."""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 20.0


def child_env(**variables: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(REPO),
        "HOME": tempfile.gettempdir(),
    }
    env.update(variables)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
