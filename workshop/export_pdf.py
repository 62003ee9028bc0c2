"""The summary as a PDF, made on the server with fpdf2 (no browser).

A Unicode TrueType font (DejaVu, from Debian's fonts-dejavu-core) carries
accents, typographic quotes, Greek, Cyrillic and Hebrew. A character the
font lacks (Arabic, Chinese, Japanese, Korean, most emoji) is drawn as a
white square instead of an invisible glyph, and a note under the title says
which scripts were left out and that the HTML and Markdown summary carry
them: nobody reads a PDF with silent gaps. Without DejaVu on the machine the
PDF falls back to the built-in Helvetica, which covers Latin-1 only.
"""

from __future__ import annotations

import dataclasses
import io
import unicodedata
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from workshop.charts import function_colour
from workshop.summary import LABELS, SECTION_TITLES, Summary, deals_sentence, people_words, text_blocks

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
    Path("/Library/Fonts"),
)
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MISSING_GLYPH = "\u25a1"  # white square
INK = (29, 29, 31)
MUTED = (95, 99, 104)
SOFT = (246, 247, 249)
LINE = (218, 220, 224)


@lru_cache(maxsize=1)
def font_files() -> dict[str, Path] | None:
    for folder in FONT_DIRS:
        paths = {style: folder / name for style, name in FONT_FILES.items()}
        if all(p.is_file() for p in paths.values()):
            return paths
    return None


@lru_cache(maxsize=1)
def _covered() -> frozenset[int] | None:
    """Code points every style of the font can draw; None for the core font."""
    files = font_files()
    if files is None:
        return None
    from fontTools.ttLib import TTFont

    sets = []
    for path in files.values():
        with TTFont(path, lazy=True) as font:
            sets.append(set(font.getBestCmap()))
    return frozenset(set.intersection(*sets))


def drawable(text: str) -> str:
    """`text` with every character the font cannot draw replaced by a square."""
    covered = _covered()
    if covered is None:
        return "".join(ch if ch in "\n\t" or 32 <= ord(ch) < 256 else "?" for ch in text)
    return "".join(ch if ch in "\n\t" or ord(ch) in covered else MISSING_GLYPH for ch in text)


# The first word of a character's Unicode name, as a reader would name its script.
_SCRIPTS = {
    "ARABIC": "Arabic", "CJK": "Chinese or Japanese", "HIRAGANA": "Japanese", "KATAKANA": "Japanese",
    "HANGUL": "Korean", "DEVANAGARI": "Devanagari", "THAI": "Thai", "HEBREW": "Hebrew",
    "BENGALI": "Bengali", "TAMIL": "Tamil", "ETHIOPIC": "Ethiopic", "KHMER": "Khmer",
}


def left_out(texts) -> dict[str, int]:
    """How many characters of each script the font cannot draw, in these texts."""
    counts: dict[str, int] = {}
    for text in texts:
        for ch in drawable_missing(text):
            name = unicodedata.name(ch, "")
            script = _SCRIPTS.get(name.split(" ")[0].split("-")[0], "symbols and emoji")
            counts[script] = counts.get(script, 0) + 1
    return counts


def drawable_missing(text: str) -> str:
    """The characters of `text` that `drawable` replaces (spaces and invisible marks aside)."""
    return "".join(a for a, b in zip(text, drawable(text))
                   if a != b and unicodedata.category(a) not in ("Cf", "Mn", "Zs", "Cc"))


def left_out_note(summary: Summary) -> str:
    """The sentence under the title when the font left something out, else ""."""
    counts = left_out(_texts(summary))
    if not counts:
        return ""
    scripts = sorted(counts, key=lambda k: (-counts[k], k))
    named = ", ".join(f"{k} ({counts[k]:,} character{'s' if counts[k] != 1 else ''})" for k in scripts)
    return (f"This PDF's font cannot draw some of what people wrote, shown as {MISSING_GLYPH}: {named}. "
            "The HTML and Markdown summary show every character.")


def _texts(value):
    """Every string inside the summary."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _texts(getattr(value, f.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)


class _SummaryPDF(FPDF):
    def __init__(self, summary: Summary):
        super().__init__(format="A4")
        self.summary = summary
        files = font_files()
        if files:
            for style, path in files.items():
                self.add_font("Body", style, str(path))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(drawable(summary.title))
        self.set_creator("Brief Reset")

    def footer(self):
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, drawable(f"{self.summary.title} · page {self.page_no()}/{{nb}}"), align="C")

    # -- building blocks ---------------------------------------------------

    def text_block(self, text: str, size: float = 10.5, style: str = "", colour=INK, height=None):
        self.set_font(self.family, style, size)
        self.set_text_color(*colour)
        self.multi_cell(0, height or size * 0.5, drawable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def shaded_block(self, text: str, size: float, colour, height: float):
        """A paragraph on a soft grey panel (the reading note, the old brief)."""
        self.set_fill_color(*SOFT)
        self.set_font(self.family, "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, height, drawable(text), fill=True, padding=3, align="L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(self, text: str):
        # Keep a heading with at least a few lines of what follows.
        if self.get_y() > self.h - self.b_margin - 30:
            self.add_page()
        self.ln(5)
        self.text_block(text, 14, "B")
        self.set_draw_color(*LINE)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(3)

    def subheading(self, text: str):
        if self.get_y() > self.h - self.b_margin - 20:
            self.add_page()
        self.ln(2)
        self.text_block(text, 11, "B")

    def bullets(self, lines: list[str], size: float = 10.5, colour=INK):
        self.set_font(self.family, "", size)
        for line in lines:
            self.set_text_color(*colour)
            self.set_x(self.l_margin)
            self.cell(5, size * 0.5, "•" if font_files() else "-")
            self.multi_cell(0, size * 0.5, drawable(line), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def lines(self, text: str, size: float = 10.5, colour=INK):
        """A typed text: paragraphs, labels and bullets, as summary.text_blocks reads it."""
        for block in text_blocks(text):
            if block.kind == "items":
                self.bullets(block.lines, size, colour)
            elif block.kind == "label":
                self.text_block(block.lines[0], size, "B", colour)
            else:
                self.text_block(block.lines[0], size, colour=colour)

    def grid(self, headings: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...]):
        self.set_font(self.family, "", 9.5)
        self.set_text_color(*INK)
        self.set_draw_color(*LINE)
        self.set_fill_color(255, 255, 255)
        heading_style = FontFace(emphasis="BOLD", color=MUTED, fill_color=SOFT)
        with self.table(
            col_widths=widths, text_align="LEFT", headings_style=heading_style,
            line_height=5, padding=1.5, borders_layout="HORIZONTAL_LINES",
            cell_fill_mode="NONE",
        ) as table:
            table.row([drawable(h) for h in headings])
            for row in rows:
                table.row([drawable(cell) for cell in row])
        self.ln(2)


def render_pdf(summary: Summary, chart_png: bytes | None = None) -> bytes:
    s, t, w = summary, SECTION_TITLES, LABELS
    pdf = _SummaryPDF(s)
    pdf.add_page()

    pdf.text_block(s.title, 20, "B", height=9)
    facts = [f"{w[k]}: {v}" for k, v in (("company", s.company), ("date", s.date), ("facilitator", s.facilitator)) if v]
    if facts:
        pdf.text_block("   ·   ".join(facts), 10, colour=MUTED)
    note = left_out_note(s)
    if note:
        pdf.ln(1)
        pdf.shaded_block(note, 9, MUTED, 4.5)
    pdf.ln(2)

    pdf.heading(t["how-to-read"])
    pdf.shaded_block(s.how_to_read, 10, INK, 5)

    if s.participation:
        pdf.heading(t["participants"])
        lines = []
        for p in s.participation:
            line = f"{p.function.capitalize()}: {p.count}"
            if p.names:
                line += " (" + ", ".join(p.names) + ")"
            lines.append(line)
        pdf.bullets(lines)

    if s.prompts:
        pdf.heading(t["prompts"])
        if chart_png:
            width = min(150, pdf.epw)
            pdf.image(io.BytesIO(chart_png), w=width, x=pdf.l_margin)
            pdf.ln(2)
        pdf.grid(
            (w["prompt"], w["verdict"], w["how_sure"], w["alignment"], w["why"]),
            [(p.title, p.verdict_words, p.strength_words, p.score, " ".join(x for x in (p.why, p.strength_note) if x))
             for p in s.prompts],
            (20, 20, 16, 16, 56),
        )

    if s.recognition:
        pdf.heading(t["recognition"])
        pdf.shaded_block(s.recognition_note, 9.5, INK, 4.8)
        pdf.ln(1)
        lines = []
        for r in s.recognition:
            lines += [f"{line}." for line in r.sentences]
            if r.disagreement:
                lines.append(f"{r.prompt}, {w['readers_disagree'].lower()}: {r.disagreement}")
        pdf.bullets(lines)

    if s.readiness:
        r = s.readiness
        pdf.heading(t["readiness"])
        pdf.text_block(f"{r.verdict_words}. {r.sentence}")
        pdf.ln(1)
        pdf.grid(
            (w["stage"],) + tuple(f.capitalize() for f in r.functions),
            [(x.stage,) + tuple(str(x.people.get(f, 0)) for f in r.functions) for x in r.stages],
            (60,) + (20,) * len(r.functions),
        )

    if s.themes:
        pdf.heading(t["themes"])
        _themes(pdf, s.themes, w["named_only_by"])

    if s.possible_themes:
        pdf.heading(t["possible-themes"])
        pdf.shaded_block(s.possible_note, 9.5, INK, 4.8)
        pdf.ln(2)
        _themes(pdf, s.possible_themes, w["possibly_named_only_by"])

    if s.top_votes:
        pdf.heading(t["votes"])
        pdf.text_block(s.votes_note)
        pdf.ln(1)
        pdf.grid(
            (w["prompt"], w["theme"], w["side"], w["votes"]),
            [(v.prompt, v.theme, v.side_words, str(v.votes)) for v in s.top_votes],
            (22, 60, 30, 16),
        )

    if s.brief_flags:
        pdf.heading(t["brief-flags"])
        lines = []
        for f in s.brief_flags:
            lines += [f"{f.prompt}, {w['not_in_brief']}: {gap}" for gap in f.gaps]
            lines += [f"{f.prompt}, {w['only_marketing']}: {stale}" for stale in f.stale]
        pdf.bullets(lines)

    if s.has_commercial_reality:
        pdf.heading(t["commercial"])
        if s.deals_count:
            pdf.text_block(deals_sentence(s.deals_count, bool(s.deal_shifts)))
            pdf.bullets(s.deal_shifts)
        if s.commercial_notes:
            pdf.lines(s.commercial_notes)

    if s.decisions:
        pdf.heading(t["decisions"])
        pdf.grid(
            (w["prompt"], w["theme"], w["decision"], w["note"]),
            [(d.prompt, d.theme, d.choice_words, d.note) for d in s.decisions],
            (20, 40, 28, 40),
        )

    if s.has_reset_brief:
        pdf.heading(t["reset-brief"])
        if s.primary_buyer:
            pdf.text_block(w["primary_buyer"], 9, "B", MUTED)
            pdf.text_block(s.primary_buyer, 11.5, "B", height=6)
            pdf.ln(2)
        for b in s.reset_brief:
            pdf.subheading(b.prompt)
            if b.old:
                pdf.text_block(w["before"], 9, "B", MUTED)
                pdf.lines(b.old, 9.5, MUTED)
                pdf.text_block(w["now"], 9, "B", MUTED)
            pdf.lines(b.text)
            if b.changes:
                pdf.text_block(w["what_changed"], 9, "B", MUTED)
                pdf.bullets(b.changes, 9.5)
        if s.old_brief:
            pdf.subheading(w["old_brief"])
            pdf.shaded_block(s.old_brief, 9.5, MUTED, 4.8)

    if s.scorecard:
        pdf.heading(t["scorecard"])
        pdf.text_block(s.scorecard_sentence)
        pdf.ln(1)
        pdf.grid(
            (w["metric"], w["influence"], w["note"]),
            [(line.metric, line.influence_words, line.note) for line in s.scorecard],
            (40, 28, 60),
        )

    if s.actions:
        pdf.heading(t["actions"])
        pdf.grid(
            (w["action"], w["owner"], w["due"], w["done"]),
            [(a.what, a.owner, a.due, w["done_mark"] if a.done else "") for a in s.actions],
            (62, 26, 26, 12),
        )

    if s.next_review:
        pdf.heading(t["next-review"])
        pdf.text_block(s.next_review, 12, "B")

    return bytes(pdf.output())


def _themes(pdf: _SummaryPDF, themes, named: str) -> None:
    for theme in themes:
        if pdf.get_y() > pdf.h - pdf.b_margin - 30:
            pdf.add_page()
        top = pdf.get_y()
        pdf.set_x(pdf.l_margin + 4)
        pdf.set_font(pdf.family, "B", 11)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 5.5, drawable(f"{theme.prompt}: {theme.label}"), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_x(pdf.l_margin + 4)
        pdf.set_font(pdf.family, "", 9)
        pdf.set_text_color(*MUTED)
        room = f" · {LABELS['room_candidate']}" if theme.room else ""
        pdf.multi_cell(0, 4.5, drawable(f"{named} {theme.side} ({people_words(theme.people)}){room}"), align="L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for q in theme.quotes:
            pdf.set_x(pdf.l_margin + 8)
            pdf.set_font(pdf.family, "I", 10)
            pdf.set_text_color(*INK)
            text = f"“{q.text}”" + (f" — {q.who}" if q.who else "")
            pdf.multi_cell(0, 5, drawable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        bottom = pdf.get_y()
        if pdf.page_no() and bottom > top:
            pdf.set_fill_color(*_rgb(function_colour(theme.side)))
            pdf.rect(pdf.l_margin, top, 1.6, bottom - top, style="F")
        pdf.ln(3)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
