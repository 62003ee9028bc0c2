"""Every format shows every section that has data, and people's text as text."""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.workshop.summary_data import NASTY, PEOPLE, make_session
from workshop.answers_csv import read_answers_csv
from workshop.export import actions_csv, answers_csv, md_escape, to_html, to_markdown, to_pdf
from workshop.export_pdf import MISSING_GLYPH, drawable
from workshop.store import Store
from workshop.summary import gather

SECTIONS = {
    "participants": ("## Who took part", 'id="participants"', "Who took part"),
    "prompts": ("## Where sales and marketing agree", 'id="prompts"', "Where sales and marketing agree"),
    "themes": ("## Themes only one side named", 'id="themes"', "Themes only one side named"),
    "flags": ("## The brief of record", 'id="brief-flags"', "The brief of record"),
    "commercial": ("## Commercial reality", 'id="commercial"', "Commercial reality"),
    "decisions": ("## Decisions", 'id="decisions"', "Decisions"),
    "reset": ("## The reset brief", 'id="reset-brief"', "The reset brief"),
    "scorecard": ("## Marketing scorecard", 'id="scorecard"', "Marketing scorecard"),
    "actions": ("## Actions", 'id="actions"', "Actions"),
    "review": ("## Next review", 'id="next-review"', "Next review"),
}
ALL_NAMES = PEOPLE["sales"] + PEOPLE["marketing"]


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "e.db")


@pytest.fixture
def full(store):
    return gather(store, make_session(store))


def pdf_text(data: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    path = tmp_path / "s.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def flat(text: str) -> str:
    return " ".join(text.split())


# -- sections -----------------------------------------------------------------


def test_every_section_in_every_format_when_its_data_is_there(full, tmp_path):
    md, page = to_markdown(full), to_html(full)
    text = flat(pdf_text(to_pdf(full), tmp_path))
    for name, (md_heading, html_id, pdf_heading) in SECTIONS.items():
        assert md_heading in md, name
        assert html_id in page, name
        assert pdf_heading in text, name
    assert "20 November 2026" in md and "20 May 2027" in page and "20 May 2027" in text
    assert "From 9 closed deals:" in md and "From 9 closed deals:" in page and "From 9 closed deals:" in text


def test_sections_without_data_are_skipped_not_blank(store, tmp_path):
    bare = gather(store, store.create_session("Bare session"))
    md, page = to_markdown(bare), to_html(bare)
    text = flat(pdf_text(to_pdf(bare), tmp_path))
    for name, (md_heading, html_id, pdf_heading) in SECTIONS.items():
        assert md_heading not in md, name
        assert html_id not in page, name
        assert pdf_heading not in text, name
    assert "How to read this" in md and "How to read this" in page and "How to read this" in text
    assert "<svg" not in page


def test_answers_only_session_shows_who_took_part_and_nothing_invented(store):
    s = gather(store, make_session(store, full=False))
    md = to_markdown(s)
    assert "## Who took part" in md and "- **Sales:** 3" in md
    for name in ("prompts", "themes", "decisions", "reset", "actions"):
        assert SECTIONS[name][0] not in md


# -- names ----------------------------------------------------------------------


def test_names_absent_when_anonymous(full, tmp_path):
    outputs = [to_markdown(full), html_lib.unescape(to_html(full)), pdf_text(to_pdf(full), tmp_path)]
    for out in outputs:
        for name in ALL_NAMES:
            assert name not in out


def test_names_shown_when_the_facilitator_opted_in(store, tmp_path):
    s = gather(store, make_session(store, show_names=True))
    md, page = to_markdown(s), html_lib.unescape(to_html(s))
    text = pdf_text(to_pdf(s), tmp_path)
    for name in ("Ana Souza", "Björn Ek", "Dmitri Volkov"):
        assert name in md and name in page and name in text


# -- people's text stays text -------------------------------------------------------


def test_markdown_escapes_markup_so_it_renders_as_typed(full):
    markdown_it = pytest.importorskip("markdown_it")
    md = to_markdown(full)
    assert re.search(r"(?<!\\)<", md) is None  # every < is escaped
    assert "\\<script>" in md
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough").render(md)
    assert "<script>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    # The nasty note sits in one table cell: | and * did not break the row or become emphasis.
    row = next(line for line in rendered.split("<tr>") if "Procurement-led RFP" in line and "Adopt" in line)
    assert row.count("<td") == 4
    assert "<em>" not in rendered.split("<h2>Decisions</h2>")[1].split("<h2>")[0]
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert NASTY in text
    assert "Acmé <GmbH> & Co | *Industrial*" in text
    assert "Write the RFP proof pack *now*" in text


@pytest.mark.parametrize(
    "typed",
    ["*bold*", "_it_", "a | b", "`x`", "[a](http://x)", "<b>", "# h", "- item", "1. one", "> q",
     "~~s~~", "AT&amp;T", "back\\slash", "Zoë 😀"],
)
def test_md_escape_round_trips_through_a_markdown_renderer(typed):
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough").render(md_escape(typed))
    assert rendered.startswith("<p>"), rendered
    assert html_lib.unescape(rendered[3:].rstrip().removesuffix("</p>")) == typed


def test_md_escape_keeps_plain_prose_readable():
    assert md_escape("Price per seat (vs. a flat fee) - 20% off!") == "Price per seat (vs. a flat fee) - 20% off!"


def test_html_escapes_people_text(full):
    page = to_html(full)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;not ours&lt;/b&gt;" in page
    assert "Acmé &lt;GmbH&gt; &amp; Co | *Industrial*" in page
    assert "😀" in page and "🚀" in page and "Zoë" in page


def test_html_is_self_contained(full):
    page = to_html(full)
    assert "<svg" in page and 'class="chart"' in page
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", page, re.I)
    assert not re.search(r"<(script|link|img|iframe)\b", page, re.I)
    assert "@import" not in page and "url(" not in page
    assert "@media print" in page and "@media (max-width" in page
    assert '<meta name="viewport"' in page


def test_pdf_writes_people_text_as_text(full, tmp_path):
    data = to_pdf(full)
    assert data.startswith(b"%PDF-")
    text = flat(pdf_text(data, tmp_path))
    for fragment in ['Zoë said "<script>alert(1)</script>" | *not* _this_ `code` – café',
                     "Acmé <GmbH> & Co | *Industrial*", "Gül Yılmaz", "<b>not ours</b>",
                     "Win rate | enterprise", "Write the RFP proof pack *now*"]:
        assert fragment in text
    # An emoji the font lacks becomes a visible square, not a gap or a crash.
    assert MISSING_GLYPH in text


def test_characters_the_font_lacks_are_replaced():
    assert drawable("café 🚀") == f"café {MISSING_GLYPH}"
    assert drawable("a\nb") == "a\nb"


def test_renders_are_deterministic(full):
    assert to_markdown(full) == to_markdown(full)
    assert to_html(full) == to_html(full)


# -- CSV ------------------------------------------------------------------------------


def test_answers_csv_is_the_import_format(store):
    session = make_session(store)
    data = answers_csv(store, session)
    answers = read_answers_csv(data)
    assert len(answers) == 10
    assert {(a.participant, a.dimension) for a in answers} >= {("Chloé Martin", "trigger")}
    assert any(a.text == NASTY for a in answers)


def test_actions_csv(store):
    session = make_session(store)
    rows = list(csv.reader(io.StringIO(actions_csv(store, session), newline="")))
    assert rows == [
        ["what", "owner", "due", "done"],
        ["Write the RFP proof pack *now*", "Gül Yılmaz", "2026-12-15", "no"],
        ["Update the brief in the wiki", "Hana", "", "yes"],
    ]


_MD_ALPHABET = list("ab1 .-+=#>*_`[]()<>|~\\&;!:/\"'\t\néü😀@w")


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(_MD_ALPHABET), min_size=1, max_size=30))
def test_any_typed_text_renders_as_itself_in_a_paragraph_and_a_table_cell(typed):
    markdown_it = pytest.importorskip("markdown_it")
    renderer = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
    expected = " ".join(typed.split())
    if not expected:
        return
    rendered = renderer.render(md_escape(typed))
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n"), rendered
    assert html_lib.unescape(rendered[3:-5]) == expected
    table = renderer.render(f"| A | B |\n| --- | --- |\n| x | {md_escape(typed)} |\n")
    cells = re.findall(r"<td>(.*?)</td>", table, re.S)
    assert len(cells) == 2 and html_lib.unescape(cells[1]) == expected, table


def test_actions_csv_neutralises_formulas_in_every_cell(store):
    session = store.create_session("Formulas")
    store.add_action(session.id, '=HYPERLINK("http://evil","click")', owner="@ana", due="")
    store.add_action(session.id, "+1 follow-up", owner="-Bo")
    rows = list(csv.reader(io.StringIO(actions_csv(store, session), newline="")))
    assert rows[1][:2] == ['\'=HYPERLINK("http://evil","click")', "'@ana"]
    assert rows[2][:2] == ["'+1 follow-up", "'-Bo"]


def test_a_pdf_says_which_scripts_its_font_left_out(store, tmp_path):
    from workshop.export_pdf import font_files, left_out_note
    from workshop.summary import gather

    session = store.create_session("العربية و 中文 reset", company="株式会社 Acme")
    p = store.add_participant(session.id, "ليلى", "sales")
    store.put_answer(p.id, "trigger", "العميل يخشى فشل التنفيذ")
    summary = gather(store, store.get_session(session.id))
    note = left_out_note(summary)
    if font_files() is None:
        pytest.skip("DejaVu is not installed: the core font leaves out far more")
    assert "Arabic" in note and "Chinese or Japanese" in note and "HTML and Markdown" in note
    text = flat(pdf_text(to_pdf(summary), tmp_path))
    assert "cannot draw some of what people wrote" in text and "Arabic" in text
    assert left_out_note(gather(store, store.create_session("Plain Latin, café, Zoë"))) == ""
