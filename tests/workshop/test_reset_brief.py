from datetime import date

from tests.reset_sample import BRIEF, make_session
from workshop import reset_brief as rb
from workshop.models import DEFAULT_PROMPTS, Decision

PROMPTS = list(DEFAULT_PROMPTS)


def d(dimension, theme, choice, note=""):
    return Decision("s", dimension, theme, choice, note)


def test_brief_sections_follow_the_headings():
    sections = rb.brief_sections(BRIEF, PROMPTS)
    assert sections["trigger"].splitlines() == [
        "- Month-end close takes more than ten days", "- The team outgrows spreadsheets"]
    assert sections["evidence"].endswith("A product demo")
    assert "Price per seat" in sections["objections"] and "Price per seat" not in sections["trigger"]


def test_brief_sections_accept_bold_and_colon_headings_and_leave_unknown_empty():
    brief = "**What triggers it**\nA new CFO\n\nObjections: too expensive\n- slow security review\n\nPricing\n"
    sections = rb.brief_sections(brief, PROMPTS)
    assert sections["trigger"] == "- A new CFO"
    # A lone word under a section is a label, not a point.
    assert sections["objections"].splitlines() == ["- too expensive", "- slow security review"]
    assert sections["fears"] == "" and sections["compare"] == ""
    assert rb.brief_sections("", PROMPTS)["trigger"] == ""
    assert rb.brief_sections("Just one paragraph about our buyer.", PROMPTS)["trigger"] == ""


def test_decisions_add_strike_and_open_questions():
    old = "- Month-end close takes more than ten days\n- The team outgrows spreadsheets"
    change = rb.changes(old, [
        d("trigger", "Procurement runs a formal tender", "adopt", "over 50k"),
        d("trigger", "Outgrowing spreadsheets", "retire"),
        d("trigger", "Audit finding", "investigate", "ask five customers"),
    ])
    assert change.added == ["Procurement runs a formal tender (over 50k)"]
    assert change.retired == ["The team outgrows spreadsheets"]
    assert change.open == ["Audit finding: ask five customers"]
    assert change.kept == ["Month-end close takes more than ten days"]
    text = rb.draft_text(change)
    assert "spreadsheets" not in text
    assert text.splitlines()[:2] == [
        "- Month-end close takes more than ten days", "- Procurement runs a formal tender (over 50k)"]
    assert "Open questions:" in text and text.endswith("- Audit finding: ask five customers")


def test_adopting_what_the_brief_already_says_adds_nothing():
    old = "- Price per seat"
    assert rb.changes(old, [d("objections", "Price per seat", "adopt")]).added == []
    assert rb.changes("", [d("objections", "Price per seat", "adopt")], {"Price per seat": True}).added == []
    assert rb.changes("", [d("objections", "Price per seat", "adopt")]).added == ["Price per seat"]


def test_retiring_a_theme_the_brief_never_worded_is_still_recorded():
    change = rb.changes("- Price per seat", [d("objections", "Legacy vendor lock-in", "retire")])
    assert change.retired == ["Legacy vendor lock-in"] and change.kept == ["Price per seat"]
    assert rb.changes("", []).empty


def test_draft_is_per_prompt_and_only_uses_that_prompts_decisions():
    out = rb.draft(PROMPTS, BRIEF, [d("evidence", "A product demo", "retire"), d("trigger", "X ray", "adopt")])
    assert set(out) == {p.key for p in PROMPTS}
    evidence_text, evidence_change = out["evidence"]
    assert evidence_change.retired == ["A product demo"] and "demo" not in evidence_text
    assert "X ray" in out["trigger"][0] and "X ray" not in out["evidence"][0]
    assert out["fears"][1].empty


def test_review_date_defaults_to_six_months_and_clamps_month_ends():
    assert rb.default_review_date(date(2026, 11, 23)) == date(2027, 5, 23)
    assert rb.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert rb.add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)


def test_current_brief_prefers_the_edited_text(store):
    session = make_session(store)
    store.save_decision(session.id, "trigger", "Procurement runs a formal tender", "adopt", "", "sales")
    current = rb.current_brief(store, session)
    assert "Procurement runs a formal tender" in current["trigger"]
    rb.save_draft(store, session.id, "trigger", "Edited by the room")
    assert rb.current_brief(store, session)["trigger"] == "Edited by the room"
    assert rb.load_drafts(store, session.id) == {"trigger": "Edited by the room"}
    assert "Procurement runs a formal tender" in rb.buyer_statement(store, session)
    store.set_state(session.id, rb.BUYER_STATE_KEY, "Finance leads under audit pressure")
    assert rb.buyer_statement(store, session) == "Finance leads under audit pressure"
    assert rb.review_date(store, session.id, today=date(2026, 1, 1)) == date(2026, 7, 1)
    store.set_state(session.id, rb.REVIEW_STATE_KEY, "2026-09-30")
    assert rb.review_date(store, session.id) == date(2026, 9, 30)


def test_wrapped_bullets_and_paragraphs_are_whole_points():
    text = (
        "- Invoice volume has grown faster than the team; the backlog stretches the\n"
        "  month-end close.\n"
        "- A key clerk leaves.\n"
        "\n"
        "Manual processing in the ERP with email approvals and spreadsheets, the ERP\n"
        "vendor's own add-on, and other suites on the market today, all of them. Buyers compare us on\n"
        "capture accuracy and price per invoice.\n"
    )
    assert rb.brief_points(text) == [
        "Invoice volume has grown faster than the team; the backlog stretches the month-end close.",
        "A key clerk leaves.",
        "Manual processing in the ERP with email approvals and spreadsheets, the ERP vendor's own add-on, "
        "and other suites on the market today, all of them.",
        "Buyers compare us on capture accuracy and price per invoice.",
    ]
    change = rb.changes(text, [d("trigger", "A key clerk leaves.", "retire")])
    assert change.retired == ["A key clerk leaves."] and len(change.kept) == 3
