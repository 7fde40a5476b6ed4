"""Storage error hierarchy (drawn in the package docstring)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


class StorageError(Exception):
    """Base class of every storage failure."""


class StorageLockedError(StorageError):
    """Another process already writes to this data dir."""


class StorageUnavailableError(StorageError):
    """The data dir cannot be created, read or written."""


class StorageWriteError(StorageUnavailableError):
    """A write could not be completed (disk full, permissions); nothing was changed."""


class StorageCorruptError(StorageUnavailableError):
    """A collection file is not valid JSON or not shaped like a collection."""


class ReadOnlyStoreError(StorageError):
    """A write was attempted on a store opened read-only."""


@runtime_checkable
class ReportsProblems(Protocol):
    """A backend that remembers storage problems for ``/healthz``."""

    def problems(self) -> list[str]:
        """Human-readable problems found at start or since (newest last)."""
        ...


class ConflictError(StorageError):
    """A conditional write lost: the document changed since it was read."""


class SchemaTooNewError(StorageError):
    """The database schema is newer than this Trimtab knows; upgrade Trimtab first."""
