"""SQLite storage for sessions, participants, answers, decisions and actions.

One short-lived connection per operation, so that 60 laptops submitting in
the same minute, a second browser tab and a killed server process all see one
consistent file: WAL lets readers proceed while one writer writes, the busy
timeout makes writers queue instead of failing with "database is locked", and
every read-then-write runs inside BEGIN IMMEDIATE so two writers never act on
the same stale read.

A change made of many writes (an import, a restore, the demo) runs inside
`atomic()`: every store call in the block shares one transaction, so a
failure or a killed process leaves nothing of it behind. Every text is
cleaned on the way in (`workshop.text.clean`), and a database that cannot be
written (disk full, read-only file) raises StorageUnavailable with a message
for the person instead of a database error.
"""

from __future__ import annotations

from workshop.store.answers import AnswerStore
from workshop.store.connection import BUSY_TIMEOUT_SECONDS, StoreBase
from workshop.store.errors import (
    STORAGE_MESSAGE,
    AnswerConflict,
    CollectionClosed,
    StorageUnavailable,
    StoreError,
)
from workshop.store.reset import ResetStore
from workshop.store.rows import next_version, now
from workshop.store.sessions import SessionStore
from workshop.store.state import StateStore

__all__ = [
    "BUSY_TIMEOUT_SECONDS", "STORAGE_MESSAGE", "AnswerConflict", "CollectionClosed",
    "StorageUnavailable", "Store", "StoreError", "next_version", "now",
]


class Store(StoreBase, SessionStore, AnswerStore, ResetStore, StateStore):
    """All persistence for Brief Reset. Safe to share between threads.

    One class made of parts, one module each: connections and transactions
    (connection.py), sessions and participants (sessions.py), answers
    (answers.py), decisions and actions (reset.py), per-session state (state.py).
    """
