"""Cross-reading: each side marks what it recognises in the other side's answers, before the reveal.

Optional per session (state key "crossread": enabled, started, closed). The
facilitator starts it after closing collection; each participant's page then
shows, prompt by prompt, the statements of the *other* functions, shuffled
(the same order for the same person every time), without names, and for each
one asks: "we'd say this too" or "new to us" (skipping is fine). A person's
own side's statements are never shown to them, and nothing of anybody else's
reaches a participant's page before the start (`reader_view` refuses).

A statement is one line of an answer as the analysis reads it
(`embeddings.statements.split_answer`); the same line written by two people of
one function is one statement. Marks are stored the moment they are made, in
the table `crossread_marks` (one row per reader and statement), keyed by the
statement's function, prompt and text, so they survive a refresh and a
restore and ignore statements that have since gone.

What the room's reading adds up to (`reading`): per statement the share of
the other side's readers who recognised it; per prompt and side how many of
that side's statements the other side recognised ("sales recognised 3 of
marketing's 11 statements on objections"), or, with fewer than
MIN_READERS readers, that there were too few to say. `disagreement` says
where the readers and the analysis's verdict part; `apply_reading` makes a
statement most readers found new a candidate one-sided theme of the report
(after the analysis, never touching its thresholds).
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
from dataclasses import dataclass, field

from embeddings.report import ALIGNED, DIVERGENT, POSSIBLE, SHARED, Report, Statement, Theme
from embeddings.statements import split_answer
from workshop.agenda import READINESS_KEY
from workshop.charts import prompt_title
from workshop.models import MARKETING, SALES, Session
from workshop.store import StoreError, now

STATE_KEY = "crossread"  # {"enabled": bool, "started_at": str | None, "closed_at": str | None}

SAME = "same"  # "we'd say this too"
NEW = "new"  # "new to us"
MARKS = (SAME, NEW)
MARK_WORDS = {SAME: "We'd say this too", NEW: "New to us"}

# A prompt's side is scored only when at least this many people of the other side read it.
MIN_READERS = 2

RECOGNISED, NEW_TO_THEM, SPLIT, UNREAD = "recognised", "new", "split", "unread"

# Said on a theme the room's reading made a candidate (Theme.corrected, as the check view lists changes).
ROOM_NOTE = "new to the other side's readers"

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS crossread_marks (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        reader_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        prompt TEXT NOT NULL,
        function TEXT NOT NULL,
        text TEXT NOT NULL,
        mark TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (reader_id, prompt, function, text)
    )""",
    "CREATE INDEX IF NOT EXISTS crossread_marks_session ON crossread_marks(session_id)",
)


class CrossreadError(StoreError):
    """A cross-reading action that cannot be done now; the message is for the person."""


def ensure_tables(store) -> None:
    store.ensure_tables("crossread", _SCHEMA)


# -- where cross-reading is ----------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    """Cross-reading's switches for one session."""

    enabled: bool = False
    started_at: str | None = None
    closed_at: str | None = None

    @property
    def started(self) -> bool:
        return self.started_at is not None

    @property
    def open(self) -> bool:
        """Readers may mark now (collection must be closed too: see `reading_open`)."""
        return self.started and self.closed_at is None

    @property
    def closed(self) -> bool:
        return self.started and self.closed_at is not None

    def to_dict(self) -> dict:
        return {"enabled": self.enabled, "started_at": self.started_at, "closed_at": self.closed_at}

    @classmethod
    def from_dict(cls, data) -> "Phase":
        data = data if isinstance(data, dict) else {}
        started, closed = data.get("started_at"), data.get("closed_at")
        return cls(bool(data.get("enabled")), started if isinstance(started, str) else None,
                   closed if isinstance(closed, str) else None)


def phase(store, session_id: str) -> Phase:
    return Phase.from_dict(store.get_state(session_id, STATE_KEY))


def _set_phase(store, session_id: str, **changes) -> Phase:
    with store.atomic():  # read and write under one lock: two facilitator tabs never undo each other
        new = Phase(**{**phase(store, session_id).to_dict(), **changes})
        store.set_state(session_id, STATE_KEY, new.to_dict())
    return new


def set_enabled(store, session_id: str, enabled: bool) -> Phase:
    """Turn cross-reading on or off for the session (New session form, lobby)."""
    return _set_phase(store, session_id, enabled=bool(enabled))


def start(store, session: Session) -> Phase:
    """Open cross-reading: every participant's page shows the other side's statements."""
    current = store.get_session(session.id)
    if current is None:
        raise CrossreadError("That session no longer exists.")
    if current.collection_open:
        raise CrossreadError("Close collection first: cross-reading shows answers, so they must be final.")
    return _set_phase(store, session.id, enabled=True, started_at=phase(store, session.id).started_at or now(),
                      closed_at=None)


def close(store, session_id: str) -> Phase:
    """Stop cross-reading: marks are kept, pages stop showing statements."""
    current = phase(store, session_id)
    if not current.open:
        return current
    return _set_phase(store, session_id, closed_at=now())


def reading_open(session: Session, current: Phase) -> bool:
    """Statements may be shown: started, not closed, and collection closed (answers final)."""
    return current.open and not session.collection_open


def skipped_steps(store, session_id: str) -> set[str]:
    """Reset steps this session leaves out (the cross-reading step when it is off)."""
    return set() if phase(store, session_id).enabled else {"crossread"}


def room_signal(store, session_id: str):
    """One cheap read for a participant page that polls: collection open, and the room's switches.

    Changes whenever collection closes or opens, cross-reading starts or
    stops, or voting opens or closes; None when the session is gone.
    """
    from workshop.votes import STATE_KEY as VOTING_KEY

    with store._db() as db:
        row = db.conn.execute(
            "SELECT s.collection_open, "
            "(SELECT value FROM session_state WHERE session_id = s.id AND key = ?), "
            "(SELECT value FROM session_state WHERE session_id = s.id AND key = ?) "
            "FROM sessions s WHERE s.id = ?",
            (STATE_KEY, VOTING_KEY, session_id),
        ).fetchone()
    if row is None:
        return None
    reading = Phase.from_dict(json.loads(row[1]) if row[1] else None)
    voting = json.loads(row[2]) if row[2] else {}
    voting = voting if isinstance(voting, dict) else {}
    return (bool(row[0]), reading.started_at, reading.closed_at, voting.get("opened_at"), voting.get("closed_at"))


# -- the statements ---------------------------------------------------------------------


@dataclass
class SessionStatement:
    """One statement of one function on one prompt (for the facilitator's side: it knows who)."""

    prompt: str  # the prompt's key
    function: str
    text: str
    participants: list[str] = field(default_factory=list)  # display names, for the report only

    @property
    def key(self) -> tuple[str, str, str]:
        return statement_key(self.prompt, self.function, self.text)


def statement_key(prompt: str, function: str, text: str) -> tuple[str, str, str]:
    return (prompt, function, " ".join(text.split()).casefold())


def statement_id(prompt: str, function: str, text: str) -> str:
    """A short id for a statement, for widget keys; says nothing about who wrote it."""
    return hashlib.sha1("\x1f".join(statement_key(prompt, function, text)).encode()).hexdigest()[:12]


def read_prompts(session: Session) -> list:
    """The prompts cross-read: every one but the readiness stage (a choice, not statements)."""
    return [p for p in session.prompts if p.key != READINESS_KEY]


def session_statements(answers, session: Session) -> dict[str, list[SessionStatement]]:
    """Per prompt, every function's statements, each (function, text) once, in answer order."""
    keys = [p.key for p in read_prompts(session)]
    out: dict[str, dict[tuple, SessionStatement]] = {k: {} for k in keys}
    for answer in answers:
        if answer.dimension not in out or answer.function not in session.functions:
            continue
        for text in split_answer(answer.text):
            item = SessionStatement(answer.dimension, answer.function, text)
            kept = out[answer.dimension].setdefault(item.key, item)
            if answer.participant not in kept.participants:
                kept.participants.append(answer.participant)
    return {k: list(v.values()) for k, v in out.items()}


@dataclass(frozen=True)
class ReadStatement:
    """A statement as a reader sees it: the words, and nothing about who wrote them."""

    id: str
    prompt: str  # the prompt's key
    function: str  # the function that wrote it: never the reader's
    text: str


@dataclass
class ReadPrompt:
    key: str
    question: str
    statements: list[ReadStatement]


@dataclass
class ReaderView:
    """What one participant's page shows while cross-reading is open."""

    function: str  # the reader's own
    other_functions: list[str]
    prompts: list[ReadPrompt]
    marks: dict[str, str]  # statement id -> SAME | NEW

    @property
    def total(self) -> int:
        return sum(len(p.statements) for p in self.prompts)

    @property
    def marked(self) -> int:
        ids = {s.id for p in self.prompts for s in p.statements}
        return sum(1 for k in self.marks if k in ids)


def _shuffled(statements: list[ReadStatement], seed: str) -> list[ReadStatement]:
    """The same order for the same reader every time, a different one for each reader."""
    ordered = sorted(statements, key=lambda s: s.id)
    random.Random(int(hashlib.sha256(seed.encode()).hexdigest(), 16)).shuffle(ordered)
    return ordered


def _reader(store, token: str):
    participant = store.participant_by_token(token)
    session = store.get_session(participant.session_id) if participant else None
    if participant is None or session is None:
        raise CrossreadError("This personal link is not valid (any more). Join again with the code.")
    return participant, session


def reader_view(store, token: str) -> ReaderView | None:
    """The other functions' statements for the participant holding `token`; None unless reading is open.

    The only way a participant's page gets anybody else's words before the
    reveal: only statements (never names), only of other functions, and only
    while the facilitator has cross-reading open.
    """
    participant, session = _reader(store, token)
    if not reading_open(session, phase(store, session.id)):
        return None
    statements = session_statements(store.answers(session.id), session)
    prompts = []
    for prompt in read_prompts(session):
        others = [ReadStatement(statement_id(s.prompt, s.function, s.text), s.prompt, s.function, s.text)
                  for s in statements.get(prompt.key, []) if s.function != participant.function]
        prompts.append(ReadPrompt(prompt.key, prompt.text, _shuffled(others, f"{token}\x1f{prompt.key}")))
    return ReaderView(participant.function, [f for f in session.functions if f != participant.function],
                      prompts, _own_marks(store, participant.id))


def _own_marks(store, reader_id: int) -> dict[str, str]:
    ensure_tables(store)
    with store._db() as db:
        rows = db.conn.execute(
            "SELECT prompt, function, text, mark FROM crossread_marks WHERE reader_id = ?", (reader_id,)
        ).fetchall()
    return {statement_id(d, f, t): m for d, f, t, m in rows}


def mark(store, token: str, statement: str, value: str | None) -> None:
    """Store one reader's mark on one statement (by its id); None clears it (a skip)."""
    if value is not None and value not in MARKS:
        raise CrossreadError("Mark a statement “we'd say this too” or “new to us”.")
    participant, session = _reader(store, token)
    view = reader_view(store, token)
    if view is None:
        raise CrossreadError("Cross-reading is closed; your marks are kept.")
    found = next((s for p in view.prompts for s in p.statements if s.id == statement), None)
    if found is None:
        raise CrossreadError("That statement is no longer in the answers.")
    ensure_tables(store)
    # Stored by the statement's key (its words, spacing and case evened out), so the
    # same line written twice is one statement however its first writer typed it.
    text = statement_key(found.prompt, found.function, found.text)[2]
    with store._write() as db:
        db.conn.execute(
            "DELETE FROM crossread_marks WHERE reader_id = ? AND prompt = ? AND function = ? AND text = ?",
            (participant.id, found.prompt, found.function, text))
        if value is not None:
            db.conn.execute(
                "INSERT INTO crossread_marks (session_id, reader_id, prompt, function, text, mark, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (session.id, participant.id, found.prompt, found.function, text, value, now()))


# -- what the room's reading adds up to ------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    reader: int  # participant id
    reader_function: str
    prompt: str  # the prompt's key
    function: str  # whose statement
    text: str
    mark: str


def marks(store, session_id: str) -> list[Mark]:
    """Every mark of the session, with the reader's function (never shown to participants)."""
    ensure_tables(store)
    with store._db() as db:
        rows = db.conn.execute(
            "SELECT m.reader_id, p.function, m.prompt, m.function, m.text, m.mark, m.updated_at "
            "FROM crossread_marks m JOIN participants p ON p.id = m.reader_id "
            "WHERE m.session_id = ? ORDER BY m.reader_id, m.prompt, m.function, m.text",
            (session_id,),
        ).fetchall()
    return [Mark(*row[:6]) for row in rows]


@dataclass
class StatementReading:
    """One statement and how the other side's readers marked it."""

    prompt: str  # the prompt's key
    function: str
    text: str
    same: int = 0
    new: int = 0
    participants: list[str] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        """Of the other side's readers who marked it, the share who said "we'd say this too"."""
        marked = self.same + self.new
        return self.same / marked if marked else None

    def words(self) -> str:
        """'2 of 3 readers would say it too', or 'not marked'."""
        marked = self.same + self.new
        if not marked:
            return "not marked"
        return f"{self.same} of {marked} reader{'s' if marked != 1 else ''} would say it too"

    @property
    def outcome(self) -> str:
        if self.same > self.new:
            return RECOGNISED
        if self.new > self.same:
            return NEW_TO_THEM
        return SPLIT if self.same else UNREAD


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


@dataclass
class SideReading:
    """How much of one function's description of one prompt the other side recognised."""

    prompt: str  # the prompt's key
    function: str  # whose statements were read
    reader_functions: list[str]  # who read them
    readers: int  # people of those functions who marked at least one of them
    statements: int
    recognised: int = 0
    new: int = 0
    split: int = 0
    unread: int = 0

    @property
    def scored(self) -> bool:
        return self.readers >= MIN_READERS and self.statements > 0

    @property
    def score(self) -> float | None:
        """The share of this side's statements the other side recognised; None when too few read them."""
        return self.recognised / self.statements if self.scored else None

    @property
    def readers_words(self) -> str:
        return _and(self.reader_functions) if self.reader_functions else "the other side"

    def sentence(self, title: str | None = None) -> str:
        """'sales recognised 3 of marketing's 11 statements on objections', or why it is not scored."""
        return self.clause(f" on {(title or prompt_title(self.prompt)).lower()}")

    def clause(self, on: str = "") -> str:
        """The sentence without the prompt (`on`: " on objections" to name it)."""
        theirs = _possessive(self.function)
        if self.scored:
            return (f"{self.readers_words} recognised {self.recognised} of {theirs} {self.statements} "
                    f"statement{'s' if self.statements != 1 else ''}{on}")
        if self.readers == 0:
            return f"nobody from {self.readers_words} marked {theirs} statements{on}"
        return (f"only {self.readers} {self.readers_words} reader marked {theirs} statements{on}: "
                f"too few to score (at least {MIN_READERS} needed)")


@dataclass
class PromptReading:
    key: str
    sides: list[SideReading]
    statements: list[StatementReading]

    def side(self, function: str) -> SideReading | None:
        return next((s for s in self.sides if s.function == function), None)

    @property
    def headline(self) -> list[SideReading]:
        """Sales' and marketing's sides that were read by enough people: what the verdict compares."""
        return [s for s in self.sides if s.function in (SALES, MARKETING) and s.scored]

    @property
    def read(self) -> bool:
        return any(s.readers for s in self.sides)

    def counts(self) -> tuple[int, int, int]:
        """(recognised, new to them, statements) over the headline sides."""
        sides = self.headline
        return (sum(s.recognised for s in sides), sum(s.new for s in sides), sum(s.statements for s in sides))

    @property
    def view(self) -> str | None:
        """RECOGNISED or NEW_TO_THEM when most headline statements were, SPLIT otherwise; None unscored."""
        recognised, new, total = self.counts()
        if not total:
            return None
        if recognised * 2 > total:
            return RECOGNISED
        if new * 2 > total:
            return NEW_TO_THEM
        return SPLIT

    def sentence(self) -> str:
        """Every side of the prompt in one line, starting with a capital (the prompt is named beside it)."""
        text = "; ".join(s.clause() for s in self.sides) + "." if self.sides else ""
        return text[:1].upper() + text[1:]


def _reading(statements: dict[str, list[SessionStatement]], all_marks: list[Mark], session: Session,
             ) -> dict[str, PromptReading]:
    by_key = {}
    for m in all_marks:
        if m.mark in MARKS and m.reader_function != m.function:
            by_key.setdefault(statement_key(m.prompt, m.function, m.text), []).append(m)
    out = {}
    for prompt in read_prompts(session):
        readings, sides = [], []
        items = statements.get(prompt.key, [])
        functions = [f for f in session.functions if any(s.function == f for s in items)]
        for function in functions:
            own = [s for s in items if s.function == function]
            readers: dict[int, str] = {}
            side_readings = []
            for s in own:
                got = by_key.get(s.key, [])
                reading = StatementReading(s.prompt, s.function, s.text, sum(m.mark == SAME for m in got),
                                           sum(m.mark == NEW for m in got), list(s.participants))
                readers.update({m.reader: m.reader_function for m in got})
                side_readings.append(reading)
            outcomes = [r.outcome for r in side_readings]
            reader_functions = [f for f in session.functions if f in set(readers.values())] or [
                f for f in session.functions if f != function]
            sides.append(SideReading(prompt.key, function, reader_functions, len(readers), len(own),
                                     outcomes.count(RECOGNISED), outcomes.count(NEW_TO_THEM),
                                     outcomes.count(SPLIT), outcomes.count(UNREAD)))
            readings += side_readings
        out[prompt.key] = PromptReading(prompt.key, sides, readings)
    return out


def reading(store, session: Session) -> dict[str, PromptReading]:
    """Per prompt key, what the room's cross-reading says; empty when cross-reading never started."""
    if not phase(store, session.id).started:
        return {}
    return _reading(session_statements(store.answers(session.id), session), marks(store, session.id), session)


def disagreement(prompt: PromptReading | None, verdict: str) -> str:
    """Why the readers and the analysis's verdict part on a prompt, in one sentence; "" when they do not."""
    if prompt is None or prompt.view is None:
        return ""
    recognised, new, total = prompt.counts()
    if verdict == ALIGNED and prompt.view == NEW_TO_THEM:
        return (f"The analysis says aligned, but readers found most of the other side's statements new "
                f"({new} of {total}).")
    if verdict == DIVERGENT and prompt.view == RECOGNISED:
        return (f"The analysis says divergent, but readers recognised most of the other side's statements "
                f"({recognised} of {total}).")
    return ""


DISAGREE = "the readers and the analysis disagree"


def room_words(prompt: PromptReading | None) -> str:
    """The room's reading of one prompt in a few words, beside the analysis's verdict."""
    if prompt is None or not prompt.sides:
        return ""
    scores = [s for s in prompt.headline]
    if not scores:
        return "too few readers to score"
    return " · ".join(f"{s.readers_words} recognised {s.recognised} of {s.statements}" for s in scores)


def reveal_words(prompt: PromptReading | None, verdict: str) -> str:
    """'the room: marketing recognised 3 of 11 · sales recognised 2 of 9', flagged when it parts from the verdict."""
    words = room_words(prompt)
    if not words:
        return ""
    return f"the room: {words}" + (f" ({DISAGREE})" if disagreement(prompt, verdict) else "")


def disagreements(readings: dict[str, PromptReading], report: Report | None) -> dict[str, str]:
    """Per prompt key where the readers and the (corrected) verdict part: why, in one sentence."""
    if report is None:
        return {}
    out = {d.key: disagreement(readings.get(d.key), d.verdict) for d in report.dimensions}
    return {k: v for k, v in out.items() if v}


# -- the room's reading in the report -----------------------------------------------------------


def apply_reading(report: Report | None, readings: dict[str, PromptReading]) -> Report | None:
    """The report with the room's reading added to its one-sided theme candidates (the input is unchanged).

    A statement most of the other side's readers marked "new to us" (on a
    side read by enough people) becomes a candidate: a theme only its
    function names, of POSSIBLE confidence, marked ROOM_NOTE. A theme of
    that function's statements only that the analysis called shared becomes
    one-sided when most of its statements are such; a statement in no theme
    becomes a theme of its own. Statements in a theme both sides speak in
    stay where they are (the check view flags the prompt instead).
    """
    if report is None or not readings:
        return report
    fixed = copy.deepcopy(report)
    for dimension in fixed.dimensions:
        prompt = readings.get(dimension.key)
        if prompt is None:
            continue
        scored = {s.function for s in prompt.sides if s.scored}
        new = {statement_key(r.prompt, r.function, r.text) for r in prompt.statements
               if r.function in scored and r.outcome == NEW_TO_THEM}
        if not new:
            continue
        placed = set()
        for theme in dimension.themes:
            functions = {s.function for s in theme.statements}
            placed |= {(s.participant, s.text) for s in theme.statements}
            if len(functions) != 1 or theme.side != SHARED:
                continue
            (function,) = functions
            fresh = [s for s in theme.statements if statement_key(dimension.key, function, s.text) in new]
            if len(fresh) * 2 > len(theme.statements):
                theme.side, theme.confidence = function, POSSIBLE
                if ROOM_NOTE not in theme.corrected:
                    theme.corrected.append(ROOM_NOTE)
        loose: dict[tuple, list[Statement]] = {}
        for point in dimension.map:
            key = statement_key(dimension.key, point.function, point.text)
            if (point.participant, point.text) not in placed and key in new:
                loose.setdefault(key, []).append(Statement(point.participant, point.function, point.text))
        for said in loose.values():
            dimension.themes.append(Theme(
                label=said[0].text, side=said[0].function,
                participants=sorted({s.participant for s in said}), statements=said,
                confidence=POSSIBLE, quote=said[0].text, corrected=[ROOM_NOTE]))
        where = {(s.participant, s.text): n for n, t in enumerate(dimension.themes) for s in t.statements}
        for point in dimension.map:
            point.theme = where.get((point.participant, point.text), point.theme)
    return fixed


def with_room_reading(store, session: Session, report: Report | None) -> Report | None:
    """`report` with the session's cross-reading applied (unchanged when there was none)."""
    if report is None:
        return None
    return apply_reading(report, reading(store, session))


def from_room(theme: Theme) -> bool:
    """True for a theme the room's reading made (or made one-sided)."""
    return ROOM_NOTE in theme.corrected


# -- the lobby: progress, never content ------------------------------------------------------------


@dataclass
class ReadingProgress:
    function: str
    joined: int
    reading: int  # people who marked at least one statement
    marks: int


def progress(store, session: Session) -> list[ReadingProgress]:
    """Per function: how many people are reading and how many marks they made. Reads no text."""
    ensure_tables(store)
    people = store.participants(session.id)
    with store._db() as db:
        rows = db.conn.execute(
            "SELECT p.function, COUNT(DISTINCT m.reader_id), COUNT(*) FROM crossread_marks m "
            "JOIN participants p ON p.id = m.reader_id WHERE m.session_id = ? GROUP BY p.function",
            (session.id,),
        ).fetchall()
    counts = {f: (readers, n) for f, readers, n in rows}
    return [ReadingProgress(f, sum(p.function == f for p in people), *counts.get(f, (0, 0)))
            for f in session.functions]


# -- backup and restore --------------------------------------------------------------------------------


def backup_rows(store, session_id: str, ref_of: dict[int, int]) -> list[dict]:
    """The session's marks for a backup, readers numbered as the backup numbers participants."""
    ensure_tables(store)
    with store._db() as db:
        rows = db.conn.execute(
            "SELECT reader_id, prompt, function, text, mark, updated_at FROM crossread_marks "
            "WHERE session_id = ? ORDER BY reader_id, prompt, function, text", (session_id,),
        ).fetchall()
    return [{"reader": ref_of[r], "prompt": d, "function": f, "text": t, "mark": m, "updated_at": u}
            for r, d, f, t, m, u in rows if r in ref_of]


def check_rows(rows, refs: set[int]) -> list[dict]:
    """A backup's marks, checked; raises ValueError (with a message for a person) on a bad record."""
    if not isinstance(rows, list):
        raise ValueError("its cross-reading marks are not a list")
    for row in rows:
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("prompt", "function", "text")):
            raise ValueError("a cross-reading mark is not a valid record")
        if not isinstance(row.get("reader"), int) or isinstance(row.get("reader"), bool) or row["reader"] not in refs:
            raise ValueError("a cross-reading mark belongs to no participant")
        if row.get("mark") not in MARKS:
            raise ValueError(f"a cross-reading mark is '{row.get('mark')}'")
    return rows


def restore_rows(store, session_id: str, rows: list[dict], id_of: dict[int, int]) -> None:
    """Write a backup's marks (inside the restore's transaction)."""
    ensure_tables(store)
    with store._write() as db:
        for row in rows:
            db.conn.execute(
                "INSERT OR REPLACE INTO crossread_marks "
                "(session_id, reader_id, prompt, function, text, mark, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (session_id, id_of[row["reader"]], row["prompt"], row["function"], row["text"], row["mark"],
                 row.get("updated_at") if isinstance(row.get("updated_at"), str) else now()))
