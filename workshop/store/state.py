"""Per-session state: JSON values by key, each write raising the key's version."""

from __future__ import annotations

import json
from typing import Any

from workshop.store.rows import _bump_version, _upsert, now
from workshop.text import clean_json


class StateStore:
    """Per-session state (a part of Store)."""

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
