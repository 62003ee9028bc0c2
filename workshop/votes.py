"""Votes after the reveal: which themes matter most for the new brief.

Each participant has `settings.votes_per_person()` votes (3 unless
BRIEF_RESET_VOTES says otherwise), at most one per theme, cast on their own
device once the facilitator opens voting (state key "voting": opened_at,
closed_at) and changeable until it is closed. A theme is named as the deep
dive and the decisions name it: by prompt and label. Votes are stored the
moment they are cast, one row per person and theme (table `theme_votes`); the
deep dive orders each column by them and the summary lists the top-voted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from embeddings.report import POSSIBLE, SHARED
from workshop import settings
from workshop.agenda import READINESS_KEY
from workshop.charts import prompt_title
from workshop.models import MARKETING, SALES, Session
from workshop.store import StoreError, now

STATE_KEY = "voting"  # {"opened_at": str | None, "closed_at": str | None}
TOP = 5  # themes the summary lists (more when they tie with the fifth)

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS theme_votes (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        prompt TEXT NOT NULL,
        theme TEXT NOT NULL,
        side TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (participant_id, prompt, theme)
    )""",
    "CREATE INDEX IF NOT EXISTS theme_votes_session ON theme_votes(session_id)",
)


class VoteError(StoreError):
    """A vote that cannot be cast now; the message is for the person."""


def ensure_tables(store) -> None:
    store.ensure_tables("votes", _SCHEMA)


def votes_per_person() -> int:
    return settings.votes_per_person()


# -- opening and closing ----------------------------------------------------------------------


@dataclass(frozen=True)
class Voting:
    opened_at: str | None = None
    closed_at: str | None = None

    @property
    def opened(self) -> bool:
        return self.opened_at is not None

    @property
    def open(self) -> bool:
        return self.opened and self.closed_at is None

    @property
    def closed(self) -> bool:
        return self.opened and self.closed_at is not None

    @classmethod
    def from_dict(cls, data) -> "Voting":
        data = data if isinstance(data, dict) else {}
        opened, closed = data.get("opened_at"), data.get("closed_at")
        return cls(opened if isinstance(opened, str) else None, closed if isinstance(closed, str) else None)

    def to_dict(self) -> dict:
        return {"opened_at": self.opened_at, "closed_at": self.closed_at}


def voting(store, session_id: str) -> Voting:
    return Voting.from_dict(store.get_state(session_id, STATE_KEY))


def open_voting(store, session: Session) -> Voting:
    """Phones show the themes to vote on (after the reveal: the room has seen them)."""
    current = store.get_session(session.id)
    if current is None:
        raise VoteError("That session no longer exists.")
    if not current.revealed:
        raise VoteError("Show the reveal first: people vote on its themes.")
    with store.atomic():
        new = Voting(voting(store, session.id).opened_at or now(), None)
        store.set_state(session.id, STATE_KEY, new.to_dict())
    return new


def close_voting(store, session_id: str) -> Voting:
    """Votes are final; they stay stored and the deep dive keeps its order."""
    with store.atomic():
        current = voting(store, session_id)
        if not current.open:
            return current
        new = Voting(current.opened_at, now())
        store.set_state(session_id, STATE_KEY, new.to_dict())
    return new


# -- the themes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoteTheme:
    """A theme as a voter sees it: its prompt, its name and whose it is. No statements, no names."""

    prompt: str  # the prompt's key
    label: str
    side: str
    possible: bool = False

    @property
    def id(self) -> str:
        return hashlib.sha1(f"{self.prompt}\x1f{self.label}".encode()).hexdigest()[:12]

    @property
    def key(self) -> tuple[str, str]:
        return (self.prompt, self.label)

    @property
    def title(self) -> str:
        return prompt_title(self.prompt)

    @property
    def side_words(self) -> str:
        if self.side == SHARED:
            return "Both sides"
        return f"{'Possibly only' if self.possible else 'Only'} {self.side}"


def _column(theme) -> int:
    """The deep dive's order: only sales, both, only marketing, other functions, then possible ones."""
    if theme.confidence == POSSIBLE and theme.side != SHARED:
        return 4
    return {SALES: 0, SHARED: 1, MARKETING: 2}.get(theme.side, 3)


def themes_to_vote(report, session: Session) -> list[VoteTheme]:
    """Every theme of the discussed prompts, prompt by prompt, in the deep dive's column order."""
    if report is None:
        return []
    out, seen = [], set()
    for prompt in session.prompts:
        if prompt.key == READINESS_KEY:
            continue
        dimension = report.dimension(prompt.key)
        if dimension is None:
            continue
        for theme in sorted(dimension.themes, key=_column):
            item = VoteTheme(prompt.key, theme.label, theme.side, _column(theme) == 4)
            if item.key not in seen:  # two themes with one label share a vote, as they share a decision
                seen.add(item.key)
                out.append(item)
    return out


def _session_themes(store, session: Session) -> list[VoteTheme]:
    from workshop.analysis import session_report

    return themes_to_vote(session_report(store, session), session)


# -- a participant's votes ----------------------------------------------------------------------------


@dataclass
class VoterView:
    themes: list[VoteTheme]
    mine: set[str]  # ids of the themes this person voted for
    limit: int
    open: bool  # False once the facilitator closed voting

    @property
    def left(self) -> int:
        return max(0, self.limit - len(self.mine))


def _voter(store, token: str):
    participant = store.participant_by_token(token)
    session = store.get_session(participant.session_id) if participant else None
    if participant is None or session is None:
        raise VoteError("This personal link is not valid (any more). Join again with the code.")
    return participant, session


def _mine(store, participant_id: int) -> set[tuple[str, str]]:
    ensure_tables(store)
    with store._db() as db:
        rows = db.conn.execute("SELECT prompt, theme FROM theme_votes WHERE participant_id = ?",
                               (participant_id,)).fetchall()
    return {(d, t) for d, t in rows}


def voter_view(store, token: str) -> VoterView | None:
    """What one participant's page shows once voting has opened; None before."""
    participant, session = _voter(store, token)
    state = voting(store, session.id)
    if not state.opened:
        return None
    themes = _session_themes(store, session)
    mine = _mine(store, participant.id)
    return VoterView(themes, {t.id for t in themes if t.key in mine}, votes_per_person(), state.open)


def cast(store, token: str, theme_id: str, on: bool = True) -> None:
    """Put (or, `on` False, take back) this participant's vote on one theme.

    A second vote on the same theme is the same vote; a vote past the limit
    is refused with a message, as is any vote once voting is closed.
    """
    participant, session = _voter(store, token)
    if not voting(store, session.id).open:
        raise VoteError("Voting is closed; your votes are kept.")
    theme = next((t for t in _session_themes(store, session) if t.id == theme_id), None)
    if theme is None:
        raise VoteError("That theme is no longer in the analysis.")
    limit = votes_per_person()
    ensure_tables(store)
    with store._write() as db:
        if not on:
            db.conn.execute("DELETE FROM theme_votes WHERE participant_id = ? AND prompt = ? AND theme = ?",
                            (participant.id, theme.prompt, theme.label))
            return
        rows = db.conn.execute("SELECT prompt, theme FROM theme_votes WHERE participant_id = ?",
                               (participant.id,)).fetchall()
        if (theme.prompt, theme.label) in {tuple(r) for r in rows}:
            return
        if len(rows) >= limit:
            raise VoteError(f"You have used your {limit} votes. Take one back to vote for this theme.")
        db.conn.execute(
            "INSERT INTO theme_votes (session_id, participant_id, prompt, theme, side, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (session.id, participant.id, theme.prompt, theme.label, theme.side, now()))


# -- the count ------------------------------------------------------------------------------------------


@dataclass
class Tally:
    counts: dict[tuple[str, str], int]  # (prompt key, theme label) -> votes
    voters: int  # people who cast at least one vote
    votes: int

    def of(self, prompt: str, label: str) -> int:
        return self.counts.get((prompt, label), 0)


def tally(store, session_id: str) -> Tally:
    """How many votes each theme has, and from how many people. Names no voter."""
    ensure_tables(store)
    with store._db() as db:
        rows = db.conn.execute(
            "SELECT prompt, theme, COUNT(*) FROM theme_votes WHERE session_id = ? GROUP BY prompt, theme",
            (session_id,)).fetchall()
        voters = db.conn.execute("SELECT COUNT(DISTINCT participant_id) FROM theme_votes WHERE session_id = ?",
                                 (session_id,)).fetchone()[0]
    counts = {(d, t): n for d, t, n in rows}
    return Tally(counts, voters, sum(counts.values()))


def top(themes: list[VoteTheme], counts: Tally, count: int = TOP) -> list[tuple[VoteTheme, int]]:
    """The most-voted themes with their votes, most first; ties keep the deep dive's order.

    A theme tied with the last one listed is listed too, so the cut never
    picks between equals; themes without a vote are left out.
    """
    ranked = sorted(((t, counts.of(*t.key)) for t in themes), key=lambda pair: -pair[1])
    ranked = [(t, n) for t, n in ranked if n > 0]
    if len(ranked) <= count:
        return ranked
    last = ranked[count - 1][1]
    return [(t, n) for t, n in ranked if n >= last]


def by_votes(themes: list, prompt: str, counts: Tally | None) -> list:
    """Report themes of one column, most-voted first (the analysis's order among equals)."""
    if counts is None or not counts.votes:
        return list(themes)
    return sorted(themes, key=lambda t: -counts.of(prompt, t.label))


def votes_words(count: int) -> str:
    return "1 vote" if count == 1 else f"{count} votes"


# -- backup and restore ----------------------------------------------------------------------------


def backup_rows(store, session_id: str, ref_of: dict[int, int]) -> list[dict]:
    ensure_tables(store)
    with store._db() as db:
        rows = db.conn.execute(
            "SELECT participant_id, prompt, theme, side, updated_at FROM theme_votes WHERE session_id = ? "
            "ORDER BY participant_id, prompt, theme", (session_id,)).fetchall()
    return [{"participant": ref_of[p], "prompt": d, "theme": t, "side": s, "updated_at": u}
            for p, d, t, s, u in rows if p in ref_of]


def check_rows(rows, refs: set[int]) -> list[dict]:
    if not isinstance(rows, list):
        raise ValueError("its votes are not a list")
    for row in rows:
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in ("prompt", "theme", "side")):
            raise ValueError("a vote is not a valid record")
        who = row.get("participant")
        if not isinstance(who, int) or isinstance(who, bool) or who not in refs:
            raise ValueError("a vote belongs to no participant")
    return rows


def restore_rows(store, session_id: str, rows: list[dict], id_of: dict[int, int]) -> None:
    ensure_tables(store)
    with store._write() as db:
        for row in rows:
            db.conn.execute(
                "INSERT OR REPLACE INTO theme_votes (session_id, participant_id, prompt, theme, side, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, id_of[row["participant"]], row["prompt"], row["theme"], row["side"],
                 row.get("updated_at") if isinstance(row.get("updated_at"), str) else now()))
