"""The hard cases of the issue, on small hand-made sessions, with the real model."""

import random

import pytest

from embeddings.divergence import analyze, brief_sentences
from embeddings.report import ALIGNED, DIVERGENT, INSUFFICIENT, SHARED, Report
from workshop.models import Answer

FIVE = ["trigger", "compare", "fears", "objections", "evidence"]


def answers(dimension, rows):
    return [Answer(p, f, dimension, t) for p, f, t in rows]


ALIGNED_DIFFERENT_WORDS = answers("trigger", [
    ("ana", "sales", "their auditor wrote them up twice last yr and the controller freaked\n"
                     "new CFO wants one system for all the plants"),
    ("ben", "sales", "audit findings again, controller got burned in front of the board"),
    ("cy", "sales", "new cfo came from a bigger company, wants everything consolidated on one platform"),
    ("dee", "marketing", "Mounting regulatory pressure after audit findings\n"
                         "A new finance leader mandates a single platform"),
    ("eve", "marketing", "Compliance risk surfaced by external auditors"),
    ("fay", "marketing", "Leadership change in finance driving system consolidation"),
])

DIVERGENT_SAME_WORDS = answers("objections", [
    ("ana", "sales", "they want a named support engineer on site during the rollout\n"
                     "training means weeks of staff time they must free up before go-live"),
    ("ben", "sales", "support = one real person who knows their setup for the first 90 days, not a ticket queue\n"
                     "nobody can spare the staff for training during peak season"),
    ("cy", "sales", "who covers the training hours? their staff are already at capacity\n"
                    "they ask for a dedicated engineer during implementation"),
    ("dan", "sales", "a named engineer for the rollout or no deal"),
    ("dee", "marketing", "24/7 help desk support\nfree online training academy"),
    ("eve", "marketing", "round-the-clock support hotline\nvideo tutorials for every feature"),
    ("fay", "marketing", "self-paced e-learning courses for every user\nsupport chat open around the clock"),
    ("gus", "marketing", "always-on customer support desk"),
])

pytestmark = pytest.mark.model


def test_aligned_in_different_words_is_aligned_without_one_sided_themes(minilm):
    result = analyze(ALIGNED_DIFFERENT_WORDS, encoder=minilm).dimension("trigger")
    assert result.verdict == ALIGNED
    assert result.alignment >= 0.6
    assert all(t.side == SHARED for t in result.themes)
    assert any({s.function for s in t.statements} == {"sales", "marketing"} for t in result.themes)


def test_same_words_different_meaning_is_divergent(minilm):
    result = analyze(DIVERGENT_SAME_WORDS, encoder=minilm).dimension("objections")
    assert result.verdict == DIVERGENT, result.alignment
    # "support" and "training" must not be grouped across the functions.
    for theme in result.themes:
        functions = {s.function for s in theme.statements}
        assert len(functions) == 1, theme
    assert result.one_sided("sales") and result.one_sided("marketing")
    for theme in result.one_sided("sales"):
        assert len(theme.participants) >= 2


def test_short_answers_typos_and_abbreviations_give_a_report(minilm):
    rows = answers("objections", [
        ("ana", "sales", "cost"), ("ben", "sales", "timing"), ("cy", "sales", "MSA redlines, SLA"),
        ("dee", "marketing", "price"), ("eve", "marketing", "bad timng"), ("fay", "marketing", "ROI unclear"),
    ])
    report = analyze(rows, encoder=minilm)
    result = report.dimension("objections")
    assert result.verdict in (ALIGNED, DIVERGENT)
    assert 0.0 <= result.alignment <= 1.0
    assert len(result.map) == 6


def test_a_side_without_answers_is_insufficient(minilm):
    rows = answers("fears", [("ana", "sales", "a failed rollout"), ("ben", "sales", "losing data")])
    report = analyze(rows, encoder=minilm)
    result = report.dimension("fears")
    assert result.verdict == INSUFFICIENT
    assert "Marketing" in result.why
    assert not [t for t in result.themes if t.side != SHARED]
    assert [d.key for d in report.dimensions] == FIVE
    assert all(d.verdict == INSUFFICIENT for d in report.dimensions if d.key != "fears")


def test_same_input_gives_the_same_report_in_any_order(minilm):
    rows = ALIGNED_DIFFERENT_WORDS + DIVERGENT_SAME_WORDS
    brief = "## Triggers\n- Audit findings raise compliance pressure.\n## Objections\n- Support hours are limited."
    first = analyze(rows, brief=brief, encoder=minilm).to_dict()
    shuffled = rows[:]
    random.Random(7).shuffle(shuffled)
    assert analyze(shuffled, brief=brief, encoder=minilm).to_dict() == first
    assert Report.from_dict(first).to_dict() == first


def test_brief_marks_themes_and_lists_gaps(minilm):
    brief = "Objections:\n- Customers want 24/7 help desk support.\n- Users ask for online training courses."
    result = analyze(DIVERGENT_SAME_WORDS, brief=brief, encoder=minilm).dimension("objections")
    assert all(t.in_brief is not None for t in result.themes)
    for theme in result.one_sided("sales"):
        assert (theme.label in result.brief_gaps) == (theme.in_brief is False)
    without = analyze(DIVERGENT_SAME_WORDS, encoder=minilm).dimension("objections")
    assert all(t.in_brief is None for t in without.themes) and not without.brief_gaps


def test_brief_sentences_drop_headings_and_labels():
    brief = "# Customer brief\n\n**Triggers.**\n- The server reaches end of life.\n\n**Fears.** Losing data. A chaotic go-live week."
    assert brief_sentences(brief) == [
        "The server reaches end of life.", "Losing data.", "A chaotic go-live week."]


def test_a_third_function_gets_themes_and_the_verdict_stays_sales_vs_marketing(toy_encoder):
    rows = answers("fears", [
        ("ana", "sales", "losing data in migration"), ("ben", "sales", "losing data in the migration"),
        ("dee", "marketing", "data lost during migration"), ("eve", "marketing", "migration data loss"),
        ("cas", "customer success", "renewal churn after onboarding"),
        ("cai", "customer success", "churn at renewal after onboarding"),
    ])
    result = analyze(rows, encoder=toy_encoder, functions=["sales", "marketing", "customer success"]).dimension("fears")
    assert result.verdict in ("aligned", "divergent")
    assert {p.function for p in result.map} == {"sales", "marketing", "customer success"}
    cs = [t for t in result.themes if {s.function for s in t.statements} == {"customer success"}]
    assert cs and cs[0].participants == ["cai", "cas"]
    only_invited = analyze(rows, encoder=toy_encoder, functions=["sales", "marketing"]).dimension("fears")
    assert {p.function for p in only_invited.map} == {"sales", "marketing"}


def test_empty_input_reports_every_prompt_as_insufficient(toy_encoder):
    report = analyze([], encoder=toy_encoder)
    assert [d.key for d in report.dimensions] == FIVE
    assert all(d.verdict == INSUFFICIENT and not d.themes for d in report.dimensions)
    assert toy_encoder.calls == []
