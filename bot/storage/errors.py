"""Storage error hierarchy (drawn in the package docstring)."""


class StorageError(Exception):
    """Base class of every storage failure."""


class StorageLockedError(StorageError):
    """Another process already writes to this data dir."""


class StorageUnavailableError(StorageError):
    """The data dir cannot be created, read or written."""


class ReadOnlyStoreError(StorageError):
    """A write was attempted on a store opened read-only."""


class ConflictError(StorageError):
    """A conditional write lost: the document changed since it was read."""


class SchemaTooNewError(StorageError):
    """The database schema is newer than this Trimtab knows; upgrade Trimtab first."""
