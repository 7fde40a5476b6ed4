"""Trimtab's storage: a small document-store protocol and its backends.

Public surface::

    DocumentStore      the protocol every backend implements (and domain packages depend on)
    MemoryStore        in-process backend for tests and throwaway runs
    TinyDBStore        the embedded default: TinyDB files in a data dir, crash-safe writes
    open_store()       build the backend the settings ask for

Errors::

    StorageError
     ├── StorageLockedError     another writer holds the data dir
     ├── StorageUnavailableError the data dir cannot be created, read or written
     │    └── StorageCorruptError  a collection file is not valid JSON or wrongly shaped
     └── ReadOnlyStoreError     a write on a store opened read-only
"""

from bot.storage.errors import (
    ReadOnlyStoreError,
    StorageCorruptError,
    StorageError,
    StorageLockedError,
    StorageUnavailableError,
)
from bot.storage.memory import MemoryStore
from bot.storage.protocol import Document, DocumentStore, validate_collection_name
from bot.storage.tinydb_store import TinyDBStore

__all__ = [
    "Document",
    "DocumentStore",
    "MemoryStore",
    "ReadOnlyStoreError",
    "StorageCorruptError",
    "StorageError",
    "StorageLockedError",
    "StorageUnavailableError",
    "TinyDBStore",
    "validate_collection_name",
]
