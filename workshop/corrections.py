"""The facilitator's corrections to the analysis, made before the room sees it.

A correction names what it changes by the statements involved (participant
and text), never by a theme's position or label: the analysis runs again
when a late answer arrives, its themes are renumbered and relabelled, but
the same statements are still there. Corrections are kept in the order they
were made (state key "corrections") and replayed on every fresh report, so
they survive a refresh, a second facilitator tab and a re-analysis. A
correction whose statements are gone no longer applies and says so.

`apply(report, corrections)` is pure: the stored report stays the raw
analysis (what `python -m workshop analyze` would say); the reveal, the deep
dive, the reset brief, the summary and every export read the corrected one.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import asdict, dataclass, field

from embeddings.report import ALIGNED, DIVERGENT, HIGH, SHARED, DimensionResult, Report, Statement, Theme

STATE_KEY = "corrections"
SEEN_STATE_KEY = "corrections_seen"  # per prompt: the statements the facilitator had in front of them

VERDICT = "verdict"  # override a prompt's verdict, with a one-line reason
MERGE = "merge"  # join two themes
MOVE = "move"  # move a statement to another theme, or out of every theme
SPLIT = "split"  # statements of a theme become a theme of their own
RENAME = "rename"  # a theme's label
SIDE = "side"  # shared / only one function
DISMISS = "dismiss"  # the theme is not a theme
KINDS = (VERDICT, MERGE, MOVE, SPLIT, RENAME, SIDE, DISMISS)

RENAMED = "renamed by the facilitator"
SIDE_SET = "side set by the facilitator"
MAX_REASON_CHARS = 200
MAX_LABEL_CHARS = 80

Key = tuple[str, str]  # (participant, text): one statement


def statement_key(statement: Statement) -> Key:
    return (statement.participant, statement.text)


def theme_keys(theme: Theme) -> list[Key]:
    return [statement_key(s) for s in theme.statements]


class CorrectionError(ValueError):
    """A correction that cannot be made; the message is for the facilitator."""


@dataclass
class Correction:
    """One change the facilitator made. `theme` / `other` / `statements` name statements, not themes."""

    kind: str
    dimension: str
    theme: list[Key] = field(default_factory=list)  # the theme changed (its statements when the change was made)
    other: list[Key] = field(default_factory=list)  # merge: the theme joined in; move: the target ([] = out of every theme)
    statements: list[Key] = field(default_factory=list)  # move / split: the statements that go
    value: str = ""  # verdict: the new verdict; rename: the label; side: the side
    reason: str = ""  # verdict: why (shown in the summary)
    id: str = ""

    def to_dict(self) -> dict:
        data = asdict(self)
        for name in ("theme", "other", "statements"):
            data[name] = [list(k) for k in data[name]]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Correction":
        def keys(name):
            return [(str(p), str(t)) for p, t in data.get(name) or []]

        return cls(kind=str(data["kind"]), dimension=str(data["dimension"]), theme=keys("theme"),
                   other=keys("other"), statements=keys("statements"), value=str(data.get("value", "")),
                   reason=str(data.get("reason", "")), id=str(data.get("id", "")))


@dataclass
class Outcome:
    """What replaying the corrections did: which applied, which no longer do."""

    report: Report
    applied: list[Correction] = field(default_factory=list)
    stale: list[Correction] = field(default_factory=list)  # their statements are gone


# -- making corrections ---------------------------------------------------------


def override_verdict(dimension: str, verdict: str, reason: str) -> Correction:
    if verdict not in (ALIGNED, DIVERGENT):
        raise CorrectionError("A verdict is aligned or divergent.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise CorrectionError("Say in one line why the verdict is changed: the summary shows it.")
    if len(reason) > MAX_REASON_CHARS:
        raise CorrectionError(f"Keep the reason to one line (under {MAX_REASON_CHARS} characters).")
    return _new(VERDICT, dimension, value=verdict, reason=reason)


def merge(dimension: str, theme: Theme, into: Theme) -> Correction:
    if theme_keys(theme) == theme_keys(into):
        raise CorrectionError("Choose two different themes to merge.")
    return _new(MERGE, dimension, theme=theme_keys(into), other=theme_keys(theme))


def move(dimension: str, statement: Statement, source: Theme | None, target: Theme | None) -> Correction:
    """Move a statement into `target`, or out of every theme (`target` None)."""
    return _new(MOVE, dimension, theme=theme_keys(source) if source else [], other=theme_keys(target) if target else [],
                statements=[statement_key(statement)])


def split(dimension: str, theme: Theme, statements: list[Statement]) -> Correction:
    keys = [statement_key(s) for s in statements]
    if not keys or len(keys) >= len(theme.statements) or not set(keys) <= set(theme_keys(theme)):
        raise CorrectionError("Choose some, not all, of the theme's statements to split off.")
    return _new(SPLIT, dimension, theme=theme_keys(theme), statements=keys)


def rename(dimension: str, theme: Theme, label: str) -> Correction:
    label = " ".join((label or "").split())
    if not label:
        raise CorrectionError("A theme needs a name.")
    if len(label) > MAX_LABEL_CHARS:
        raise CorrectionError(f"Keep the name short (under {MAX_LABEL_CHARS} characters).")
    return _new(RENAME, dimension, theme=theme_keys(theme), value=label)


def set_side(dimension: str, theme: Theme, side: str) -> Correction:
    return _new(SIDE, dimension, theme=theme_keys(theme), value=side)


def dismiss(dimension: str, theme: Theme) -> Correction:
    return _new(DISMISS, dimension, theme=theme_keys(theme))


def _new(kind: str, dimension: str, **fields) -> Correction:
    return Correction(kind=kind, dimension=dimension, id=uuid.uuid4().hex[:12], **fields)


# -- replaying them ---------------------------------------------------------------


def apply(report: Report | None, corrections: list[Correction], functions: list[str] | None = None) -> Outcome:
    """The report with every correction replayed in order (the input is not changed)."""
    if report is None:
        return Outcome(None, [], list(corrections))  # type: ignore[arg-type]
    fixed = copy.deepcopy(report)
    outcome = Outcome(fixed)
    for correction in corrections:
        dimension = fixed.dimension(correction.dimension)
        done = dimension is not None and _apply_one(dimension, correction, functions)
        (outcome.applied if done else outcome.stale).append(correction)
    for dimension in fixed.dimensions:
        _renumber_map(dimension)
    return outcome


def _find(dimension: DimensionResult, keys: list[Key]) -> Theme | None:
    """The theme now holding most of these statements (the first on a tie), or None."""
    wanted = set(keys)
    best, best_overlap = None, 0
    for theme in dimension.themes:
        overlap = len(wanted & set(theme_keys(theme)))
        if overlap > best_overlap:
            best, best_overlap = theme, overlap
    return best


def _statement(dimension: DimensionResult, key: Key) -> Statement | None:
    for point in dimension.map:
        if (point.participant, point.text) == key:
            return Statement(point.participant, point.function, point.text)
    for theme in dimension.themes:
        for s in theme.statements:
            if statement_key(s) == key:
                return s
    return None


def _note(theme: Theme, what: str) -> None:
    if what not in theme.corrected:
        theme.corrected.append(what)


def _apply_one(dimension: DimensionResult, c: Correction, functions) -> bool:
    if c.kind == VERDICT:
        if dimension.verdict not in (ALIGNED, DIVERGENT):
            return False
        if dimension.verdict != c.value:
            dimension.override = {"from": dimension.verdict, "reason": c.reason}
            dimension.verdict = c.value
        else:
            dimension.override = None
        return True
    if c.kind == MOVE:
        statement = _statement(dimension, c.statements[0]) if c.statements else None
        if statement is None:
            return False
        target = _find(dimension, c.other) if c.other else None
        if c.other and target is None:
            return False
        for theme in dimension.themes:
            theme.statements = [s for s in theme.statements if statement_key(s) != c.statements[0]]
        if target is not None:
            target.statements.append(statement)
            _note(target, "statements moved by the facilitator")
        _tidy(dimension, functions)
        return True
    theme = _find(dimension, c.theme)
    if theme is None:
        return False
    if c.kind == MERGE:
        other = _find(dimension, c.other)
        if other is None or other is theme:
            return False
        theme.statements += [s for s in other.statements if statement_key(s) not in set(theme_keys(theme))]
        dimension.themes.remove(other)
        _note(theme, "merged by the facilitator")
        _tidy(dimension, functions)
        return True
    if c.kind == SPLIT:
        going = [s for s in theme.statements if statement_key(s) in set(c.statements)]
        if not going or len(going) == len(theme.statements):
            return False
        theme.statements = [s for s in theme.statements if s not in going]
        one_side = {s.function for s in going} == {theme.side}
        new = Theme(label=going[0].text, side=theme.side if one_side else SHARED, participants=[],
                    statements=going, confidence=theme.confidence, quote=going[0].text,
                    corrected=["split off by the facilitator"])
        _note(theme, "split by the facilitator")
        dimension.themes.insert(dimension.themes.index(theme) + 1, new)
        _tidy(dimension, functions)
        return True
    if c.kind == RENAME:
        theme.label = c.value
        _note(theme, RENAMED)
        return True
    if c.kind == SIDE:
        theme.side = c.value
        theme.confidence = HIGH
        _note(theme, SIDE_SET)
        _tidy(dimension, functions)
        return True
    if c.kind == DISMISS:
        dimension.themes.remove(theme)
        dimension.dismissed.append(theme.label)
        _tidy(dimension, functions)
        return True
    return False


def _tidy(dimension: DimensionResult, functions) -> None:
    """After statements moved: drop empty themes, recount people, keep sides true to who speaks."""
    kept = []
    for theme in dimension.themes:
        if not theme.statements:
            continue
        theme.participants = sorted({s.participant for s in theme.statements})
        # A theme both sides now speak in is shared, unless the facilitator said otherwise.
        if SIDE_SET not in theme.corrected and len({s.function for s in theme.statements}) > 1:
            theme.side = SHARED
        if theme.quote not in [s.text for s in theme.statements]:
            theme.quote = theme.statements[0].text
        kept.append(theme)
    dimension.themes = kept
    labels = {t.label for t in kept}
    dimension.brief_gaps = [g for g in dimension.brief_gaps if g in labels]


def _renumber_map(dimension: DimensionResult) -> None:
    """Map points point at the theme that now holds their statement."""
    where = {statement_key(s): n for n, theme in enumerate(dimension.themes) for s in theme.statements}
    for point in dimension.map:
        point.theme = where.get((point.participant, point.text))


# -- storing them -------------------------------------------------------------------


def load(store, session_id: str) -> list[Correction]:
    stored = store.get_state(session_id, STATE_KEY, []) or []
    out = []
    for item in stored if isinstance(stored, list) else []:
        try:
            out.append(Correction.from_dict(item))
        except (KeyError, TypeError, ValueError):
            continue  # one unreadable record must not hide the others
    return out


def add(store, session_id: str, correction: Correction) -> None:
    """Store a correction the moment it is made (read, append and write under the store's write lock)."""
    store.append_state(session_id, STATE_KEY, correction.to_dict())


def undo(store, session_id: str, correction_id: str) -> None:
    store.remove_from_state(session_id, STATE_KEY, lambda item: item.get("id") == correction_id)


# -- words ------------------------------------------------------------------------


def describe(correction: Correction, titles: dict[str, str] | None = None) -> str:
    """One line for the summary: what the facilitator changed, in plain words."""
    prompt = (titles or {}).get(correction.dimension, correction.dimension.replace("_", " ").capitalize())
    first = correction.theme[0][1] if correction.theme else ""
    if correction.kind == VERDICT:
        return f"{prompt}: verdict set to {correction.value} ({correction.reason})"
    if correction.kind == MERGE:
        return f"{prompt}: two themes merged (“{first}” and “{correction.other[0][1] if correction.other else ''}”)"
    if correction.kind == MOVE:
        where = "out of every theme" if not correction.other else f"to the theme of “{correction.other[0][1]}”"
        return f"{prompt}: “{correction.statements[0][1] if correction.statements else ''}” moved {where}"
    if correction.kind == SPLIT:
        return f"{prompt}: a theme split in two (“{correction.statements[0][1] if correction.statements else ''}”)"
    if correction.kind == RENAME:
        return f"{prompt}: a theme renamed “{correction.value}”"
    if correction.kind == SIDE:
        side = "shared by both sides" if correction.value == SHARED else f"only {correction.value}"
        return f"{prompt}: the theme of “{first}” set to {side}"
    if correction.kind == DISMISS:
        return f"{prompt}: the theme of “{first}” dismissed"
    return f"{prompt}: {correction.kind}"


def corrected(store, session, report: Report | None) -> Outcome:
    """`report` with the session's corrections replayed: what the room is shown."""
    return apply(report, load(store, session.id), list(session.functions))


def seen(store, session_id: str) -> dict[str, list[Key]]:
    """Per prompt, the statements the facilitator has already checked."""
    stored = store.get_state(session_id, SEEN_STATE_KEY, {}) or {}
    return {k: [tuple(x) for x in v] for k, v in stored.items()} if isinstance(stored, dict) else {}


def mark_seen(store, session_id: str, dimension: str, keys: list[Key]) -> None:
    marks = seen(store, session_id)
    marks[dimension] = [list(k) for k in keys]
    store.set_state(session_id, SEEN_STATE_KEY, {k: [list(x) for x in v] for k, v in marks.items()})
