"""What the summary and every export say after a real meeting (issues 11 and 15).

How sure each verdict is, the readiness stages compared as stages, possible
one-sided themes apart, the scorecard counting Partly, quotes not doubled, and
the reset brief's "Open questions:" kept a label.
"""

from __future__ import annotations

import re

import pytest

from embeddings.report import DimensionResult, Report, Statement, Theme
from tests.workshop.test_export import flat, pdf_text
from workshop import agenda
from workshop.analysis import save_report
from workshop.export import to_html, to_markdown, to_pdf
from workshop.store import Store
from workshop.summary import gather, quote_text, text_blocks

THIN_NOTE = "Thin: 2 sales people answered, too few to say; read their statements."


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "m.db")


def _report() -> Report:
    def said(who, function, text):
        return Statement(who, function, text)

    objections = DimensionResult(
        "objections", "divergent", 0.31, "Security reviews come up only in sales answers.",
        themes=[
            Theme("IT security review", "sales", ["Ana", "Ben"], [
                said("Ana", "sales", "They want SOC 2 before the pilot"),
                said("Ben", "sales", '"Our IT team needs a security review first"'),
            ], quote='"Our IT team needs a security review first"'),
        ],
        strength="clear", strength_note="Clear: 3 sales and 3 marketing people answered; the margin is wide.",
        people={"sales": 3, "marketing": 3},
    )
    evidence = DimensionResult(
        "evidence", "aligned", 0.66, "Both sides name references.",
        themes=[
            Theme("Peer references", "shared", ["Ana", "Eva"], [said("Ana", "sales", "A reference call"),
                                                                 said("Eva", "marketing", "Peer references")]),
            Theme("App-store rating", "marketing", ["Eva", "Gus"], [
                said("Eva", "marketing", "Our app-store rating"), said("Gus", "marketing", "4.8 stars on the app store"),
            ], confidence="possible", quote="Our app-store rating"),
        ],
        strength="thin", strength_note=THIN_NOTE, people={"sales": 2, "marketing": 2},
    )
    readiness = DimensionResult("readiness", "aligned", 1.0, "Everyone names the same points.",
                                strength="clear", people={"sales": 2, "marketing": 2})
    return Report([objections, evidence, readiness], model="hand-made")


@pytest.fixture
def meeting(store):
    session = store.create_session("Brief reset", company="Carely")
    session = agenda.set_readiness(store, session, True)
    for name, function in (("Ana", "sales"), ("Ben", "sales"), ("Eva", "marketing"), ("Gus", "marketing")):
        p = store.add_participant(session.id, name, function, submitted_at="2026-11-20T10:00:00+00:00")
        store.put_answer(p.id, "objections", f"{name}'s objection")
        store.put_answer(p.id, agenda.READINESS_KEY,
                         "Choosing a vendor" if function == "sales" else "Weighing whether it is worth solving")
    store.set_collection_open(session.id, False)
    session = store.get_session(session.id)
    save_report(store, session, _report())
    store.save_decision(session.id, "objections", "IT security review", "investigate", "ask IT", "sales")
    store.set_state(session.id, "scorecard", [
        {"name": "MQLs", "influence": "partly", "note": ""},
        {"name": "Pipeline", "influence": "partly", "note": ""},
        {"name": "Win rate", "influence": "no", "note": ""},
        {"name": "Revenue", "influence": "", "note": ""},
    ])
    return gather(store, session)


def test_readiness_is_compared_as_stages_not_called_aligned(meeting):
    # Issue 15 item 1: both sales chose "Choosing a vendor", both marketing
    # "Weighing whether it is worth solving"; the summary said "Aligned 1.00".
    assert "readiness" not in [p.key for p in meeting.prompts]
    assert meeting.readiness.verdict_words == "Different stages"
    assert "Sales put the buyer 3 stages further along than marketing do." in meeting.readiness.sentence


def test_strength_possible_themes_and_readiness_in_every_export(meeting, tmp_path):
    md, page = to_markdown(meeting), to_html(meeting)
    text = flat(pdf_text(to_pdf(meeting), tmp_path))
    assert "| Objections | Divergent | Clear | 0.31 |" in md
    assert "| Evidence | Aligned | Thin | 0.66 |" in md
    assert not re.search(r"\| Readiness \| Aligned", md)
    for rendered in (md, page, text):
        flat_rendered = flat(rendered)
        assert "Thin: 2 sales people answered, too few to say; read their statements." in flat_rendered
        assert "How sure" in flat_rendered
        assert "Different stages" in flat_rendered and "When the buyer first talks to us" in flat_rendered
        assert "Possible one-sided themes" in flat_rendered and "App-store rating" in flat_rendered
        assert "Possibly named only by" in flat_rendered
    # The possible theme is only listed apart, the high-confidence one only with the findings.
    themes = md.split("## Themes only one side named")[1].split("## Possible one-sided themes")
    assert "IT security review" in themes[0] and "App-store rating" not in themes[0]
    assert "App-store rating" in themes[1] and "IT security review" not in themes[1].split("##")[0]


def test_the_scorecard_counts_partly(meeting, tmp_path):
    sentence = ("Of the 4 metrics marketing is judged on, under the reset brief it can materially influence "
                "none, partly influence 2 and cannot move 1; 1 is not decided yet.")
    assert meeting.scorecard_sentence == sentence
    assert sentence in to_markdown(meeting) and sentence in to_html(meeting)
    assert sentence in flat(pdf_text(to_pdf(meeting), tmp_path))


def test_quotes_are_not_doubled_and_the_central_one_comes_first(meeting, tmp_path):
    [theme] = meeting.themes
    assert theme.quotes[0].text == "Our IT team needs a security review first"
    md, page, text = to_markdown(meeting), to_html(meeting), flat(pdf_text(to_pdf(meeting), tmp_path))
    assert "“Our IT team needs a security review first”" in md
    assert "“Our IT team needs a security review first”" in text
    for rendered in (md, page, text):
        assert '“"' not in rendered and "“&#34;" not in rendered and "“&quot;" not in rendered


def test_open_questions_stay_a_label_above_their_list(meeting, tmp_path):
    section = next(b for b in meeting.reset_brief if b.prompt == "Objections")
    assert "Open questions:" in section.text
    md = to_markdown(meeting)
    assert "- Open questions" not in md and "**Open questions:**" in md
    assert "- IT security review: ask IT" in md
    assert '<p class="label">Open questions:</p>' in to_html(meeting)
    pdf = pdf_text(to_pdf(meeting), tmp_path)
    assert "• Open questions" not in pdf and "Open questions:" in pdf


@pytest.mark.parametrize("typed, expected", [
    ('"Our team likes it"', "Our team likes it"),
    ("“It has to work with Epic”", "It has to work with Epic"),
    ("'NetSuite can do this'", "NetSuite can do this"),
    ("'we can't wait'", "we can't wait"),
    ('"Cheap" and "fast"', '"Cheap" and "fast"'),
    ("  plain   text ", "plain text"),
])
def test_quote_text_removes_only_wrapping_quotes(typed, expected):
    assert quote_text(typed) == expected


def test_text_blocks_read_labels_lists_and_paragraphs():
    blocks = text_blocks("- a\n- b\n\nOpen questions:\n- Why now?")
    assert [(b.kind, b.lines) for b in blocks] == [
        ("items", ["a", "b"]), ("label", ["Open questions:"]), ("items", ["Why now?"])]
    assert [(b.kind, b.lines) for b in text_blocks("One line")] == [("paragraph", ["One line"])]
    assert [b.kind for b in text_blocks("Primary buyer: the CFO of a clinic group")] == ["paragraph"]
