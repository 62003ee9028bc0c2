"""Sessions, the install-wide admin key, and the participants who join a session."""

from __future__ import annotations

import json
import secrets
from typing import Any

from workshop import settings
from workshop.codes import new_join_code, new_key, new_session_id, normalise_code
from workshop.models import (
    DEFAULT_FUNCTIONS,
    DEFAULT_PROMPTS,
    MAX_BRIEF_CHARS,
    MAX_NAME_CHARS,
    Participant,
    Prompt,
    Session,
)
from workshop.store.errors import CollectionClosed, StoreError
from workshop.store.rows import (
    _clean_functions,
    _clean_prompts,
    _exists,
    _participant_row,
    _session,
    _session_row,
    _unused,
    _visible,
    now,
)
from workshop.text import clean, clean_line


class SessionStore:
    """Sessions and their participants (a part of Store)."""

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
