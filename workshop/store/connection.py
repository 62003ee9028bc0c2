"""The store's connections: one short-lived connection per operation, WAL, writes that lock before
they read, and `atomic()` blocks that share one transaction (decision 1 in docs/decisions.md)."""

from __future__ import annotations

import secrets
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlite_utils

from workshop.store.errors import STORAGE_MESSAGE, StorageUnavailable, StoreError, _storage_error
from workshop.store.rows import _create_private

BUSY_TIMEOUT_SECONDS = 30


class StoreBase:
    """Connections, transactions and the schema; the other parts of Store build on these."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._local = threading.local()  # the connection of an atomic() block, per thread
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _create_private(self.path)
        except OSError as error:
            raise StorageUnavailable(STORAGE_MESSAGE) from error
        with self._db() as db:
            db.conn.execute("PRAGMA journal_mode=WAL")
            self._create_tables(db)
        # One connection held open for the store's life, never used: when the
        # last connection to a WAL database closes, SQLite checkpoints and
        # deletes the WAL, so every short-lived connection of a quiet moment
        # paid ~20 ms for that on close; with this one open a save takes ~3 ms
        # (benchmarks/server_load.py). Checkpoints still run as the WAL grows.
        self._keep_open: sqlite3.Connection | None = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None)
        self._keep_open.execute("PRAGMA schema_version").fetchone()

    def close(self) -> None:
        """Let go of the connection held open for speed (the file is then not open between calls)."""
        if self._keep_open is not None:
            self._keep_open.close()
            self._keep_open = None

    # -- connections -------------------------------------------------------

    @contextmanager
    def _db(self) -> Iterator[sqlite_utils.Database]:
        shared = getattr(self._local, "db", None)
        if shared is not None:  # inside atomic(): one connection, one transaction
            yield shared
            return
        try:
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
            )
        except sqlite3.Error as error:
            raise StorageUnavailable(STORAGE_MESSAGE) from error
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
            # In WAL mode NORMAL still survives a killed process (tests/workshop/
            # test_restart.py, tests/e2e/test_server_restart.py); only a power cut
            # may lose the last moments. It saves an fsync per commit, which is
            # what 60 people joining in the same second wait for.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            yield sqlite_utils.Database(conn)
        except sqlite3.Error as error:
            if _storage_error(error):
                raise StorageUnavailable(STORAGE_MESSAGE) from error
            raise
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite_utils.Database]:
        """A transaction that takes the write lock before it reads.

        Inside atomic() it is a savepoint of the block's transaction instead
        (the technique of sqlite-utils' Database.atomic()).
        """
        with self._db() as db:
            nested = getattr(self._local, "db", None) is db
            if nested and not db.conn.in_transaction:
                # SQLite itself ended the block's transaction (a full disk does):
                # writing on would commit piecemeal.
                raise StorageUnavailable(STORAGE_MESSAGE)
            savepoint = f"write_{secrets.token_hex(8)}"
            db.conn.execute(f"SAVEPOINT {savepoint}" if nested else "BEGIN IMMEDIATE")

            def undo() -> None:
                # A full disk can end the transaction by itself; then there is nothing to undo.
                if db.conn.in_transaction:
                    if nested:
                        db.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                        db.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                    else:
                        db.conn.execute("ROLLBACK")

            try:
                yield db
            except sqlite3.IntegrityError as error:
                undo()
                # Another tab deleted the session (or participant) this write
                # refers to: say so instead of showing a database error.
                if "FOREIGN KEY" in str(error):
                    raise StoreError("That session no longer exists.") from error
                raise
            except BaseException:
                undo()
                raise
            else:
                if not db.conn.in_transaction:
                    raise StorageUnavailable(STORAGE_MESSAGE)
                db.conn.execute(f"RELEASE SAVEPOINT {savepoint}" if nested else "COMMIT")

    def ensure_tables(self, name: str, statements) -> None:
        """Create a module's own tables once per store (statement by statement: a script would commit)."""
        done = self.__dict__.setdefault("_tables_made", set())
        if name in done:
            return
        with self._db() as db:
            for statement in statements:
                db.conn.execute(statement)
        done.add(name)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Every store call in the block, on this thread, as one transaction.

        All of it is written or none of it: an exception undoes the block, and
        a killed process leaves nothing of it. Blocks nest (savepoints). The
        write lock is held for the whole block, so keep it to writing.
        """
        if getattr(self._local, "db", None) is not None:
            with self._write():
                yield
            return
        with self._db() as db:
            db.conn.execute("BEGIN IMMEDIATE")
            self._local.db = db
            try:
                yield
            except BaseException:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                raise
            else:
                if not db.conn.in_transaction:
                    raise StorageUnavailable(STORAGE_MESSAGE)
                db.conn.execute("COMMIT")
            finally:
                self._local.db = None

    def _create_tables(self, db: sqlite_utils.Database) -> None:
        db.conn.executescript(
            """
            CREATE TABLE IF NOT EXISTS sessions (
                id TEXT PRIMARY KEY,
                title TEXT NOT NULL,
                company TEXT NOT NULL DEFAULT '',
                facilitator TEXT NOT NULL DEFAULT '',
                brief TEXT NOT NULL DEFAULT '',
                functions TEXT NOT NULL,
                prompts TEXT NOT NULL,
                join_code TEXT NOT NULL UNIQUE,
                facilitator_key TEXT NOT NULL,
                collection_open INTEGER NOT NULL DEFAULT 1,
                revealed INTEGER NOT NULL DEFAULT 0,
                show_names INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS participants (
                id INTEGER PRIMARY KEY,
                session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                function TEXT NOT NULL,
                token TEXT NOT NULL UNIQUE,
                joined_at TEXT NOT NULL,
                submitted_at TEXT
            );
            CREATE INDEX IF NOT EXISTS participants_session ON participants(session_id);
            CREATE TABLE IF NOT EXISTS answers (
                participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
                dimension TEXT NOT NULL,
                text TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                version INTEGER NOT NULL DEFAULT 1,
                PRIMARY KEY (participant_id, dimension)
            );
            CREATE TABLE IF NOT EXISTS decisions (
                session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                dimension TEXT NOT NULL,
                theme TEXT NOT NULL,
                choice TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                side TEXT NOT NULL DEFAULT '',
                updated_at TEXT NOT NULL,
                PRIMARY KEY (session_id, dimension, theme)
            );
            CREATE TABLE IF NOT EXISTS actions (
                id INTEGER PRIMARY KEY,
                session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                what TEXT NOT NULL,
                owner TEXT NOT NULL DEFAULT '',
                due TEXT NOT NULL DEFAULT '',
                done INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS session_state (
                session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (session_id, key)
            );
            CREATE TABLE IF NOT EXISTS state_versions (
                session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                version INTEGER NOT NULL,
                PRIMARY KEY (session_id, key)
            );
            CREATE TABLE IF NOT EXISTS settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            """
        )
        # Databases made before answers had versions get the column.
        columns = {row[1] for row in db.conn.execute("PRAGMA table_info(answers)")}
        if "version" not in columns:
            db.conn.execute("ALTER TABLE answers ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
