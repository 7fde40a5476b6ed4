"""A TinyDB storage that never leaves a torn file behind.

Every write goes to a temporary file in the same folder, is flushed and
``fsync``-ed, then atomically renamed over the real file, and the folder itself
is ``fsync``-ed so the rename survives a power cut. A crash at any moment leaves
either the old file or the new one, never half of one.

Files are written and read with orjson (a full sync writes ~40 MB of thread
documents; the standard library's encoder held the GIL for about a second of it).
What orjson refuses, the standard library does: an integer beyond 64 bits, or a
file that an earlier release wrote with ``NaN`` in it.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

from bot.storage.errors import (
    StorageCorruptError,
    StorageUnavailableError,
    StorageWriteError,
)

TMP_SUFFIX = ".tmp"


class AtomicJSONStorage(Storage):
    """JSON file storage with write-to-temp, fsync, rename."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}  # an empty database: cached, so a missing file is not looked up again
        except OSError as exc:
            raise StorageUnavailableError(f"cannot read {self.path}: {exc.strerror}") from exc
        return parse_collection(self.path, raw)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        payload = encode_collection(data)
        try:
            atomic_write_bytes(self.path, payload)
        except OSError as exc:
            raise StorageWriteError(f"cannot write {self.path}: {exc.strerror or exc}") from exc

    def close(self) -> None:
        """Nothing stays open between writes."""


RESTORE_HINT = (
    "restore it from a backup, or start with `trimtab run --quarantine-corrupt` to move it aside"
)


def encode_collection(data: dict[str, dict[str, Any]]) -> bytes:
    """A collection file's bytes (compact UTF-8 JSON)."""
    try:
        return orjson.dumps(data)
    except TypeError:  # an integer beyond 64 bits
        # Documents reach the cache only as copy_json's trees: no cycle to look for.
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, check_circular=False)
        return text.encode("utf-8")


def parse_collection(path: Path, raw: bytes) -> dict[str, dict[str, Any]]:
    """A collection file's content: ``{table: {key: document}}``, or ``StorageCorruptError``."""
    if not raw.strip():
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:  # NaN, an integer beyond 64 bits, or not JSON at all: the standard library decides
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise StorageCorruptError(f"{path} is not valid JSON; {RESTORE_HINT}") from exc
    shaped = isinstance(data, dict) and all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    )
    if not shaped:
        raise StorageCorruptError(f"{path} does not hold a Trimtab collection; {RESTORE_HINT}")
    return data


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves the old or the new content."""
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":  # directories cannot be opened for fsync on Windows
        return
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


class ExplicitFlushCache(CachingMiddleware):
    """Caching middleware that writes only when told to (``flush()``).

    The store runs several table operations and then flushes once, so a logical
    write (``put_many``, a replace) reaches the disk as one atomic file.
    """

    WRITE_CACHE_SIZE = sys.maxsize
