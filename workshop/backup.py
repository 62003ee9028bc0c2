"""A whole session as one JSON file, and back.

The file holds everything: settings, prompts, the brief, participants with
their personal tokens, answers, the stored analysis, decisions, actions and
every piece of per-session state (agenda step, reset brief, scorecard...).
Restored on this or another installation it is the same session: the same
id, facilitator key and participant links, the same summary.

A file is checked whole before anything is written: the format marker says
it is a Brief Reset backup, the SHA-256 checksum says it was not damaged or
edited, and every record is checked for the fields it needs. An existing
session is only replaced when the caller asks for it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from workshop.models import DECISION_CHOICES, Prompt, Session
from workshop.store import Store, StoreError, now

FORMAT = "brief-reset-session-backup"
VERSION = 1
MAX_BACKUP_BYTES = 50_000_000


class BackupError(ValueError):
    """The file cannot be restored; the message says why, for a person."""


class SessionExists(BackupError):
    """The backup's session is already here; restore with replace=True."""

    def __init__(self, session: Session):
        self.session = session
        super().__init__(
            f"A session with id {session.id} ('{session.title}') already exists here; "
            "restoring would overwrite it."
        )


@dataclass
class _Checked:
    session: dict
    participants: list[dict]
    answers: list[dict]
    decisions: list[dict]
    actions: list[dict]
    state: dict[str, Any]


# -- backup -------------------------------------------------------------------


def backup(store: Store, session_id: str) -> dict:
    """The entire session as a JSON-ready dict with format, version and checksum."""
    session = store.get_session(session_id)
    if session is None:
        raise BackupError(f"There is no session with id {session_id}.")
    # Answers first: anyone who answered had joined before, so every answer
    # read here has its participant in the list read next.
    answers = store.answers(session_id)
    participants = store.participants(session_id)
    ids = {p.id: i for i, p in enumerate(participants)}
    content = {
        "session": {
            "id": session.id,
            "title": session.title,
            "company": session.company,
            "facilitator": session.facilitator,
            "brief": session.brief,
            "functions": list(session.functions),
            "prompts": [{"key": p.key, "text": p.text, "example": p.example} for p in session.prompts],
            "join_code": session.join_code,
            "facilitator_key": session.facilitator_key,
            "collection_open": session.collection_open,
            "revealed": session.revealed,
            "show_names": session.show_names,
            "created_at": session.created_at,
        },
        # Participants are numbered by position: database ids differ between installations.
        "participants": [
            {"ref": ids[p.id], "name": p.name, "function": p.function, "token": p.token,
             "joined_at": p.joined_at, "submitted_at": p.submitted_at}
            for p in participants
        ],
        "answers": [
            {"participant": ids[a.participant_id], "dimension": a.dimension, "text": a.text,
             "updated_at": a.updated_at}
            for a in answers
            if a.participant_id in ids  # not a participant removed mid-backup
        ],
        "decisions": [
            {"dimension": d.dimension, "theme": d.theme, "choice": d.choice, "note": d.note,
             "side": d.side, "updated_at": d.updated_at}
            for d in store.decisions(session_id)
        ],
        "actions": [
            {"what": a.what, "owner": a.owner, "due": a.due, "done": a.done, "created_at": a.created_at}
            for a in store.actions(session_id)
        ],
        "state": store.all_state(session_id),
    }
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now(),
        "checksum": checksum(content),
        "content": content,
    }


def backup_bytes(store: Store, session_id: str) -> bytes:
    return json.dumps(backup(store, session_id), ensure_ascii=False, indent=1).encode("utf-8")


def checksum(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# -- restore ------------------------------------------------------------------


def load(data: bytes | str | dict) -> dict:
    """Parse a backup file and check it is a whole, unaltered Brief Reset backup."""
    if isinstance(data, (bytes, bytearray)):
        if len(data) > MAX_BACKUP_BYTES:
            raise BackupError(f"The file is larger than {MAX_BACKUP_BYTES // 1_000_000} MB; it is not a session backup.")
        # A cut-off file may end inside a character; let the JSON check report it.
        data = bytes(data).decode("utf-8-sig", errors="replace")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            raise BackupError(
                "The file is damaged or is not a Brief Reset backup: it is not valid JSON "
                f"(line {error.lineno}, column {error.colno})."
            ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError("This is not a Brief Reset session backup (the format marker is missing).")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise BackupError("The backup is damaged: its version is missing.")
    if version > VERSION:
        raise BackupError(
            f"This backup was made by a newer Brief Reset (format version {version}); "
            "update this installation to restore it."
        )
    content = data.get("content")
    if not isinstance(content, dict):
        raise BackupError("The backup is damaged: its content is missing.")
    if data.get("checksum") != checksum(content):
        raise BackupError(
            "The backup is damaged or was edited: its checksum does not match its content."
        )
    return data


def restore(store: Store, data: bytes | str | dict, *, replace: bool = False) -> Session:
    """Restore a backup into `store` as the identical session and return it.

    Refuses a damaged or foreign file (BackupError) and an existing session
    with the same id unless `replace` is true (SessionExists). Nothing is
    written until the whole file has been checked; if writing fails half-way
    the half-made session is removed and a replaced one put back.
    """
    checked = _check(load(data)["content"])
    sid = checked.session["id"]
    existing = store.get_session(sid)
    if existing is not None and not replace:
        raise SessionExists(existing)
    _refuse_foreign_tokens(store, checked, sid)
    previous = backup(store, sid) if existing is not None else None
    if existing is not None:
        store.delete_session(sid)
    try:
        return _write(store, checked)
    except Exception as error:
        store.delete_session(sid)
        if previous is not None:
            _write(store, _check(previous["content"]))
        if isinstance(error, BackupError):
            raise
        raise BackupError(f"The backup could not be restored: {error}") from error


def _write(store: Store, c: _Checked) -> Session:
    s = c.session
    try:
        session = store.create_session(
            title=s["title"], company=s["company"], brief=s["brief"], functions=s["functions"],
            prompts=[Prompt(p["key"], p["text"], p.get("example", "")) for p in s["prompts"]],
            facilitator=s["facilitator"], session_id=s["id"], join_code=s["join_code"],
            facilitator_key=s["facilitator_key"], created_at=s["created_at"],
        )
    except StoreError as error:
        raise BackupError(f"The backup's session cannot be restored: {error}") from None
    store.update_session(
        session.id, collection_open=s["collection_open"], revealed=s["revealed"],
        show_names=s["show_names"],
    )
    new_ids = {}
    for p in c.participants:
        made = store.add_participant(
            session.id, p["name"], p["function"], token=p["token"],
            joined_at=p["joined_at"], submitted_at=p["submitted_at"],
        )
        new_ids[p["ref"]] = made.id
    for a in c.answers:
        store.put_answer(new_ids[a["participant"]], a["dimension"], a["text"])
    for d in c.decisions:
        store.save_decision(session.id, d["dimension"], d["theme"], d["choice"], d["note"], d["side"])
    for a in c.actions:
        store.add_action(session.id, a["what"], a["owner"], a["due"], a["done"], a["created_at"])
    for key, value in c.state.items():
        store.set_state(session.id, key, value)
    return store.get_session(session.id)  # type: ignore[return-value]


def _refuse_foreign_tokens(store: Store, c: _Checked, sid: str) -> None:
    """A personal link must lead to one participant only."""
    for p in c.participants:
        holder = store.participant_by_token(p["token"])
        if holder is not None and holder.session_id != sid:
            raise BackupError(
                f"Participant {p['name']}'s personal link already belongs to another session "
                f"here ({holder.session_id}); this backup cannot be restored beside it."
            )


# -- checking -----------------------------------------------------------------


def _check(content: dict) -> _Checked:
    """Every record has the fields restore needs, with the right types."""
    session = _record(content, "session", dict, "the backup")
    for key in ("id", "title", "company", "facilitator", "brief", "join_code", "facilitator_key", "created_at"):
        _field(session, key, str, "the session")
    for key in ("collection_open", "revealed", "show_names"):
        _field(session, key, bool, "the session")
    functions = _field(session, "functions", list, "the session")
    if not all(isinstance(f, str) for f in functions):
        raise BackupError("The backup is damaged: the session's functions are not text.")
    prompts = _field(session, "prompts", list, "the session")
    if not prompts:
        raise BackupError("The backup is damaged: the session has no prompts.")
    for prompt in prompts:
        if not isinstance(prompt, dict):
            raise BackupError("The backup is damaged: a prompt is not a record.")
        _field(prompt, "key", str, "a prompt")
        _field(prompt, "text", str, "a prompt")

    participants = _record(content, "participants", list, "the backup")
    refs = set()
    for p in participants:
        where = "a participant"
        if not isinstance(p, dict):
            raise BackupError(f"The backup is damaged: {where} is not a record.")
        for key in ("name", "function", "token", "joined_at"):
            _field(p, key, str, where)
        _field(p, "ref", int, where)
        if p.get("submitted_at") is not None and not isinstance(p["submitted_at"], str):
            raise BackupError("The backup is damaged: a participant's submitted_at is not text.")
        p.setdefault("submitted_at", None)
        if p["ref"] in refs:
            raise BackupError("The backup is damaged: two participants have the same number.")
        refs.add(p["ref"])

    answers = _record(content, "answers", list, "the backup")
    for a in answers:
        if not isinstance(a, dict):
            raise BackupError("The backup is damaged: an answer is not a record.")
        _field(a, "participant", int, "an answer")
        _field(a, "dimension", str, "an answer")
        _field(a, "text", str, "an answer")
        if a["participant"] not in refs:
            raise BackupError("The backup is damaged: an answer belongs to no participant.")

    decisions = _record(content, "decisions", list, "the backup")
    for d in decisions:
        if not isinstance(d, dict):
            raise BackupError("The backup is damaged: a decision is not a record.")
        for key in ("dimension", "theme", "choice", "note", "side"):
            _field(d, key, str, "a decision")
        if d["choice"] not in DECISION_CHOICES:
            raise BackupError(f"The backup is damaged: unknown decision '{d['choice']}'.")

    actions = _record(content, "actions", list, "the backup")
    for a in actions:
        if not isinstance(a, dict):
            raise BackupError("The backup is damaged: an action is not a record.")
        for key in ("what", "owner", "due", "created_at"):
            _field(a, key, str, "an action")
        _field(a, "done", bool, "an action")
        if not a["what"].strip():
            raise BackupError("The backup is damaged: an action has no text.")

    state = _record(content, "state", dict, "the backup")
    return _Checked(session, participants, answers, decisions, actions, state)


def _record(container: dict, key: str, kind: type, where: str):
    value = container.get(key)
    if not isinstance(value, kind):
        raise BackupError(f"The backup is damaged: {where} has no valid '{key}'.")
    return value


def _field(record: dict, key: str, kind: type, where: str):
    value = record.get(key)
    # bool is an int in Python; a count must not pass as a flag or the reverse.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BackupError(f"The backup is damaged: {where} has no valid '{key}'.")
    return value
