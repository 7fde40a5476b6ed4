"""The embedded default backend: one TinyDB file per collection in a data dir.

One file per collection keeps each write proportional to its own collection,
so a large adoption collection does not slow down a conversation-reference
write. A process-wide lock file makes this process the only writer of the data
dir; an ``asyncio.Lock`` per collection serialises access inside the process,
and file writes run in a worker thread so the event loop keeps serving turns.

Every collection file is checked when a writer opens the store: a corrupt one stops the
start with its name (or, with ``quarantine=True``, is moved aside and reported by
:meth:`TinyDBStore.problems`). A write that fails drops the collection's cache,
so memory never holds a change the disk lacks.

Document versions (for ``put_if_version``) live in memory: the writer lock makes
this process the only writer, so a version only has to be unique while it runs.
A document not written since the start has version 0.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Callable, Iterable, Mapping
from contextlib import AsyncExitStack
from pathlib import Path
from typing import IO, Any

from tinydb import TinyDB
from tinydb.table import Document as TinyDocument
from tinydb.table import Table

from bot.storage._copy import copy_json
from bot.storage._data_dir import (
    LOCK_FILE,
    check_files,
    prepare,
    release_writer_lock,
    take_writer_lock,
)
from bot.storage._reader import ReaderThread
from bot.storage.atomic_json import AtomicJSONStorage, ExplicitFlushCache
from bot.storage.errors import ConflictError, ReadOnlyStoreError, StorageError
from bot.storage.protocol import Document, validate_collection_name
from bot.storage.update import ChangeByVersion

_TABLE = "docs"

__all__ = ["LARGE_COLLECTION_BYTES", "LOCK_FILE", "TinyDBStore"]


class _KeyedTable(Table):
    """A TinyDB table whose document ids are the store's string keys."""

    document_id_class = str  # type: ignore[assignment]


class _KeyedTinyDB(TinyDB):
    table_class = _KeyedTable


#: Collections whose file is at least this big (a copy of ~5 ms) go to the reader thread.
LARGE_COLLECTION_BYTES = 64 * 1024


class TinyDBStore(ChangeByVersion):
    """A ``DocumentStore`` over TinyDB files under ``data_dir``.

    Use ``await TinyDBStore.open(path)``; ``read_only=True`` skips the writer lock
    (for reports run beside a live service) and refuses writes; ``quarantine=True``
    moves corrupt collection files aside instead of refusing to open.
    """

    reads_ahead = False  # reads are memory lookups: a turn's read-ahead would gain nothing

    def __init__(self, data_dir: Path, *, read_only: bool, lock_handle: IO[str] | None) -> None:
        self.data_dir = data_dir
        self.read_only = read_only
        self._lock_handle = lock_handle
        self._dbs: dict[str, TinyDB] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._quarantined: list[str] = []
        self._write_failures: dict[str, str] = {}
        self._versions: dict[tuple[str, str], int] = {}
        self._next_version = itertools.count(1)
        self._reader = ReaderThread()

    @classmethod
    async def open(
        cls, data_dir: str | os.PathLike[str], *, read_only: bool = False, quarantine: bool = False
    ) -> TinyDBStore:
        """Open (creating when needed) the data dir, take the writer lock, check every file."""
        path = Path(data_dir)
        prepare(path, read_only=read_only)
        handle = None if read_only else take_writer_lock(path)
        store = cls(path, read_only=read_only, lock_handle=handle)
        if read_only:
            # A reader (`trimtab report`) reads few of the files: checking every thread
            # file first took most of a 2,000-team report. A corrupt file it does read
            # still raises StorageCorruptError naming the file.
            return store
        try:
            await asyncio.to_thread(store._check_files, quarantine)
        except StorageError:
            await store.close()
            raise
        return store

    def _check_files(self, quarantine: bool) -> None:
        self._quarantined += check_files(self.data_dir, quarantine=quarantine)

    def problems(self) -> list[str]:
        """Files moved aside at start and collections whose last write failed."""
        return [*self._quarantined, *self._write_failures.values()]

    async def close(self) -> None:
        """Flush nothing (every write is already durable) and release the writer lock."""
        self._reader.close()
        for db in self._dbs.values():
            db.close()
        self._dbs.clear()
        if self._lock_handle is not None:
            release_writer_lock(self._lock_handle)
            self._lock_handle = None

    def _lock(self, collection: str) -> asyncio.Lock:
        return self._locks.setdefault(collection, asyncio.Lock())

    def _table(self, collection: str) -> Table:
        db = self._dbs.get(collection)
        if db is None:
            file = self.data_dir / f"{validate_collection_name(collection)}.json"
            db = _KeyedTinyDB(file, storage=ExplicitFlushCache(AtomicJSONStorage))
            self._dbs[collection] = db
        return db.table(_TABLE, cache_size=0)

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyStoreError(f"store on {self.data_dir} was opened read-only")

    def _flush(self, collection: str) -> None:
        self._dbs[collection].storage.flush()  # type: ignore[attr-defined]

    async def get(self, collection: str, key: str) -> Document | None:
        async with self._lock(collection):
            doc = self._table(collection).get(doc_id=key)  # type: ignore[call-overload]
            return copy_json(dict(doc)) if doc is not None else None

    async def get_many(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], Document | None]:
        return {(c, k): await self.get(c, k) for c, k in dict.fromkeys(keys)}

    async def put(self, collection: str, key: str, doc: Mapping[str, Any]) -> None:
        await self.put_many(collection, {key: doc})

    async def put_many(
        self, collection: str, docs: Mapping[str, Mapping[str, Any]], *, owned: bool = False
    ) -> None:
        self._check_writable()
        if not docs:
            return
        if owned:  # a full sync's thread documents: copying them was a tenth of its CPU
            fresh = {key: dict(doc) for key, doc in docs.items()}
        else:
            fresh = {key: copy_json(dict(doc)) for key, doc in docs.items()}
        async with self._lock(collection):
            await asyncio.to_thread(self._replace, collection, fresh)

    def _replace(self, collection: str, docs: dict[str, Document]) -> None:
        def change(table: Table) -> None:
            existing = [key for key in docs if table.contains(doc_id=key)]  # type: ignore[arg-type]
            if existing:
                table.remove(doc_ids=existing)  # type: ignore[arg-type]
            table.insert_multiple(TinyDocument(doc, doc_id=key) for key, doc in docs.items())  # type: ignore[arg-type]

        self._write(collection, change)
        for key in docs:
            self._versions[(collection, key)] = next(self._next_version)

    def _write(self, collection: str, change: Callable[[Table], None]) -> None:
        """Apply ``change`` and flush; when that fails, forget the cache so memory equals disk."""
        try:
            change(self._table(collection))
            self._flush(collection)
        except Exception as exc:
            self._dbs.pop(collection, None)  # never flushed again; the next read loads the file
            self._write_failures[collection] = f"last write to {collection} failed: {exc}"
            raise
        self._write_failures.pop(collection, None)

    async def insert_if_absent(self, collection: str, key: str, doc: Mapping[str, Any]) -> bool:
        self._check_writable()
        fresh = copy_json(dict(doc))
        async with self._lock(collection):
            if self._table(collection).contains(doc_id=key):  # type: ignore[arg-type]
                return False
            await asyncio.to_thread(self._replace, collection, {key: fresh})
            return True

    async def delete(self, collection: str, key: str) -> bool:
        self._check_writable()
        async with self._lock(collection):
            if not self._table(collection).contains(doc_id=key):  # type: ignore[arg-type]
                return False

            def change(table: Table) -> None:
                table.remove(doc_ids=[key])  # type: ignore[list-item]

            await asyncio.to_thread(self._write, collection, change)
            self._versions[(collection, key)] = next(self._next_version)
            return True

    async def get_versioned(self, collection: str, key: str) -> tuple[Document | None, int | None]:
        async with self._lock(collection):
            doc = self._table(collection).get(doc_id=key)  # type: ignore[call-overload]
            if doc is None:
                return None, None
            return copy_json(dict(doc)), self._versions.get((collection, key), 0)

    async def put_if_version(
        self, collection: str, key: str, doc: Mapping[str, Any], expected_version: int | None
    ) -> int:
        self._check_writable()
        fresh = copy_json(dict(doc))
        async with self._lock(collection):
            present = self._table(collection).contains(doc_id=key)  # type: ignore[arg-type]
            current = self._versions.get((collection, key), 0) if present else None
            if current != expected_version:
                raise ConflictError(f"{collection}/{key} changed (version {current})")
            await asyncio.to_thread(self._replace, collection, {key: fresh})
            return self._versions[(collection, key)]

    async def all(self, collection: str) -> dict[str, Document]:
        async with self._lock(collection):
            # Copying (and, on first use, loading) a large collection is CPU work that
            # /healthz and every turn would wait behind: a worker thread does it. Small
            # ones are copied at once (a thread hop would cost more than the copy).
            if self._file_size(collection) < LARGE_COLLECTION_BYTES:
                return self._all(collection)
            return await self._reader.run(self._all, collection)

    def _file_size(self, collection: str) -> int:
        try:
            return (self.data_dir / f"{validate_collection_name(collection)}.json").stat().st_size
        except OSError:
            return 0

    def _all(self, collection: str) -> dict[str, Document]:
        return {str(doc.doc_id): copy_json(dict(doc)) for doc in self._table(collection)}

    async def read_all(self, collection: str) -> dict[str, Document]:
        """No copy; a collection this store has not opened is parsed from its file and not
        cached, so reading every team's collection once does not keep them all in memory.
        A large file is parsed in the reader thread, as :meth:`all` copies one."""
        async with self._lock(collection):
            if collection in self._dbs or self._file_size(collection) < LARGE_COLLECTION_BYTES:
                return self._read_all(collection)
            return await self._reader.run(self._read_all, collection)

    async def read_all_many(self, collections: Iterable[str]) -> dict[str, dict[str, Document]]:
        """:meth:`read_all` of each, in one trip to the reader thread (2,000 rollup files
        parsed on the event loop held /healthz for seconds); a write waits as for read_all."""
        names = [validate_collection_name(name) for name in dict.fromkeys(collections)]
        if not names:
            return {}
        async with AsyncExitStack() as held:
            for name in sorted(names):  # one order for every batch: two never deadlock
                await held.enter_async_context(self._lock(name))
            return await self._reader.run(lambda: {n: self._read_all(n) for n in names})

    def _read_all(self, collection: str) -> dict[str, Document]:
        db = self._dbs.get(collection)
        if db is not None:  # the cached content: writes replace documents, never edit them
            data = db.storage.read() or {}
            return dict(data.get(_TABLE, {}))
        file = self.data_dir / f"{validate_collection_name(collection)}.json"
        return (AtomicJSONStorage(file).read() or {}).get(_TABLE, {})  # not cached

    async def collections(self) -> list[str]:
        names = {file.stem for file in self.data_dir.glob("*.json")} | set(self._dbs)
        found = []
        for name in sorted(names):
            try:
                validate_collection_name(name)
            except ValueError:
                continue
            if await self.all(name):
                found.append(name)
        return found
