"""The summary gathers every section that has data and skips the rest."""

from __future__ import annotations

import pytest

from tests.workshop.summary_data import NASTY, PEOPLE, make_session
from workshop.store import Store
from workshop.summary import HOW_TO_READ, format_date, gather


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "s.db")


def test_full_session_has_every_section(store):
    s = gather(store, make_session(store))
    assert s.title == "Q3 brief reset — Acmé"
    assert s.company.startswith("Acmé <GmbH>")
    assert s.date == "20 November 2026"
    assert s.facilitator == "Fatima Zahra"
    assert "not to blame anyone" in s.how_to_read
    # Idle Ivan joined but never answered: he did not take part.
    assert [(p.function, p.count) for p in s.participation] == [("sales", 3), ("marketing", 2)]
    # Prompts in the session's order, not the report's.
    assert [(p.key, p.verdict, p.score) for p in s.prompts] == [("trigger", "divergent", "0.34"), ("fears", "aligned", "0.81")]
    assert [(t.side, t.label) for t in s.themes] == [("sales", "Procurement-led RFP"), ("marketing", "Failed audit")]
    assert s.brief_flags[0].gaps == ["Procurement-led RFP"]
    assert s.brief_flags[0].stale == ["Triggered by a failed audit"]
    assert s.commercial_notes.startswith("Deals now close")
    assert s.deals_count == 9
    # Nine months of deals: the first quarter against the two after, each named.
    assert "Channel / source: Partner: 0% of won deals in 2026 Q1 → 50% in 2026 Q2–2026 Q3 (up 50 points)" \
        in s.deal_shifts
    assert [(d.prompt, d.theme, d.choice) for d in s.decisions] == [
        ("Trigger", "Failed audit", "retire"),
        ("Trigger", "Procurement-led RFP", "adopt"),
        ("Fears", "Being blamed", "investigate"),
    ]
    assert s.primary_buyer == "The CFO, with procurement in the room 🚀"
    assert [b.prompt for b in s.reset_brief] == ["Trigger", "Fears"]
    trigger = s.reset_brief[0]
    assert "Procurement runs a formal RFP" in trigger.text
    assert "A failed audit" in trigger.old  # the old brief's part for this prompt
    assert any(c.startswith("Added: Procurement-led RFP") for c in trigger.changes)
    assert "Retired: A failed audit" in trigger.changes
    assert s.reset_brief[1].changes == ["Open question: Being blamed: Ask 3 customers"]
    assert s.old_brief == ""  # each prompt shows its own part instead
    assert [(m.metric, m.influence) for m in s.scorecard] == [
        ("MQLs", "yes"), ("Win rate | enterprise", "partly"), ("Net revenue", "no")]
    assert s.scorecard_influenced == 1
    assert [(a.what, a.owner, a.due, a.done) for a in s.actions] == [
        ("Write the RFP proof pack *now*", "Gül Yılmaz", "15 December 2026", False),
        ("Update the brief in the wiki", "Hana", "", True),
    ]
    assert s.next_review == "20 May 2027"


def test_quotes_are_real_distinct_and_at_most_three(store):
    s = gather(store, make_session(store))
    rfp = s.themes[0]
    assert [q.text for q in rfp.quotes] == [
        "Procurement now runs a formal RFP", "A new CFO wants one system", NASTY]
    assert rfp.people == 3
    assert all(q.who == "" for q in rfp.quotes)


def test_names_only_when_the_facilitator_opted_in(store):
    anonymous = gather(store, make_session(store))
    assert all(p.names == [] for p in anonymous.participation)
    named = gather(store, make_session(store, show_names=True))
    assert named.participation[0].names == PEOPLE["sales"]
    assert named.themes[0].quotes[0].who == "Ana Souza, sales"


def test_empty_session_has_only_the_header_and_the_note(store):
    session = store.create_session("Bare")
    s = gather(store, session)
    assert s.how_to_read == HOW_TO_READ
    assert s.participation == s.prompts == s.themes == s.brief_flags == []
    assert s.decisions == s.reset_brief == s.scorecard == s.actions == []
    assert not (s.commercial_notes or s.primary_buyer or s.next_review or s.old_brief or s.company)


def test_answers_without_analysis_or_reset(store):
    session = make_session(store, full=False)
    s = gather(store, session)
    assert s.participant_total == 5
    assert s.prompts == [] and s.themes == [] and s.reset_brief == []
    assert not s.has_reset_brief


def test_a_damaged_analysis_skips_its_sections(store):
    session = make_session(store, full=False)
    store.set_state(session.id, "analysis", {"fingerprint": "x", "report": {"dimensions": [{"key": "trigger"}]}})
    s = gather(store, session)
    assert s.prompts == [] and s.themes == []
    assert s.participant_total == 5


def test_whole_old_brief_when_no_prompt_part_is_found(store):
    session = store.create_session("Plain brief", brief="We sell to finance leaders who hate spreadsheets.")
    store.set_state(session.id, "reset_brief", {"trigger": "A new CFO"})
    s = gather(store, session)
    assert [b.text for b in s.reset_brief] == ["A new CFO"]
    assert s.old_brief == "We sell to finance leaders who hate spreadsheets."


def test_format_date():
    assert format_date("2027-05-02") == "2 May 2027"
    assert format_date("2026-11-20T09:30:00+00:00") == "20 November 2026"
    assert format_date("next spring") == "next spring"
    assert format_date("2027-02-30") == "2027-02-30"
    assert format_date("") == ""
