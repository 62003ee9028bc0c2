"""What the reset session produces: a decision per theme and actions with owners."""

from __future__ import annotations

from typing import Any

from workshop.models import DECISION_CHOICES, Action, Decision
from workshop.store.errors import StoreError
from workshop.store.rows import _action, _exists, _upsert, now
from workshop.text import clean, clean_line


class ResetStore:
    """Decisions and actions (a part of Store)."""

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
