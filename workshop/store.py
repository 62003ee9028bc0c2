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

import json
import os
import secrets
import sqlite3
import threading
import time
import unicodedata
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from workshop import settings
from workshop.codes import new_join_code, new_key, new_session_id, normalise_code
from workshop.text import clean, clean_json, clean_line
from workshop.models import (
    DECISION_CHOICES,
    DEFAULT_FUNCTIONS,
    DEFAULT_PROMPTS,
    MAX_ANSWER_CHARS,
    MAX_BRIEF_CHARS,
    MAX_NAME_CHARS,
    Action,
    Answer,
    Decision,
    Participant,
    Progress,
    Prompt,
    Session,
)

BUSY_TIMEOUT_SECONDS = 30


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


def next_version(previous: int = 0) -> int:
    """A version number later than `previous` and than any number handed out before.

    Nanoseconds of the clock, so an answer deleted and written again never
    gets back a version an old tab still holds.
    """
    return max(time.time_ns(), previous + 1)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """All persistence for Brief Reset. Safe to share between threads."""

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

    # -- install-wide settings --------------------------------------------

    def admin_key(self) -> str:
        """The key to the facilitator home (session list, create, import).

        Made once per installation; BRIEF_RESET_ADMIN_KEY overrides it.
        """
        override = settings.admin_key_override()
        if override:
            return override
        with self._write() as db:
            row = db.conn.execute(
                "SELECT value FROM settings WHERE key='admin_key'"
            ).fetchone()
            if row:
                return row[0]
            key = secrets.token_urlsafe(12)
            db.conn.execute(
                "INSERT INTO settings(key, value) VALUES ('admin_key', ?)", (key,)
            )
            return key

    # -- sessions ----------------------------------------------------------

    def create_session(
        self,
        title: str,
        company: str = "",
        brief: str = "",
        functions: list[str] | tuple[str, ...] = DEFAULT_FUNCTIONS,
        prompts: list[Prompt] | tuple[Prompt, ...] = DEFAULT_PROMPTS,
        facilitator: str = "",
        session_id: str | None = None,
        join_code: str | None = None,
        facilitator_key: str | None = None,
        created_at: str | None = None,
    ) -> Session:
        """Create a session. The optional ids exist for restoring a backup."""
        title = clean_line(title)
        brief = clean(brief)
        if not title:
            raise StoreError("Give the session a title.")
        if len(brief or "") > MAX_BRIEF_CHARS:
            raise StoreError(
                f"The brief is {len(brief):,} characters; the limit is "
                f"{MAX_BRIEF_CHARS:,}. Paste the buyer part of it."
            )
        functions = _clean_functions(functions)
        prompts = _clean_prompts(prompts)
        if not prompts:
            raise StoreError("A session needs at least one prompt.")
        if len({p.key for p in prompts}) != len(prompts):
            raise StoreError("Two prompts have the same key.")
        with self._write() as db:
            sid = session_id or _unused(db, "sessions", "id", new_session_id)
            if session_id and _exists(db, "sessions", "id", session_id):
                raise StoreError(f"A session with id {session_id} already exists.")
            code = join_code or _unused(db, "sessions", "join_code", new_join_code)
            if join_code and _exists(db, "sessions", "join_code", join_code):
                code = _unused(db, "sessions", "join_code", new_join_code)
            row = {
                "id": sid,
                "title": title,
                "company": clean_line(company),
                "facilitator": clean_line(facilitator),
                "brief": brief.strip(),
                "functions": json.dumps(functions),
                "prompts": json.dumps([p.__dict__ for p in prompts]),
                "join_code": code,
                "facilitator_key": facilitator_key or new_key(),
                "collection_open": 1,
                "revealed": 0,
                "show_names": 0,
                "created_at": created_at or now(),
            }
            db["sessions"].insert(row)
        return _session(row)

    def get_session(self, session_id: str) -> Session | None:
        with self._db() as db:
            rows = list(db["sessions"].rows_where("id = ?", [session_id]))
        return _session(rows[0]) if rows else None

    def get_session_by_code(self, code: str) -> Session | None:
        code = normalise_code(code)
        if not code:
            return None
        with self._db() as db:
            rows = list(db["sessions"].rows_where("join_code = ?", [code]))
        return _session(rows[0]) if rows else None

    def facilitator_session(self, session_id: str, key: str) -> Session | None:
        """The session, only if `key` is its facilitator key."""
        session = self.get_session(session_id or "")
        if session and key and secrets.compare_digest(session.facilitator_key, key):
            return session
        return None

    def list_sessions(self) -> list[Session]:
        with self._db() as db:
            rows = db["sessions"].rows_where(order_by="created_at desc, id")
            return [_session(r) for r in rows]

    def update_session(self, session_id: str, **fields: Any) -> Session:
        """Change title, company, facilitator, brief, functions, prompts or flags."""
        allowed = {
            "title", "company", "facilitator", "brief", "functions", "prompts",
            "collection_open", "revealed", "show_names",
        }
        unknown = set(fields) - allowed
        if unknown:
            raise StoreError(f"Cannot change {', '.join(sorted(unknown))}.")
        if "brief" in fields:
            fields["brief"] = clean(fields["brief"])
            if len(fields["brief"]) > MAX_BRIEF_CHARS:
                raise StoreError(f"The brief is longer than {MAX_BRIEF_CHARS:,} characters.")
        for name in ("title", "company", "facilitator"):
            if name in fields:
                fields[name] = clean_line(fields[name])
        if "title" in fields and not fields["title"]:
            raise StoreError("Give the session a title.")
        row: dict[str, Any] = {}
        for name, value in fields.items():
            if name == "functions":
                value = json.dumps(_clean_functions(value))
            elif name == "prompts":
                value = json.dumps([p.__dict__ for p in _clean_prompts(value)])
            elif name in ("collection_open", "revealed", "show_names"):
                value = int(bool(value))
            elif isinstance(value, str):
                value = value.strip()
            row[name] = value
        with self._write() as db:
            if not _exists(db, "sessions", "id", session_id):
                raise StoreError("That session no longer exists.")
            if row:
                db["sessions"].update(session_id, row)
        return self.get_session(session_id)  # type: ignore[return-value]

    def set_collection_open(self, session_id: str, is_open: bool) -> Session:
        return self.update_session(session_id, collection_open=is_open)

    def delete_session(self, session_id: str) -> None:
        with self._write() as db:
            db.conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    # -- participants -----------------------------------------------------

    def join(self, session_id: str, name: str, function: str) -> Participant:
        """Add a participant. Two people may share a name; tokens tell them apart."""
        # Control characters (a pasted bell, a stray NUL) and bidi overrides never
        # belong in a name, and a name of only invisible characters would show
        # as a blank in the lobby.
        name = clean_line(name)
        function = clean_line(function).lower()
        if not _visible(name):
            raise StoreError("Choose a display name.")
        if len(name) > MAX_NAME_CHARS:
            raise StoreError(f"Keep the name under {MAX_NAME_CHARS} characters.")
        with self._write() as db:
            session = _session_row(db, session_id)
            if session is None:
                raise StoreError("That session no longer exists.")
            if function not in json.loads(session["functions"]):
                raise StoreError(f"This session does not invite '{function}'.")
            if not session["collection_open"]:
                raise CollectionClosed(
                    "The facilitator has closed collection for this session."
                )
            row = {
                "session_id": session_id,
                "name": name,
                "function": function,
                "token": new_key(),
                "joined_at": now(),
                "submitted_at": None,
            }
            row["id"] = db["participants"].insert(row).last_pk
        return Participant(**row)

    def add_participant(
        self, session_id: str, name: str, function: str, token: str | None = None,
        joined_at: str | None = None, submitted_at: str | None = None,
    ) -> Participant:
        """Add a participant whatever the session's state (imports, restores)."""
        with self._write() as db:
            row = {
                "session_id": session_id,
                "name": clean_line(name),
                "function": clean_line(function).lower(),
                "token": token or new_key(),
                "joined_at": joined_at or now(),
                "submitted_at": submitted_at,
            }
            row["id"] = db["participants"].insert(row).last_pk
        return Participant(**row)

    def participant_by_token(self, token: str) -> Participant | None:
        if not token:
            return None
        with self._db() as db:
            rows = list(db["participants"].rows_where("token = ?", [token]))
        return Participant(**rows[0]) if rows else None

    def participants(self, session_id: str) -> list[Participant]:
        with self._db() as db:
            rows = db["participants"].rows_where(
                "session_id = ?", [session_id], order_by="id"
            )
            return [Participant(**r) for r in rows]

    def mark_submitted(self, token: str, submitted: bool = True) -> Participant:
        with self._write() as db:
            p = _participant_row(db, token)
            session = _session_row(db, p["session_id"])
            if not session["collection_open"]:
                raise CollectionClosed("Collection is closed; your answers are final.")
            db["participants"].update(p["id"], {"submitted_at": now() if submitted else None})
        return self.participant_by_token(token)  # type: ignore[return-value]

    # -- answers ----------------------------------------------------------

    def save_answer(
        self, token: str, dimension: str, text: str, base_version: int | None = None,
    ) -> Answer | None:
        """Store one participant's answer; an empty answer removes it.

        Only the participant holding `token` can write, and only while the
        session collects answers. With `base_version` (the version the edit
        started from, 0 for no answer yet) a save is refused with
        AnswerConflict when another tab or device saved a different text since,
        instead of overwriting it silently.
        """
        text = clean(text).strip()
        if not _visible(text):
            text = ""  # only zero-width or control characters: nothing was said
        if len(text) > MAX_ANSWER_CHARS:
            raise StoreError(
                f"That answer is {len(text):,} characters; the limit is "
                f"{MAX_ANSWER_CHARS:,}. Keep the main points."
            )
        with self._write() as db:
            p = _participant_row(db, token)
            session = _session_row(db, p["session_id"])
            keys = [pr["key"] for pr in json.loads(session["prompts"])]
            if dimension not in keys:
                raise StoreError(f"This session has no prompt '{dimension}'.")
            if not session["collection_open"]:
                raise CollectionClosed(
                    "The facilitator has closed collection; your answers are final."
                )
            current = db.conn.execute(
                "SELECT text, version FROM answers WHERE participant_id = ? AND dimension = ?",
                (p["id"], dimension),
            ).fetchone()
            stored_text, stored_version = current if current else ("", 0)
            if base_version is not None and base_version != stored_version and stored_text != text:
                raise AnswerConflict(
                    "This answer was changed in another tab or on another device "
                    "while you were writing here.",
                    stored_text, stored_version,
                )
            if not text:
                db.conn.execute(
                    "DELETE FROM answers WHERE participant_id = ? AND dimension = ?",
                    (p["id"], dimension),
                )
                return None
            row = {
                "participant_id": p["id"],
                "dimension": dimension,
                "text": text,
                "updated_at": now(),
                "version": stored_version if stored_text == text else next_version(stored_version),
            }
            _upsert(db, "answers", row, ("participant_id", "dimension"))
        return Answer(p["name"], p["function"], dimension, text, p["id"], row["updated_at"],
                      row["version"])

    def put_answer(
        self, participant_id: int, dimension: str, text: str, updated_at: str | None = None,
    ) -> None:
        """Store an answer whatever the session's state (imports, restores)."""
        with self._write() as db:
            _upsert(db, "answers",
                    {"participant_id": participant_id, "dimension": dimension,
                     "text": clean(text), "updated_at": updated_at or now(), "version": next_version()},
                    ("participant_id", "dimension"))

    def own_answers(self, token: str) -> dict[str, str]:
        """The answers of the participant holding `token`, by prompt key."""
        with self._db() as db:
            rows = db.conn.execute(
                "SELECT a.dimension, a.text FROM answers a "
                "JOIN participants p ON p.id = a.participant_id WHERE p.token = ?",
                (token,),
            ).fetchall()
        return {dim: text for dim, text in rows}

    def own_answer_versions(self, token: str) -> dict[str, tuple[str, int]]:
        """Like own_answers, with each answer's version: {prompt key: (text, version)}."""
        with self._db() as db:
            rows = db.conn.execute(
                "SELECT a.dimension, a.text, a.version FROM answers a "
                "JOIN participants p ON p.id = a.participant_id WHERE p.token = ?",
                (token,),
            ).fetchall()
        return {dim: (text, version) for dim, text, version in rows}

    def collection_is_open(self, session_id: str) -> bool | None:
        """One flag, read cheaply for pages that ask every few seconds; None if no such session."""
        with self._db() as db:
            row = db.conn.execute(
                "SELECT collection_open FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
        return bool(row[0]) if row else None

    def answers(self, session_id: str) -> list[Answer]:
        """Every answer of a session: for the facilitator and the analysis only."""
        with self._db() as db:
            rows = db.conn.execute(
                "SELECT p.name, p.function, a.dimension, a.text, p.id, a.updated_at "
                "FROM answers a JOIN participants p ON p.id = a.participant_id "
                "WHERE p.session_id = ? ORDER BY p.id, a.dimension",
                (session_id,),
            ).fetchall()
        return [Answer(*r) for r in rows]

    def progress(self, session_id: str) -> Progress:
        """Counts for the lobby. Reads no answer text."""
        session = self.get_session(session_id)
        functions = session.functions if session else []
        people = self.participants(session_id)
        with self._db() as db:
            rows = db.conn.execute(
                "SELECT a.dimension, COUNT(*) FROM answers a "
                "JOIN participants p ON p.id = a.participant_id "
                "WHERE p.session_id = ? GROUP BY a.dimension",
                (session_id,),
            ).fetchall()
        answered = {k: 0 for k in (session.dimension_keys if session else [])}
        answered.update({dim: n for dim, n in rows if dim in answered})
        return Progress(
            joined={f: sum(p.function == f for p in people) for f in functions},
            submitted={f: sum(p.function == f and p.submitted for p in people) for f in functions},
            answered=answered,
            names={f: [p.name for p in people if p.function == f] for f in functions},
            total_joined=len(people),
        )

    # -- decisions --------------------------------------------------------

    def save_decision(
        self, session_id: str, dimension: str, theme: str, choice: str,
        note: str = "", side: str = "", updated_at: str | None = None,
    ) -> Decision:
        if choice not in DECISION_CHOICES:
            raise StoreError(f"A decision is one of {', '.join(DECISION_CHOICES)}.")
        row = {
            "session_id": session_id, "dimension": dimension, "theme": clean(theme),
            "choice": choice, "note": clean(note).strip(), "side": side,
            "updated_at": updated_at or now(),
        }
        with self._write() as db:
            _upsert(db, "decisions", row, ("session_id", "dimension", "theme"))
        return Decision(**row)

    def delete_decision(self, session_id: str, dimension: str, theme: str) -> None:
        with self._write() as db:
            db.conn.execute(
                "DELETE FROM decisions WHERE session_id=? AND dimension=? AND theme=?",
                (session_id, dimension, theme),
            )

    def decisions(self, session_id: str) -> list[Decision]:
        with self._db() as db:
            rows = db["decisions"].rows_where(
                "session_id = ?", [session_id], order_by="dimension, theme"
            )
            return [Decision(**r) for r in rows]

    # -- actions ----------------------------------------------------------

    def add_action(
        self, session_id: str, what: str, owner: str = "", due: str = "",
        done: bool = False, created_at: str | None = None,
    ) -> Action:
        what = clean_line(what)
        if not what:
            raise StoreError("Say what the action is.")
        row = {
            "session_id": session_id, "what": what, "owner": clean_line(owner),
            "due": clean_line(due), "done": int(done), "created_at": created_at or now(),
        }
        with self._write() as db:
            row["id"] = db["actions"].insert(row).last_pk
        return _action(row)

    def update_action(self, action_id: int, **fields: Any) -> None:
        allowed = {"what", "owner", "due", "done"}
        if set(fields) - allowed:
            raise StoreError("Unknown action field.")
        if "done" in fields:
            fields["done"] = int(bool(fields["done"]))
        for name in ("what", "owner", "due"):
            if name in fields:
                fields[name] = clean_line(fields[name])
        with self._write() as db:
            if not _exists(db, "actions", "id", action_id):
                raise StoreError("That action no longer exists.")
            db["actions"].update(action_id, fields)

    def delete_action(self, action_id: int) -> None:
        with self._write() as db:
            db.conn.execute("DELETE FROM actions WHERE id = ?", (action_id,))

    def actions(self, session_id: str) -> list[Action]:
        with self._db() as db:
            rows = db["actions"].rows_where("session_id = ?", [session_id], order_by="id")
            return [_action(r) for r in rows]

    # -- per-session state (agenda step, timers, scorecard, reset brief, analysis) --

    def get_state(self, session_id: str, key: str, default: Any = None) -> Any:
        """A JSON value stored for the session under `key`."""
        with self._db() as db:
            row = db.conn.execute(
                "SELECT value FROM session_state WHERE session_id=? AND key=?",
                (session_id, key),
            ).fetchone()
        return json.loads(row[0]) if row else default

    def set_state(
        self, session_id: str, key: str, value: Any, updated_at: str | None = None,
    ) -> None:
        with self._write() as db:
            _upsert(db, "session_state",
                    {"session_id": session_id, "key": key,
                     "value": json.dumps(clean_json(value)), "updated_at": updated_at or now()},
                    ("session_id", "key"))
            _bump_version(db, session_id, key)

    def append_state(self, session_id: str, key: str, item: Any) -> None:
        """Append `item` to the JSON list stored under `key`, under the write lock (two tabs never lose one)."""
        with self._write() as db:
            row = db.conn.execute(
                "SELECT value FROM session_state WHERE session_id=? AND key=?", (session_id, key)
            ).fetchone()
            items = json.loads(row[0]) if row else []
            items = (items if isinstance(items, list) else []) + [clean_json(item)]
            _upsert(db, "session_state",
                    {"session_id": session_id, "key": key, "value": json.dumps(items), "updated_at": now()},
                    ("session_id", "key"))
            _bump_version(db, session_id, key)

    def remove_from_state(self, session_id: str, key: str, matches) -> None:
        """Drop the items of the JSON list under `key` for which `matches(item)` is true, under the write lock."""
        with self._write() as db:
            row = db.conn.execute(
                "SELECT value FROM session_state WHERE session_id=? AND key=?", (session_id, key)
            ).fetchone()
            if not row:
                return
            items = json.loads(row[0])
            kept = [item for item in (items if isinstance(items, list) else []) if not matches(item)]
            db.conn.execute(
                "UPDATE session_state SET value=?, updated_at=? WHERE session_id=? AND key=?",
                (json.dumps(kept), now(), session_id, key),
            )
            _bump_version(db, session_id, key)

    # Two facilitator tabs edit the same things. Every write of a state value
    # raises its version, so a tab can tell that someone else wrote since it
    # read (and merge or warn), and can notice within seconds that it should
    # show what the other tab did.

    def get_state_versioned(self, session_id: str, key: str, default: Any = None) -> tuple[Any, int]:
        """The value stored under `key` and its version (0: never written)."""
        with self._db() as db:
            row = db.conn.execute(
                "SELECT s.value, COALESCE(v.version, 0) FROM session_state s "
                "LEFT JOIN state_versions v ON v.session_id = s.session_id AND v.key = s.key "
                "WHERE s.session_id=? AND s.key=?",
                (session_id, key),
            ).fetchone()
        return (json.loads(row[0]), row[1]) if row else (default, 0)

    def set_state_if(self, session_id: str, key: str, value: Any, version: int) -> int | None:
        """Store `value` only if `key` is still at `version`; the new version, or None if it moved on."""
        with self._write() as db:
            row = db.conn.execute(
                "SELECT version FROM state_versions WHERE session_id=? AND key=?", (session_id, key)
            ).fetchone()
            if (row[0] if row else 0) != version:
                return None
            _upsert(db, "session_state",
                    {"session_id": session_id, "key": key,
                     "value": json.dumps(clean_json(value)), "updated_at": now()},
                    ("session_id", "key"))
            return _bump_version(db, session_id, key)

    def state_versions(self, session_id: str) -> dict[str, int]:
        """The version of every state value of the session: a cheap 'did anything change?'."""
        with self._db() as db:
            rows = db.conn.execute(
                "SELECT key, version FROM state_versions WHERE session_id=? ORDER BY key", (session_id,)
            ).fetchall()
        return dict(rows)

    def all_state(self, session_id: str) -> dict[str, Any]:
        return {k: v for k, (v, _) in self.all_state_with_times(session_id).items()}

    def all_state_with_times(self, session_id: str) -> dict[str, tuple[Any, str]]:
        """Every state value with the time it was last written (for backups)."""
        with self._db() as db:
            rows = db.conn.execute(
                "SELECT key, value, updated_at FROM session_state WHERE session_id=? ORDER BY key",
                (session_id,),
            ).fetchall()
        return {k: (json.loads(v), t) for k, v, t in rows}


# -- row helpers ------------------------------------------------------------


def _bump_version(db: sqlite_utils.Database, session_id: str, key: str) -> int:
    db.conn.execute(
        "INSERT INTO state_versions(session_id, key, version) VALUES (?, ?, 1) "
        "ON CONFLICT(session_id, key) DO UPDATE SET version = version + 1",
        (session_id, key),
    )
    return db.conn.execute(
        "SELECT version FROM state_versions WHERE session_id=? AND key=?", (session_id, key)
    ).fetchone()[0]


_INVISIBLE = {"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"}


def _visible(text: str) -> bool:
    """True if the text has a character that shows (not space, control or zero-width)."""
    return any(unicodedata.category(ch) not in _INVISIBLE for ch in text)


def _create_private(path: Path) -> None:
    """The database file, readable by this user only (answers are private).

    SQLite gives its -wal and -shm files the database file's permissions.
    """
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    except OSError:
        pass  # someone else's file: leave its permissions to them


def _clean_prompts(prompts) -> list[Prompt]:
    return [Prompt(clean_line(p.key), clean_line(p.text), clean(p.example)) for p in prompts]


def _clean_functions(functions) -> list[str]:
    cleaned: list[str] = []
    for f in functions:
        f = clean_line(str(f)).lower()
        if f and f not in cleaned:
            cleaned.append(f)
    for required in DEFAULT_FUNCTIONS:
        if required not in cleaned:
            raise StoreError("Sales and marketing always take part.")
    return cleaned


def _session(row: dict) -> Session:
    return Session(
        id=row["id"],
        title=row["title"],
        company=row["company"],
        facilitator=row["facilitator"],
        brief=row["brief"],
        functions=json.loads(row["functions"]),
        prompts=[Prompt(**p) for p in json.loads(row["prompts"])],
        join_code=row["join_code"],
        facilitator_key=row["facilitator_key"],
        collection_open=bool(row["collection_open"]),
        revealed=bool(row["revealed"]),
        show_names=bool(row["show_names"]),
        created_at=row["created_at"],
    )


def _action(row: dict) -> Action:
    return Action(**{**row, "done": bool(row["done"])})


def _session_row(db: sqlite_utils.Database, session_id: str) -> dict | None:
    rows = list(db["sessions"].rows_where("id = ?", [session_id]))
    return rows[0] if rows else None


def _participant_row(db: sqlite_utils.Database, token: str) -> dict:
    rows = list(db["participants"].rows_where("token = ?", [token or ""]))
    if not rows:
        raise StoreError("This personal link is not valid (any more). Join again with the code.")
    return rows[0]


def _upsert(db: sqlite_utils.Database, table: str, row: dict, key: tuple[str, ...]) -> None:
    """Insert or update one row by its key, in one statement.

    Not sqlite-utils' upsert: it first probes the database by creating a
    table, and on a full disk that probe's failure is swallowed after SQLite
    has already rolled the surrounding transaction back.
    """
    columns = list(row)
    updates = ", ".join(f"{c}=excluded.{c}" for c in columns if c not in key)
    db.conn.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}",
        [row[c] for c in columns],
    )


def _exists(db: sqlite_utils.Database, table: str, column: str, value: str) -> bool:
    return db.conn.execute(
        f"SELECT 1 FROM {table} WHERE {column} = ?", (value,)
    ).fetchone() is not None


def _unused(db: sqlite_utils.Database, table: str, column: str, make) -> str:
    while True:
        value = make()
        if not _exists(db, table, column, value):
            return value
