"""Row helpers shared by the store's parts: times, versions, cleaning, turning rows into dataclasses."""

from __future__ import annotations

import json
import os
import time
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from workshop.models import DEFAULT_FUNCTIONS, Action, Prompt, Session
from workshop.store.errors import StoreError
from workshop.text import clean, clean_line


def next_version(previous: int = 0) -> int:
    """A version number later than `previous` and than any number handed out before.

    Nanoseconds of the clock, so an answer deleted and written again never
    gets back a version an old tab still holds.
    """
    return max(time.time_ns(), previous + 1)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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
