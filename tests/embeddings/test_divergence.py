"""The hard cases of the issue, on small hand-made sessions, with the real model."""

import random

import pytest

from embeddings.divergence import analyze
from embeddings.report import ALIGNED, DIVERGENT, HIGH, INSUFFICIENT, POSSIBLE, SHARED, THIN, Report
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
    # Marketing's help desk and training points are the brief's; the sellers' named engineer is not.
    assert any(t.in_brief is True for t in result.one_sided("marketing"))
    assert any("engineer" in " ".join(s.text for s in t.statements) and t.in_brief is False
               for t in result.one_sided("sales"))
    without = analyze(DIVERGENT_SAME_WORDS, encoder=minilm).dimension("objections")
    assert all(t.in_brief is None for t in without.themes) and not without.brief_gaps


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


SMALL_DIVERGENT = answers("objections", [
    # The case: two people per side, plainly describing different buyers.
    ("ana", "sales", "every deal stalls in the IT security review\nlegal redlines the BAA for weeks"),
    ("ben", "sales", "procurement wants SOC 2 before anything else\nthe CFO wants an ROI model"),
    ("dee", "marketing", "nurses aren't tech-savvy\nthey want to see the app store rating"),
    ("eve", "marketing", "testimonial videos from other clinics\nstaff worry the app is hard to learn"),
])
SMALL_BRIEF = ("## Objections\n- Nurses are not tech-savvy and fear a hard-to-learn app.\n"
               "- Clinics want proof from peers: testimonials and app store ratings.")


def test_two_per_side_that_plainly_diverge_are_called_divergent_and_not_clear(minilm):
    result = analyze(SMALL_DIVERGENT, brief=SMALL_BRIEF, encoder=minilm).dimension("objections")
    assert result.verdict == DIVERGENT, result.alignment
    assert result.alignment < 0.5
    assert result.people == {"marketing": 2, "sales": 2}
    assert result.strength != "clear"  # two people per side never make a clear verdict
    assert "2 " in result.strength_note


def test_two_per_side_in_different_words_are_aligned(minilm):
    rows = answers("trigger", [
        ("ana", "sales", "their auditor wrote them up twice last yr"),
        ("ben", "sales", "new cfo came from a bigger company, wants one platform"),
        ("dee", "marketing", "Compliance risk surfaced by external auditors"),
        ("eve", "marketing", "A new finance leader mandates a single platform"),
    ])
    brief = "## Triggers\n- Audit findings raise compliance pressure.\n- A new finance leader wants one system."
    result = analyze(rows, brief=brief, encoder=minilm).dimension("trigger")
    assert result.verdict == ALIGNED, result.alignment
    assert not [t for t in result.themes if t.side != SHARED and t.confidence == HIGH]


def test_one_sided_theme_on_an_aligned_prompt_is_shown_as_possible(minilm):
    rows = answers("trigger", [
        ("ana", "sales", "their auditor wrote them up twice last yr\nthe cloud bill doubled after the merger"),
        ("ben", "sales", "audit findings again\nafter the acquisition the hosting costs blew up"),
        ("cy", "sales", "auditors flagged the manual journal entries"),
        ("dee", "marketing", "Compliance risk surfaced by external auditors"),
        ("eve", "marketing", "Audit findings on manual reconciliations"),
        ("fay", "marketing", "Pressure from the external audit"),
    ])
    result = analyze(rows, encoder=minilm).dimension("trigger")
    assert result.verdict == ALIGNED, result.alignment
    possible = [t for t in result.themes if t.confidence == POSSIBLE]
    assert [t.side for t in possible] == ["sales"]
    assert possible[0].participants == ["ana", "ben"]
    # Never filed under "both", and never counted as high-confidence drift.
    assert not any(t.side == SHARED and t.confidence == POSSIBLE for t in result.themes)


def test_labels_are_short_and_quotes_are_whole_statements(minilm):
    report = analyze(DIVERGENT_SAME_WORDS + SMALL_DIVERGENT, encoder=minilm)
    for dimension in report.dimensions:
        for theme in dimension.themes:
            assert 1 <= len(theme.label.split()) <= 7, theme.label
            assert theme.quote in [s.text for s in theme.statements]


def test_people_and_strength_per_prompt(minilm):
    report = analyze(ALIGNED_DIFFERENT_WORDS, encoder=minilm)
    trigger = report.dimension("trigger")
    assert trigger.people == {"marketing": 3, "sales": 3}
    assert trigger.strength in ("clear", "leaning")
    assert report.dimension("fears").strength == THIN
    data = report.to_dict()["dimensions"][0]
    assert {"strength", "people"} <= set(data)
    assert all("confidence" in t and "quote" in t for t in data["themes"])


BULLETED_BRIEF = """- Trigger: invoice volume grows faster than the AP team
- Compare: spreadsheets and the ERP's own AP module
- Fears: a failed rollout that lands on their desk
- Objections: price per invoice as they grow
- Evidence: Our 4.8-star app store rating
- Evidence: case studies from companies their size"""

BRIEF_SESSION = (
    answers("trigger", [
        ("ana", "sales", "new ERP going in next year"),
        ("ben", "sales", "ERP replatform, the NetSuite project kickoff starts it"),
        ("dee", "marketing", "invoice volume growing faster than the team"),
        ("eve", "marketing", "the AP team can't keep up with invoices"),
    ])
    + answers("evidence", [
        ("ana", "sales", "SOC 1 type 2 report, auditors ask first"),
        ("ben", "sales", "the SOC report and a controls walkthrough"),
        ("dee", "marketing", "our 4.8-star app store rating"),
        ("eve", "marketing", "the 4.8 star rating in the app store\ncase studies"),
    ])
    + answers("fears", [
        ("ana", "sales", "wiring money to a fraudster"), ("ben", "sales", "paying a fake bank account"),
        ("dee", "marketing", "a failed rollout"), ("eve", "marketing", "the rollout fails and they get blamed"),
    ])
)


def test_a_bulleted_brief_is_read_per_prompt(minilm):
    # Regression (issue 12): "- Trigger: ..." lines were not read, and stale points
    # came from the wrong bullet.
    report = analyze(BRIEF_SESSION, brief=BULLETED_BRIEF, encoder=minilm, prompts=[
        (k, k) for k in FIVE])
    evidence = report.dimension("evidence")
    assert evidence.brief_section == ["Our 4.8-star app store rating", "case studies from companies their size"]
    rating = [t for t in evidence.themes if "4.8" in t.quote]
    assert rating and all(t.in_brief is True for t in rating)
    trigger = report.dimension("trigger")
    erp = [t for t in trigger.themes if "ERP" in " ".join(s.text for s in t.statements)]
    assert erp and all(t.in_brief is False for t in erp)
    for dimension in report.dimensions:
        assert set(dimension.stale_points) <= set(dimension.brief_section), dimension.key


def test_a_report_to_dict_is_what_asdict_gives_and_reads_back(toy_encoder):
    import json
    from dataclasses import asdict

    from embeddings.divergence import analyze
    from embeddings.report import Report
    from workshop.models import Answer

    answers = [Answer("Ana", "sales", "trigger", "New CFO wants a forecast\nAudit findings"),
               Answer("Bo", "sales", "trigger", "Audit findings again"),
               Answer("Mia", "marketing", "trigger", "Month-end close is slow"),
               Answer("Max", "marketing", "objections", "Price per seat")]
    report = analyze(answers, encoder=toy_encoder)
    plain = report.to_dict()
    assert json.loads(json.dumps(plain)) == json.loads(json.dumps(asdict(report)))
    assert Report.from_dict(plain) == report
