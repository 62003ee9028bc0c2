"""Text people typed: cleaned on the way in, safe in spreadsheets, offline as Markdown."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.text import clean, clean_line, csv_cell, csv_uncell, offline_markdown

markdown_it = pytest.importorskip("markdown_it")
RENDER = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
# What a GFM renderer (Streamlit's) would still make a link of: a bare address, unescaped.
BARE_ADDRESS = re.compile(r"(?i)(?<!\\)(?:[a-z][a-z0-9+.-]*(?<!\\):(?<!\\)//|www(?<!\\)\.|(?<!\\)@)")


def fetches_nothing(markdown: str) -> bool:
    html = RENDER.render(markdown)
    return "<img" not in html and "<a " not in html and "<script" not in html and not BARE_ADDRESS.search(markdown)


def test_clean_drops_control_characters_and_overrides_but_keeps_lines_tabs_and_scripts():
    assert clean("a\x00b\x07\x1b[2Jc\x7f\x85\u202eé\r\nf\rg\th") == "ab[2Jcé\nf\ng\th"
    assert clean("مرحبا \u200f中文 👨\u200d👩\u200d👧") == "مرحبا \u200f中文 👨\u200d👩\u200d👧"
    assert clean_line("  Ana \n\t Ruiz\u202e ") == "Ana Ruiz"
    assert clean(None) == ""


@given(st.text())
def test_cleaning_is_idempotent_and_leaves_no_control_character(text):
    once = clean(text)
    assert clean(once) == once
    assert not any((ord(c) < 32 and c not in "\n\t") or 127 <= ord(c) < 160 for c in once)


@given(st.text())
def test_a_neutralised_cell_never_starts_a_formula_and_comes_back_as_it_was(value):
    cell = csv_cell(value)
    assert not cell[:1] in ("=", "+", "-", "@", "\t", "\r")
    assert csv_uncell(cell) == value


HOSTILE = [
    "![logo](http://evil.example/pixel.png)",
    "![](https://evil.example/a.png \"title\")",
    "[click me](http://evil.example)",
    "[ref link][1]\n\n[1]: http://evil.example",
    "![ref image][img]\n\n[img]: http://evil.example/i.png",
    "<img src=http://evil.example/b.png>",
    "<http://evil.example>",
    "see http://evil.example/x and www.evil.example and ops@evil.example",
    "<script>fetch('http://evil.example')</script>",
    "[![nested](http://evil.example/n.png)](http://evil.example)",
]


@pytest.mark.parametrize("brief", HOSTILE)
def test_a_brief_renders_without_any_image_link_or_html(brief):
    shown = offline_markdown("# Brief\n" + brief)
    assert fetches_nothing(shown), shown


def test_a_link_keeps_its_words_and_an_image_its_description():
    html = RENDER.render(offline_markdown("[our case study](http://x.example) ![the G2 badge](http://x.example/b.png)"))
    assert "our case study" in html and "the G2 badge" in html and "x.example" not in html


def test_formatting_a_brief_uses_is_kept():
    shown = offline_markdown("## Buyer\n- **CFO** of a *mid-market* firm\n> quoted\n1. first")
    html = RENDER.render(shown)
    assert "<h2>Buyer</h2>" in html and "<strong>CFO</strong>" in html and "<em>mid-market</em>" in html
    assert "<blockquote>" in html and "<ol>" in html


markdown_bits = st.sampled_from(
    HOSTILE + ["**b**", "_i_", "\n", "# ", "- ", "> ", "(", ")", "[", "]", "!", "<", ">", ":", "//", "\\",
               "http", "www", ".", "@", " ", "`", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(markdown_bits, max_size=12).map("".join))
def test_no_mixture_of_markdown_gets_an_image_or_link_through(text):
    assert fetches_nothing(offline_markdown(text))
