"""The summary's words live in workshop/summary.py; the renderers only lay them out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workshop.summary_data import make_session
from workshop import summary
from workshop.export import to_html, to_markdown
from workshop.store import Store

ROOT = Path(__file__).resolve().parents[2]
RENDERERS = ("workshop/export.py", "workshop/export_pdf.py", "workshop/templates/summary.html")


def _words():
    """Every title, label and fixed sentence, leaving out lowercase single words ("yes", "done")
    that also name things in code."""
    words = list(summary.SECTION_TITLES.values()) + list(summary.LABELS.values()) + [summary.FOOTER]
    return [w for w in words if " " in w or not w.islower()]


@pytest.mark.parametrize("path", RENDERERS)
def test_no_renderer_writes_a_word_of_the_summary_itself(path):
    source = (ROOT / path).read_text(encoding="utf-8")
    assert [w for w in _words() if w in source] == []


def test_a_changed_word_changes_in_every_format(tmp_path, monkeypatch):
    store = Store(tmp_path / "w.db")
    full = summary.gather(store, make_session(store))
    monkeypatch.setitem(summary.SECTION_TITLES, "decisions", "What the room decided")
    monkeypatch.setitem(summary.LABELS, "owner", "Who")
    markdown = to_markdown(full)
    assert "## What the room decided" in markdown and "| Who |" in markdown
    assert "## Decisions" not in markdown
    html = to_html(full)
    assert "<h2>What the room decided</h2>" in html and "<th>Who</th>" in html


def test_deals_and_people_are_said_one_way():
    assert summary.deals_sentence(12, True) == "From 12 closed deals:"
    assert summary.deals_sentence(3, False) == "3 closed deals were reviewed."
    assert [summary.people_words(n) for n in (1, 2)] == ["1 person", "2 people"]
