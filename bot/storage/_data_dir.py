"""The TinyDB data dir's housekeeping: created and checked at open, one writer at a time.

A lock file (``trimtab.lock``, holding the writer's pid) makes one process the only
writer; a second one is refused with the holder's pid. Temporary files left by a write a
crash interrupted are removed. Every collection file is parsed when a writer opens the
store: a corrupt one stops the start with its name, or is moved aside (``.corrupt``)
when quarantine was asked for.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from bot.storage.atomic_json import TMP_SUFFIX, parse_collection
from bot.storage.errors import StorageCorruptError, StorageLockedError, StorageUnavailableError

LOCK_FILE = "trimtab.lock"
QUARANTINE_SUFFIX = ".corrupt"

__all__ = ["LOCK_FILE", "check_files", "prepare", "release_writer_lock", "take_writer_lock"]


def prepare(path: Path, *, read_only: bool) -> None:
    """Create the data dir when needed, remove interrupted writes' leftovers and check access."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        for leftover in path.glob(f".*{TMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)  # a write interrupted by a crash
    except OSError as exc:
        raise StorageUnavailableError(f"cannot use data dir {path}: {exc.strerror}") from exc
    if not os.access(path, os.R_OK | (0 if read_only else os.W_OK)):
        raise StorageUnavailableError(f"data dir {path} is not readable and writable")


def check_files(data_dir: Path, *, quarantine: bool) -> list[str]:
    """Parse every collection file; a corrupt one raises, or with ``quarantine`` is moved
    aside. Returns what was moved, one line each."""
    moved = []
    for file in sorted(data_dir.glob("*.json")):
        try:
            parse_collection(file, file.read_bytes())
        except OSError as exc:
            raise StorageUnavailableError(f"cannot read {file}: {exc.strerror}") from exc
        except StorageCorruptError:
            if not quarantine:
                raise
            target = _free_name(file.with_name(file.name + QUARANTINE_SUFFIX))
            file.rename(target)
            moved.append(f"{file} was corrupt and was moved to {target}")
    return moved


def _free_name(target: Path) -> Path:
    candidate, number = target, 1
    while candidate.exists():
        number += 1
        candidate = target.with_name(f"{target.name}-{number}")
    return candidate


def take_writer_lock(path: Path) -> IO[str]:
    """Hold the data dir's lock file (with this pid in it), or raise ``StorageLockedError``."""
    lock_file = path / LOCK_FILE
    try:
        handle = open(lock_file, "a+", encoding="utf-8")  # noqa: SIM115 - held open while running
    except OSError as exc:
        raise StorageUnavailableError(
            f"cannot open the lock file {lock_file}: {exc.strerror or exc}"
        ) from exc
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise StorageLockedError(
            f"another Trimtab process (pid {holder}) is already using the data dir {path}; "
            "stop it first or set TRIMTAB_DATA_DIR to another folder"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def release_writer_lock(handle: IO[str]) -> None:
    """Let another process write the data dir."""
    fcntl.flock(handle, fcntl.LOCK_UN)
    handle.close()
