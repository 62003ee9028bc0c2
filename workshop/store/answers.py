"""Participants' answers: saved while collection is open, with versions against a second tab."""

from __future__ import annotations

import json

from workshop.models import MAX_ANSWER_CHARS, Answer, Progress
from workshop.store.errors import AnswerConflict, CollectionClosed, StoreError
from workshop.store.rows import _participant_row, _session_row, _upsert, _visible, next_version, now
from workshop.text import clean


class AnswerStore:
    """Answers and the lobby's counts (a part of Store)."""

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
