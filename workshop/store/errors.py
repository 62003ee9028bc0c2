"""What the store refuses, and the storage problems it turns into a message for the person."""

from __future__ import annotations

import sqlite3


class StoreError(ValueError):
    """A request the store refuses; the message is meant for the person."""


class CollectionClosed(StoreError):
    pass


class StorageUnavailable(StoreError):
    """The database cannot be read or written right now (disk full, read-only file...).

    Nothing was changed; the same call may succeed once the disk has room again.
    """


STORAGE_MESSAGE = "The server cannot save right now; your text is kept here. Try again in a moment."
# The SQLite errors that say the file cannot be used, as opposed to a mistake in a query.
_STORAGE_PROBLEMS = ("full", "readonly", "read-only", "unable to open", "disk i/o", "locked",
                     "no space", "malformed", "cannot open")


def _storage_error(error: sqlite3.Error) -> bool:
    return isinstance(error, sqlite3.OperationalError) and any(
        p in str(error).lower() for p in _STORAGE_PROBLEMS
    ) or "malformed" in str(error).lower()


class AnswerConflict(StoreError):
    """The answer changed (another tab or device) since the version the edit started from.

    Nothing was overwritten: the stored text and its version come with the
    error so the page can show both and let the person choose.
    """

    def __init__(self, message: str, stored_text: str, stored_version: int):
        super().__init__(message)
        self.stored_text = stored_text
        self.stored_version = stored_version

