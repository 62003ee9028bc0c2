"""Text that people typed or uploaded, made safe to store, render and export.

Three rules, each in one place:

- `clean` on the way in: control characters (a NUL, a bell, terminal escape
  sequences) and the bidirectional overrides that reorder what a screen shows
  are dropped; newlines and tabs stay. The store applies it to every text it
  keeps, and every import applies it before checking lengths, so whatever is
  stored can be exported and imported again unchanged.
- `csv_cell` / `csv_uncell` on the way out to a spreadsheet: a cell starting
  with = + - @ (or a tab or carriage return) is a live formula in Excel and
  LibreOffice; OWASP's advice is to prefix a single quote. The importer takes
  exactly that quote off again, so the round trip holds.
- `offline_markdown` for Markdown someone wrote (the brief of record): it keeps
  headings, lists and emphasis but never an image, a link or raw HTML, so a
  projected page makes no request to another address.
"""

from __future__ import annotations

import re

# Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI):
# invisible, and they make a name or an answer display in another order than
# it was typed. Marks (LRM, RLM, ALM) only nudge neutral characters; they stay.
# Control characters (Unicode category Cc) are exactly U+0000-U+001F and U+007F-U+009F.
_DROP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str | None) -> str:
    """`text` without control characters or bidi overrides; line ends become "\\n"."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _DROP.sub("", text)


def clean_line(text: str | None) -> str:
    """A one-line field (a name, a title): cleaned, with runs of white space as one space."""
    return " ".join(clean(text).split())


def clean_json(value):
    """Every string inside a JSON-ready value cleaned (keys too)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean_json(v) for v in value]
    if isinstance(value, dict):
        return {clean(k) if isinstance(k, str) else k: clean_json(v) for k, v in value.items()}
    return value


# -- spreadsheet formulas -----------------------------------------------------

_FORMULA = re.compile(r"^'*[=+\-@\t\r]")


def csv_cell(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP)."""
    value = "" if value is None else str(value)
    # Quotes already in front are counted too, so csv_uncell knows which one is ours.
    return "'" + value if _FORMULA.match(value) else value


def csv_uncell(value: str) -> str:
    """The cell as it was before `csv_cell`."""
    return value[1:] if value.startswith("'") and _FORMULA.match(value[1:]) else value


# -- Markdown without remote content ------------------------------------------

_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_REFERENCE = re.compile(r"(?m)^ {0,3}\[[^\]\n]+\]:.*$")
# What a GFM renderer (Streamlit's included) turns into a link by itself.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=www)(\.)|(@)")


def offline_markdown(text: str | None) -> str:
    """Markdown someone wrote, with its formatting but no image, link or HTML.

    An image becomes its description and a link its text; every bracket and
    angle bracket left is escaped, so no other syntax can make one either; a
    bare address stays readable text instead of turning into a link.
    """
    text = clean(text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REFERENCE.sub("", text)
    # A backslash first: one the author typed must not cancel the escapes that follow.
    text = re.sub(r"([\\\[\]<])", r"\\\1", text)
    return _AUTOLINK.sub(lambda m: "\\" + m.group(0), text)
