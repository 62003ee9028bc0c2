"""The summary as Markdown, HTML and PDF; the answers and actions as CSV.

Whatever participants typed stays text in every format: Markdown escapes its
punctuation, HTML is autoescaped by Jinja2, the PDF writes plain strings.
The HTML is one file with nothing to fetch (inline CSS, the chart as inline
SVG) so it opens the same from an email attachment, offline, on a phone.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from embeddings.statements import list_item
from workshop.answers_csv import write_answers_csv
from workshop.charts import FUNCTION_COLOURS, VERDICT_COLOURS, function_colour
from workshop.summary import FOOTER, LABELS, SECTION_TITLES, Summary, deals_sentence, people_words, text_blocks
from workshop.text import csv_cell

TEMPLATES = Path(__file__).resolve().parent / "templates"
ACTIONS_HEADER = ["what", "owner", "due", "done"]


# -- Markdown -----------------------------------------------------------------

# What CommonMark/GFM could read as markup anywhere in a line: code, emphasis,
# links, raw HTML and autolinks, strikethrough, table cells. A backslash before
# ASCII punctuation always means "this character, literally". Parentheses,
# dots and the like stay bare so the text still reads well in a plain email.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<|~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
# At the start of a line: a heading, quote, list item or setext underline.
_MD_LINE_START = re.compile(r"^([#>+=-])|^(\d+)([.)])")
# What GFM makes a link of by itself: http://..., www.... and name@host.
_MD_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=www)(\.)|(@)")


def md_escape(text: str) -> str:
    """User text as Markdown that renders as exactly that text, on one line."""
    text = " ".join((text or "").split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    text = _MD_AUTOLINK.sub(lambda m: "\\" + m.group(0), text)  # no link, not even a bare address
    return _MD_LINE_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text, count=1
    )



def _md_table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> list[str]:
    """A Markdown table (cells already escaped), then a blank line."""
    rule = ["---:" if i in numeric else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines + [""]

def to_markdown(summary: Summary) -> str:
    s, t, w = summary, SECTION_TITLES, LABELS
    out: list[str] = [f"# {md_escape(s.title)}", ""]
    facts = []
    if s.company:
        facts.append(f"**{w['company']}:** {md_escape(s.company)}")
    if s.date:
        facts.append(f"**{w['date']}:** {md_escape(s.date)}")
    if s.facilitator:
        facts.append(f"**{w['facilitator']}:** {md_escape(s.facilitator)}")
    if facts:
        out += ["  \n".join(facts), ""]

    out += [f"## {t['how-to-read']}", "", md_escape(s.how_to_read), ""]

    if s.participation:
        out += [f"## {t['participants']}", ""]
        for p in s.participation:
            line = f"- **{md_escape(p.function.capitalize())}:** {p.count}"
            if p.names:
                line += " (" + ", ".join(md_escape(n) for n in p.names) + ")"
            out.append(line)
        out.append("")

    if s.prompts:
        out += [f"## {t['prompts']}", ""]
        out += _md_table(
            [w["prompt"], w["verdict"], w["how_sure"], w["alignment"]],
            [[md_escape(p.title), md_escape(p.verdict_words), md_escape(p.strength_words), str(p.score)]
             for p in s.prompts],
            numeric={3},
        )
        for p in s.prompts:
            said = " ".join(x for x in (p.why, p.strength_note) if x)
            if said:
                out.append(f"- **{md_escape(p.title)}:** {md_escape(said)}")
        if any(p.why or p.strength_note for p in s.prompts):
            out.append("")

    if s.recognition:
        out += [f"## {t['recognition']}", "", md_escape(s.recognition_note), ""]
        for r in s.recognition:
            out += [f"- {md_escape(line)}." for line in r.sentences]
            if r.disagreement:
                out.append(f"- **{md_escape(r.prompt)}, {w['readers_disagree'].lower()}:** {md_escape(r.disagreement)}")
        out.append("")

    if s.readiness:
        r = s.readiness
        out += [f"## {t['readiness']}", "", f"**{md_escape(r.verdict_words)}.** {md_escape(r.sentence)}", ""]
        out += _md_table(
            [w["stage"]] + [md_escape(f.capitalize()) for f in r.functions],
            [[md_escape(x.stage)] + [str(x.people.get(f, 0)) for f in r.functions] for x in r.stages],
            numeric=set(range(1, len(r.functions) + 1)),
        )

    if s.themes:
        out += [f"## {t['themes']}", ""]
        out += _md_themes(s.themes)

    if s.possible_themes:
        out += [f"## {t['possible-themes']}", "", md_escape(s.possible_note), ""]
        out += _md_themes(s.possible_themes, possible=True)

    if s.top_votes:
        out += [f"## {t['votes']}", "", md_escape(s.votes_note), ""]
        out += _md_table(
            [w["prompt"], w["theme"], w["side"], w["votes"]],
            [[md_escape(v.prompt), md_escape(v.theme), md_escape(v.side_words), str(v.votes)] for v in s.top_votes],
            numeric={3},
        )

    if s.brief_flags:
        out += [f"## {t['brief-flags']}", ""]
        for f in s.brief_flags:
            for gap in f.gaps:
                out.append(f"- **{md_escape(f.prompt)}**, {w['not_in_brief']}: {md_escape(gap)}")
            for stale in f.stale:
                out.append(f"- **{md_escape(f.prompt)}**, {w['only_marketing']}: {md_escape(stale)}")
        out.append("")

    if s.has_commercial_reality:
        out += [f"## {t['commercial']}", ""]
        if s.deals_count:
            out += [deals_sentence(s.deals_count, bool(s.deal_shifts)), ""]
            out += [f"- {md_escape(x)}" for x in s.deal_shifts] + ([""] if s.deal_shifts else [])
        if s.commercial_notes:
            out += _md_lines(s.commercial_notes) + [""]

    if s.decisions:
        out += [f"## {t['decisions']}", ""]
        out += _md_table(
            [w["prompt"], w["theme"], w["decision"], w["note"]],
            [[md_escape(d.prompt), md_escape(d.theme), md_escape(d.choice_words), md_escape(d.note)]
             for d in s.decisions],
        )

    if s.has_reset_brief:
        out += [f"## {t['reset-brief']}", ""]
        if s.primary_buyer:
            out += [f"**{w['primary_buyer']}:** {md_escape(s.primary_buyer)}", ""]
        for b in s.reset_brief:
            out += [f"### {md_escape(b.prompt)}", ""]
            if b.text:
                out += _md_lines(b.text) + [""]
            if b.old:
                out += [f"*{w['before']}:*", ""] + _md_quoted(b.old) + [""]
            if b.changes:
                out += [f"*{w['what_changed']}:*", ""] + [f"- {md_escape(c)}" for c in b.changes] + [""]
        if s.old_brief:
            out += [f"### {w['old_brief']}", ""]
            out += _md_quoted(s.old_brief)
            out.append("")

    if s.scorecard:
        out += [f"## {t['scorecard']}", "", md_escape(s.scorecard_sentence), ""]
        out += _md_table(
            [w["metric"], w["influence"], w["note"]],
            [[md_escape(x.metric), md_escape(x.influence_words), md_escape(x.note)] for x in s.scorecard],
        )

    if s.actions:
        out += [f"## {t['actions']}", ""]
        out += _md_table(
            [w["action"], w["owner"], w["due"], w["done"]],
            [[md_escape(a.what), md_escape(a.owner), md_escape(a.due), w["done_mark"] if a.done else ""]
             for a in s.actions],
        )

    if s.next_review:
        out += [f"## {t['next-review']}", "", md_escape(s.next_review), ""]

    return "\n".join(out).rstrip("\n") + "\n"


def _md_themes(themes, possible: bool = False) -> list[str]:
    out = []
    named = LABELS["possibly_named_only_by" if possible else "named_only_by"]
    for t in themes:
        out += [f"### {md_escape(t.prompt)}: {md_escape(t.label)}", ""]
        room = f" {LABELS['room_candidate'].capitalize()}." if t.room else ""
        out += [f"{named} **{md_escape(t.side)}** ({people_words(t.people)}).{room}", ""]
        for q in t.quotes:
            who = f" — {md_escape(q.who)}" if q.who else ""
            out.append(f"> “{md_escape(q.text)}”{who}")
            out.append(">")
        if t.quotes:
            out.pop()
        out.append("")
    return out


def _md_lines(text: str) -> list[str]:
    """A typed text as Markdown lines: paragraphs, labels (bold) and lists, as summary.text_blocks reads it."""
    out: list[str] = []
    for block in text_blocks(text):
        if out:
            out.append("")
        if block.kind == "items":
            out += [f"- {md_escape(line)}" for line in block.lines]
        elif block.kind == "label":
            out.append(f"**{md_escape(block.lines[0])}**")
        else:
            out.append(md_escape(block.lines[0]))
    return out


def _md_quoted(text: str) -> list[str]:
    return [">" + (f" {line}" if line else "") for line in _md_lines(text)]


# -- HTML ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["lines"] = lambda text: [list_item(l)[1] for l in text.splitlines() if l.strip()]
    env.filters["blocks"] = text_blocks
    env.filters["people"] = people_words
    return env


def to_html(summary: Summary) -> str:
    return _environment().get_template("summary.html").render(
        s=summary,
        titles=SECTION_TITLES,
        labels=LABELS,
        footer=FOOTER,
        deals_sentence=deals_sentence,
        chart_svg=chart_svg(summary),
        colours={**FUNCTION_COLOURS, **{f"verdict-{k}": v for k, v in VERDICT_COLOURS.items()}},
        colour=function_colour,
    )


def chart_svg(summary: Summary):
    """The reveal chart as inline SVG markup (Markup: it is ours, not user text)."""
    if not summary.prompts:
        return ""
    svg = _svg(_chart(summary).to_json())
    # Inline SVG needs no namespace declarations in HTML; dropping them keeps the
    # file free of anything that even looks like an address.
    svg = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", svg)
    # Scale with the page: keep the viewBox, let CSS set the size.
    svg = re.sub(r'^<svg([^>]*?)\swidth="[\d.]+"\sheight="[\d.]+"', r'<svg\1', svg, count=1)
    svg = svg.replace("<svg", f'<svg role="img" aria-label="{LABELS["chart"]}" class="chart"', 1)
    return Markup(svg)


def chart_png(summary: Summary) -> bytes:
    return _png(_chart(summary).to_json())


# Rendering a chart takes about a second; the page re-renders on every click.
@lru_cache(maxsize=16)
def _svg(spec: str) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec)


@lru_cache(maxsize=16)
def _png(spec: str) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec, scale=2)


def _chart(summary: Summary):
    from embeddings.report import DimensionResult, Report
    from workshop.charts import reveal_chart

    report = Report([DimensionResult(p.key, p.verdict, p.alignment, p.why, strength=p.strength,
                                     strength_note=p.strength_note, people=dict(p.people))
                     for p in summary.prompts])
    return reveal_chart(report, {p.key: p.title for p in summary.prompts}).properties(width=460)


# -- PDF ----------------------------------------------------------------------


def to_pdf(summary: Summary) -> bytes:
    from workshop.export_pdf import render_pdf

    return render_pdf(summary, chart_png(summary) if summary.prompts else None)


# -- CSV ----------------------------------------------------------------------


def answers_csv(store, session) -> str:
    """The session's answers in the import format (participant,function,dimension,answer)."""
    return write_answers_csv(store.answers(session.id))


def actions_csv(store, session) -> str:
    """The actions: what, owner, due (ISO date), done (yes/no); formulas neutralised."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ACTIONS_HEADER)
    for a in store.actions(session.id):
        writer.writerow([csv_cell(v) for v in (a.what, a.owner, a.due, "yes" if a.done else "no")])
    return out.getvalue()
