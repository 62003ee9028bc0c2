"""Split answers into statements: the points the analysis compares.

A statement is one non-empty line of an answer with its bullet removed. A
line is split further only where it clearly packs separate points: an inline
numbered list ("1) seal failures 2) supply gaps") or inline bullets
("• cost • timing"). Ordinary punctuation (commas, semicolons, dashes) is
left alone: people use it inside one point far more often than between two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Longest statement the analysis keeps; the model truncates long text anyway,
# and a statement is a point, not an essay.
MAX_STATEMENT_CHARS = 400

# Every bullet of the app is read here, in two ways. A line of a typed text
# (a brief, a reset brief section, notes) is a list item only when its mark
# is followed by a space: "**Fears**" opens with bold and "-5%" with a minus.
# A statement of an answer loses any leading mark, spaced or not ("•cost",
# "1)cost", "a) cost", "--> cost"): a point never starts with one.
_MARKS = "-–—•*·▪‣◦►+"
_LIST_ITEM = re.compile(rf"^\s*(?:[{_MARKS}]|\(?\d{{1,2}}[.)])\s+")
_BULLET = re.compile(
    rf"""^\s*(?:
        [{_MARKS}>]+              # dash, dot and arrow bullets
      | \(?\d{{1,2}}[.)](?!\d)      # 1.  1)  (1)
      | \(?[a-zA-Z][)](?=\s)      # a)  (b)
    )\s*""",
    re.VERBOSE,
)
# A number closing with "." or ")" after a space or at the start: "1) " "2. ".
_INLINE_NUMBER = re.compile(r"(?:(?<=\s)|^)\(?(\d{1,2})[.)]\s+")
_INLINE_BULLET = re.compile(r"\s+[•▪‣◦·]\s+")


@dataclass(frozen=True)
class Piece:
    """A statement with the answer it came from (index into the answer list)."""

    answer: int
    text: str


def strip_bullet(line: str) -> str:
    """The line without a leading bullet or list number, trimmed."""
    stripped = _BULLET.sub("", line, count=1).strip()
    # "1)" alone, or "-" alone, is not a point.
    return stripped if any(ch.isalnum() for ch in stripped) else ""


def list_item(line: str) -> tuple[bool, str]:
    """Whether a line of a typed text is a list item, and its text without the mark, trimmed.

    Only a mark followed by a space counts: "- point", "• point", "1. point",
    "(2) point"; "**Fears**", "-5%" and "2024. was" are not list items.
    """
    match = _LIST_ITEM.match(line)
    return (True, line[match.end():].strip()) if match else (False, line.strip())


def split_inline_list(line: str) -> list[str]:
    """Split a run-on line at an inline numbered list that counts 1, 2, 3...

    Only a sequence that starts at 1 and goes on at 2 counts: a lone "3." in
    "grew 3. times" or "v2.1" must not split a point.
    """
    cuts: list[tuple[int, int]] = []  # (start of marker, start of the item text)
    expected = 1
    for match in _INLINE_NUMBER.finditer(line):
        if int(match.group(1)) == expected:
            cuts.append((match.start(), match.end()))
            expected += 1
    if len(cuts) < 2:
        return [line]
    items = []
    prefix = line[: cuts[0][0]].strip(" :-–—")
    for i, (_, text_start) in enumerate(cuts):
        end = cuts[i + 1][0] if i + 1 < len(cuts) else len(line)
        items.append(line[text_start:end].strip(" ,;"))
    if prefix:
        # A short lead-in ("two things:") belongs to the first point; a long one
        # is a point of its own.
        if len(prefix.split()) >= 4:
            items.insert(0, prefix)
        else:
            items[0] = f"{prefix} {items[0]}"
    return [item for item in items if item]


def split_answer(text: str) -> list[str]:
    """The statements of one answer, in order, without bullets."""
    statements: list[str] = []
    for raw_line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        # Inline lists are found before the bullet goes: the leading "1)" is
        # what shows that a "2)" further on starts a second point.
        for part in _INLINE_BULLET.split(raw_line.strip()):
            for item in split_inline_list(part.strip()):
                item = strip_bullet(item)
                if item:
                    statements.append(_clip(item))
    return statements


def _clip(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MAX_STATEMENT_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_STATEMENT_CHARS)
    return text[: cut if cut > 0 else MAX_STATEMENT_CHARS] + "…"


def split_answers(texts: list[str]) -> list[Piece]:
    """Every statement of every answer, tagged with its answer's index."""
    return [Piece(i, s) for i, text in enumerate(texts) for s in split_answer(text)]
