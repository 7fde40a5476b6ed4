"""Find a PostgreSQL server for the tests (``python -m tests.pgserver check`` from make).

In order: ``TRIMTAB_TEST_DATABASE_URL``; a server answering on 127.0.0.1:5432;
a throwaway cluster made with the installed ``initdb``/``pg_ctl`` under
``.venv/pgtest`` (as root: run as ``nobody`` in a folder of its own under the system temp
dir, since ``nobody`` may not be able to enter the checkout). Debian's postgresql is
installed by the Makefile when none of these is possible. Each test then
creates its own uniquely named database on that server and drops it after.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ENV_VARIABLE = "TRIMTAB_TEST_DATABASE_URL"
LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
REPO = Path(__file__).resolve().parent.parent


def _cluster_dir() -> Path:
    if os.geteuid() != 0:
        return REPO / ".venv" / "pgtest"
    # A checkout under a 0700 folder (a mktemp dir, /root) cannot be entered by ``nobody``.
    tag = hashlib.sha1(str(REPO).encode(), usedforsecurity=False).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"trimtab-pgtest-{tag}"


CLUSTER_DIR = _cluster_dir()
CLUSTER_PORT = 54329
CLUSTER_URL = f"postgresql://postgres@127.0.0.1:{CLUSTER_PORT}/postgres"
HOW_TO = (
    "no PostgreSQL for the tests: set TRIMTAB_TEST_DATABASE_URL=postgresql://user:pass@host/db "
    "(a role that may CREATE DATABASE), start one on 127.0.0.1:5432, or install PostgreSQL 14+"
)


class NoServerError(RuntimeError):
    """No server found and none could be started."""


def answers(url: str) -> bool:
    """Whether a server at ``url`` accepts a connection."""
    try:
        psycopg.connect(url, connect_timeout=3, autocommit=True).close()
    except psycopg.Error:
        return False
    return True


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "nobody", "--", *command]  # initdb refuses to run as root


def start_cluster() -> str:
    """Start (creating when needed) the throwaway cluster; return its admin URL."""
    if answers(CLUSTER_URL):
        return CLUSTER_URL
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise NoServerError(HOW_TO)
    CLUSTER_DIR.parent.mkdir(parents=True, exist_ok=True)
    if not (CLUSTER_DIR / "PG_VERSION").exists():
        CLUSTER_DIR.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(CLUSTER_DIR, "nobody")
        subprocess.run(
            _as_owner([initdb, "-D", str(CLUSTER_DIR), "-U", "postgres", "--auth=trust"]),
            check=True,
            capture_output=True,
        )
    options = f"-p {CLUSTER_PORT} -k {CLUSTER_DIR} -c listen_addresses=127.0.0.1"
    log = CLUSTER_DIR / "server.log"
    subprocess.run(
        _as_owner([pg_ctl, "-D", str(CLUSTER_DIR), "-o", options, "-l", str(log), "-w", "start"]),
        check=True,
        capture_output=True,
    )
    return CLUSTER_URL


def stop_cluster() -> None:
    """Stop the throwaway cluster if it runs."""
    pg_ctl = _binary("pg_ctl")
    if pg_ctl and (CLUSTER_DIR / "postmaster.pid").exists():
        subprocess.run(
            _as_owner([pg_ctl, "-D", str(CLUSTER_DIR), "-m", "fast", "stop"]), capture_output=True
        )


def discover(*, allow_start: bool = True) -> tuple[str, bool]:
    """An admin URL of a server for the tests and whether we started it."""
    from_env = os.environ.get(ENV_VARIABLE, "").strip()
    if from_env:
        if not answers(from_env):
            raise NoServerError(f"{ENV_VARIABLE} is set but its server does not answer")
        return from_env, False
    if answers(LOCAL_URL):
        return LOCAL_URL, False
    if answers(CLUSTER_URL):
        return CLUSTER_URL, False
    if not allow_start:
        if _binary("initdb") and _binary("pg_ctl"):
            return "", True
        raise NoServerError(HOW_TO)
    return start_cluster(), True


def with_database(url: str, dbname: str) -> str:
    """``url`` pointing at database ``dbname`` instead."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + dbname, parts.query, parts.fragment))


def create_database(admin_url: str) -> str:
    """Create a uniquely named empty database; return its URL."""
    name = f"trimtab_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"'.encode())
    return with_database(admin_url, name)


def drop_database(admin_url: str, url: str) -> None:
    """Drop the database ``url`` names, closing its sessions first."""
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


def main(argv: list[str]) -> int:
    """``check``: exit 0 when a server answers or can be started, else one line and 1."""
    command = argv[1] if len(argv) > 1 else "check"
    try:
        if command == "check":
            discover(allow_start=False)
        elif command == "stop":
            stop_cluster()
        else:
            print(f"usage: python -m tests.pgserver check|stop (not {command!r})", file=sys.stderr)
            return 2
    except NoServerError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
