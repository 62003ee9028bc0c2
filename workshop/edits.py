"""Saving what a facilitator typed when another tab may have saved the same thing meanwhile.

Two facilitator tabs (the projector and a laptop) edit the same reset brief.
Each tab remembers the stored text it started from (its base). When it saves
and the store holds something else by then, the other tab's change is merged
line by line with this one, so neither addition is lost; where both changed
the same lines, both versions are kept and the caller warns the person. The
read and the write are one compare-and-set on the value's version, so a third
write in between is never overwritten either.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Callable

from workshop.store import StoreError

ATTEMPTS = 8


@dataclass(frozen=True)
class Merged:
    text: str
    merged: bool = False  # another tab's change is in the text too
    conflict: bool = False  # both changed the same lines: both versions are kept, check them
    replaced: str | None = None  # one-line fields: the other tab's text this one replaced


@dataclass(frozen=True)
class _Hunk:
    start: int  # base lines [start, end) are replaced by lines
    end: int
    lines: tuple[str, ...]
    side: str  # "mine" | "theirs"

    @property
    def insertion(self) -> bool:
        return self.start == self.end


def _hunks(base: list[str], other: list[str], side: str) -> list[_Hunk]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [
        _Hunk(i1, i2, tuple(other[j1:j2]), side)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _clash(a: _Hunk, b: _Hunk) -> bool:
    """Whether two changes touch the same place of the base text."""
    if a.start < b.end and b.start < a.end:
        return True
    if a.insertion and b.insertion:
        return a.start == b.start
    if a.insertion:
        return b.start < a.start < b.end
    if b.insertion:
        return a.start < b.start < a.end
    return False


def _apply(base: list[str], start: int, end: int, hunks: list[_Hunk]) -> list[str]:
    out, pos = [], start
    for hunk in sorted(hunks, key=lambda h: (h.start, h.end)):
        out += base[pos:hunk.start]
        out += hunk.lines
        pos = hunk.end
    return out + base[pos:end]


def merge_text(base: str, mine: str, theirs: str) -> Merged:
    """Three-way merge by lines: this tab's edit (mine) and another's (theirs), both made from base."""
    if theirs == base or mine == theirs:
        return Merged(mine)
    if mine == base:
        return Merged(theirs, merged=True)
    base_lines, mine_lines, their_lines = base.splitlines(), mine.splitlines(), theirs.splitlines()
    hunks = sorted(_hunks(base_lines, mine_lines, "mine") + _hunks(base_lines, their_lines, "theirs"),
                   key=lambda h: (h.start, h.end))
    # Changes that touch each other form one region, resolved together.
    regions: list[list[_Hunk]] = []
    for hunk in hunks:
        if regions and any(_clash(hunk, other) for other in regions[-1]):
            regions[-1].append(hunk)
        else:
            regions.append([hunk])
    out: list[str] = []
    pos = 0
    conflict = False
    for region in regions:
        start = min(h.start for h in region)
        end = max(h.end for h in region)
        out += base_lines[pos:start]
        ours = [h for h in region if h.side == "mine"]
        others = [h for h in region if h.side == "theirs"]
        if not others or not ours:
            out += _apply(base_lines, start, end, region)
        else:
            mine_part = _apply(base_lines, start, end, ours)
            their_part = _apply(base_lines, start, end, others)
            if mine_part == their_part:
                out += mine_part
            else:
                # Keep both: theirs, then what only this tab wrote. Two additions
                # at the same place are a clean merge; two rewrites of the same
                # lines are a conflict the person should look at.
                out += their_part + [line for line in mine_part if line not in their_part]
                conflict = conflict or not all(h.insertion for h in region)
        pos = end
    out += base_lines[pos:]
    return Merged("\n".join(out), merged=True, conflict=conflict)


def merge_line(base: str, mine: str, theirs: str) -> Merged:
    """A one-line field (a note, an owner): the later write wins, and says what it replaced."""
    if theirs == base or mine == theirs:
        return Merged(mine)
    return Merged(mine, replaced=theirs)


def save_edit(
    store, session_id: str, key: str, base: str, mine: str,
    read: Callable[[Any], str | None] = lambda value: value,
    write: Callable[[Any, str], Any] = lambda value, text: text,
    one_line: bool = False,
) -> Merged:
    """Store this tab's text `mine`, typed over `base`, in state `key`; merge with any write since.

    read(value) picks the text out of the stored value (None: never stored, so
    nobody else wrote it); write(value, text) returns the value with the text
    put in. Returns what is stored now and whether another tab's text is in it.
    """
    for _ in range(ATTEMPTS):
        value, version = store.get_state_versioned(session_id, key)
        current = read(value)
        current = base if current is None else current
        merge = merge_line if one_line else merge_text
        result = merge(base or "", mine or "", current or "")
        if store.set_state_if(session_id, key, write(value, result.text), version) is not None:
            return result
    raise StoreError("Too many changes at the same moment; your text is still on screen. Try again.")


def field_of(name: str) -> tuple[Callable[[Any], str | None], Callable[[Any, str], Any]]:
    """read/write for one text inside a stored {name: text} dict (e.g. the reset brief per prompt)."""

    def read(value):
        return value.get(name) if isinstance(value, dict) else None

    def write(value, text):
        return {**(value if isinstance(value, dict) else {}), name: text}

    return read, write


def update_state(store, session_id: str, key: str, change: Callable[[Any], Any], default: Any = None) -> Any:
    """Read-change-write of one state value as a unit: a write from another tab in between is kept."""
    for _ in range(ATTEMPTS):
        value, version = store.get_state_versioned(session_id, key, default)
        new = change(value)
        if store.set_state_if(session_id, key, new, version) is not None:
            return new
    raise StoreError("Too many changes at the same moment. Try again.")
