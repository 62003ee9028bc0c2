"""A whole session as one JSON file, and back.

The file holds everything: settings, prompts, the brief, participants with
their personal tokens, answers, the stored analysis, decisions, actions, the
room's cross-reading marks and votes, and every piece of per-session state
(agenda step, reset brief, scorecard, cross-reading and voting switches...).
Restored on this or another installation it is the same session: the same
id, facilitator key and participant links, the same summary.

A file is checked whole before anything is written: the format marker says
it is a Brief Reset backup, the SHA-256 checksum says it was not damaged or
edited, and every record is checked for the fields it needs. An existing
session is only replaced when the caller asks for it, after being told what
will be lost; a backup of the replaced session is kept first, in a folder
next to the database, and can be restored like any other. Restored answers,
decisions and state keep the times they were written, not the restore time.

The checksum catches damage, not a forged file: anyone can recompute it. So a
restore started from inside a session (its summary page) may only bring back
that same session; any other id is the facilitator home's job (admin key).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from workshop import crossread, votes
from workshop.models import DECISION_CHOICES, Prompt, Session
from workshop.session_import import Person, SessionData, import_session
from workshop.store import Store, StoreError, now

FORMAT = "brief-reset-session-backup"
VERSION = 1
MAX_BACKUP_BYTES = 50_000_000


class BackupError(ValueError):
    """The file cannot be restored; the message says why, for a person."""


class SessionExists(BackupError):
    """The backup's session is already here; restore with replace=True.

    `lost` says, for the person, what replacing it would lose.
    """

    def __init__(self, session: Session, lost: str = ""):
        self.session = session
        self.lost = lost
        super().__init__(
            f"A session with id {session.id} ('{session.title}') already exists here; "
            "restoring would overwrite it." + (f" {lost}" if lost else "")
        )


class OtherSession(BackupError):
    """A backup of another session, offered inside a session: refused, naming nothing of it."""

    def __init__(self):
        super().__init__(
            "This backup is of another session, so it cannot be restored here: a session's "
            "summary page only restores that session. Restore it from the facilitator home "
            "(the link printed when the app started)."
        )


@dataclass
class _Checked:
    session: dict
    participants: list[dict]
    answers: list[dict]
    decisions: list[dict]
    actions: list[dict]
    state: dict[str, Any]
    state_times: dict[str, str]
    marks: list[dict] = field(default_factory=list)  # cross-reading (optional: older backups lack it)
    votes: list[dict] = field(default_factory=list)


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
    states = store.all_state_with_times(session_id)
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
        # The room's own reading: cross-reading marks and votes, by participant number.
        "crossread": {"marks": crossread.backup_rows(store, session_id, ids),
                      "votes": votes.backup_rows(store, session_id, ids)},
        "state": {k: v for k, (v, _) in states.items()},
        # When each state value was written, so a restore keeps it (optional: older backups lack it).
        "state_times": {k: t for k, (_, t) in states.items()},
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


def restore(
    store: Store, data: bytes | str | dict, *, replace: bool = False, within: str | None = None,
) -> Session:
    """Restore a backup into `store` as the identical session and return it.

    Refuses a damaged or foreign file (BackupError), a backup of another
    session than `within` when given (OtherSession), and an existing session
    with the same id unless `replace` is true (SessionExists, saying what
    would be lost). Before replacing, the current session is backed up to
    `replaced_folder(store)`. Nothing is written until the whole file has
    been checked, and then all of it in one transaction or nothing.
    """
    checked = _check(load(data)["content"])
    sid = checked.session["id"]
    if within is not None and sid != within:
        raise OtherSession()
    existing = store.get_session(sid)
    if existing is not None and not replace:
        raise SessionExists(existing, what_replacing_loses(store, existing, checked))
    _refuse_foreign_tokens(store, checked, sid)
    if existing is not None:
        keep_replaced(store, sid)
    try:
        with store.atomic():  # the session and the room's reading, all of it or nothing
            session = import_session(store, _session_data(checked), replace=existing is not None)
            _restore_room(store, session, checked)
        return session
    except StoreError as error:
        raise BackupError(f"The backup could not be restored: {error}") from error
    except Exception as error:
        raise BackupError(f"The backup could not be restored: {error}") from error


def what_replacing_loses(store: Store, existing: Session, checked: "_Checked") -> str:
    """What replacing `existing` with the backup throws away, in words."""
    answers = store.answers(existing.id)
    people = store.participants(existing.id)
    kept_tokens = {p["token"] for p in checked.participants}
    dropped_links = sum(p.token not in kept_tokens for p in people)
    parts = [
        f"Replacing it removes what it holds now: {_count(len(people), 'participant')} with "
        f"{_count(len(answers), 'answer')}, {_count(len(store.decisions(existing.id)), 'decision')} and "
        f"{_count(len(store.actions(existing.id)), 'action')}; the backup brings back "
        f"{_count(len(checked.participants), 'participant')} with {_count(len(checked.answers), 'answer')}."
    ]
    if dropped_links:
        parts.append(f"The personal links of {_count(dropped_links, 'participant')} will stop working.")
    if checked.session["facilitator_key"] != existing.facilitator_key:
        parts.append("The current facilitator link will stop working (the backup has its own).")
    parts.append("A backup of the session as it is now is kept first, so this can be undone.")
    return " ".join(parts)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def replaced_folder(store: Store) -> Path:
    """Where backups of replaced sessions are kept: next to the database."""
    return store.path.parent / "replaced-sessions"


def keep_replaced(store: Store, session_id: str) -> Path:
    """Back the session up to `replaced_folder` (readable by this user only); the file's path."""
    folder = replaced_folder(store)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{session_id}-{stamp}.json"
    data = backup_bytes(store, session_id)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    return path


def kept_backups(store: Store, session_id: str) -> list[Path]:
    """The backups kept of `session_id` before it was replaced, newest first."""
    folder = replaced_folder(store)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{session_id}-*.json"), reverse=True)


def _session_data(c: "_Checked") -> SessionData:
    s = c.session
    people = {p["ref"]: Person(p["name"], p["function"], token=p["token"], joined_at=p["joined_at"],
                               submitted_at=p["submitted_at"]) for p in c.participants}
    for a in c.answers:
        person = people[a["participant"]]
        person.answers[a["dimension"]] = a["text"]
        if isinstance(a.get("updated_at"), str) and a["updated_at"]:
            person.answered_at[a["dimension"]] = a["updated_at"]
    return SessionData(
        title=s["title"], company=s["company"], facilitator=s["facilitator"], brief=s["brief"],
        functions=s["functions"],
        prompts=[Prompt(p["key"], p["text"], p.get("example", "")) for p in s["prompts"]],
        people=list(people.values()), collection_open=s["collection_open"], revealed=s["revealed"],
        show_names=s["show_names"], session_id=s["id"], join_code=s["join_code"],
        facilitator_key=s["facilitator_key"], created_at=s["created_at"],
        decisions=[{**d, "updated_at": d.get("updated_at") if isinstance(d.get("updated_at"), str) else None}
                   for d in c.decisions],
        actions=c.actions, state=c.state, state_times=c.state_times,
    )


def _restore_room(store: Store, session: Session, c: "_Checked") -> None:
    """The cross-reading marks and votes, their participants found again by personal link."""
    if not c.marks and not c.votes:
        return
    by_token = {p.token: p.id for p in store.participants(session.id)}
    id_of = {p["ref"]: by_token[p["token"]] for p in c.participants if p["token"] in by_token}
    crossread.restore_rows(store, session.id, c.marks, id_of)
    votes.restore_rows(store, session.id, c.votes, id_of)


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
    times = content.get("state_times") or {}
    if not isinstance(times, dict):
        raise BackupError("The backup is damaged: its state times are not a record.")
    times = {k: t for k, t in times.items() if isinstance(t, str) and t}
    room = content.get("crossread") or {}
    if not isinstance(room, dict):
        raise BackupError("The backup is damaged: its cross-reading is not a record.")
    try:
        marks = crossread.check_rows(room.get("marks") or [], refs)
        cast = votes.check_rows(room.get("votes") or [], refs)
    except ValueError as error:
        raise BackupError(f"The backup is damaged: {error}.") from None
    return _Checked(session, participants, answers, decisions, actions, state, times, marks, cast)


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
