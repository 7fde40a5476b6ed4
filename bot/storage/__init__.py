"""Trimtab's storage: a small document-store protocol and its backends.

Public surface::

    DocumentStore      the protocol every backend implements (and domain packages depend on)
    MemoryStore        in-process backend for tests and throwaway runs
    TinyDBStore        the embedded default: TinyDB files in a data dir, crash-safe writes
    PostgresStore      the production backend (bot.storage.postgres; loads psycopg)
    open_store()       build the backend the environment asks for (TRIMTAB_DATABASE_URL)
    update()           safe read-modify-write of one document (conditional write, retried)

Errors::

    StorageError
     ├── StorageLockedError      another writer holds the data dir
     ├── StorageUnavailableError the data dir or the database cannot be reached, read or written
     │    ├── StorageWriteError    a write could not be completed; nothing was changed
     │    └── StorageCorruptError  a collection file is not valid JSON or wrongly shaped
     ├── ReadOnlyStoreError      a write on a store opened read-only
     ├── ConflictError           a conditional write lost (the document changed)
     └── SchemaTooNewError       the database schema is newer than this code
"""

from bot.storage.errors import (
    ConflictError,
    ReadOnlyStoreError,
    SchemaTooNewError,
    StorageCorruptError,
    StorageError,
    StorageLockedError,
    StorageUnavailableError,
    StorageWriteError,
)
from bot.storage.factory import open_store
from bot.storage.memory import MemoryStore
from bot.storage.protocol import Document, DocumentStore, validate_collection_name
from bot.storage.tinydb_store import TinyDBStore
from bot.storage.update import update

__all__ = [
    "ConflictError",
    "Document",
    "DocumentStore",
    "MemoryStore",
    "ReadOnlyStoreError",
    "SchemaTooNewError",
    "StorageCorruptError",
    "StorageError",
    "StorageLockedError",
    "StorageUnavailableError",
    "StorageWriteError",
    "TinyDBStore",
    "open_store",
    "update",
    "validate_collection_name",
]
