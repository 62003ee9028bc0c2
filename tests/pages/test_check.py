"""The facilitator's check of the analysis (issue 11): read the evidence, correct it, see it everywhere."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.reset_sample import make_session
from workshop import corrections as fix
from workshop.analysis import session_report
from workshop.summary import gather


def _check_page(path: str) -> None:
    from pages.check import main
    from workshop.store import Store

    main(Store(path))


def open_check(session) -> AppTest:
    import os

    at = AppTest.from_function(_check_page, args=(os.environ["BRIEF_RESET_DB"],), default_timeout=60)
    at.query_params["session"] = session.id
    at.query_params["key"] = session.facilitator_key
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def text(at) -> str:
    return " ".join(str(e.value) for e in list(at.markdown) + list(at.caption) + list(at.info) + list(at.warning))


def test_open_collection_says_to_close_it_first(store):
    session = make_session(store, closed=False)
    at = open_check(session)
    assert "Collection is still open" in text(at)
    assert not at.button


def test_the_check_shows_verdict_strength_and_both_sides_statements(store):
    session = make_session(store)
    at = open_check(session)
    shown = text(at)
    assert "Divergent" in shown and "Sales" in shown and "Marketing" in shown
    assert "Procurement runs a formal tender" in shown  # a theme of the first prompt


def test_a_verdict_override_needs_a_reason_and_is_stored(store):
    session = make_session(store)
    at = open_check(session)
    at.radio(key=next(r.key for r in at.radio if r.key.endswith("-verdict"))).set_value("aligned")
    form_submit = next(b for b in at.button if b.label == "Save the verdict")
    form_submit.click().run()
    assert "why" in at.error[0].value.lower() or "say" in at.error[0].value.lower()
    assert fix.load(store, session.id) == []
    reason = next(t for t in at.text_input if t.key.endswith("-reason"))
    reason.input("Both sides name the tender; the wording differs")
    next(b for b in at.button if b.label == "Save the verdict").click().run()
    made = fix.load(store, session.id)
    assert [c.kind for c in made] == ["verdict"] and made[0].value == "aligned"
    # A refresh (a new page) shows the corrected verdict.
    again = open_check(session)
    assert "You changed this verdict from divergent" in text(again)


def test_rename_and_dismiss_reach_the_summary(store):
    session = make_session(store)
    at = open_check(session)
    name = next(t for t in at.text_input if t.value == "Procurement runs a formal tender")
    name.input("Procurement tender").run()
    dismiss = [b for b in at.button if b.label == "Dismiss"]
    dismiss[-1].click().run()
    made = fix.load(store, session.id)
    assert [c.kind for c in made] == ["rename", "dismiss"]
    summary = gather(store, store.get_session(session.id))
    labels = [t.label for t in summary.themes]
    assert "Procurement tender" in labels
    assert summary.corrections and any("renamed" in line for line in summary.corrections)
    # The stored analysis itself stays raw.
    raw = session_report(store, session, corrected=False)
    assert "Procurement runs a formal tender" in [t.label for t in raw.dimension("trigger").themes]


def test_a_statement_moved_out_of_its_theme(store):
    session = make_session(store)
    at = open_check(session)
    move = at.selectbox[0]
    move.set_value("Out of every theme").run()
    made = fix.load(store, session.id)
    assert [c.kind for c in made] == ["move"] and made[0].other == []


def test_an_overridden_verdict_reads_as_the_facilitators_on_the_reveal(store):
    from workshop.charts import reveal_rows

    session = make_session(store)
    fix.add(store, session.id, fix.override_verdict("evidence", "divergent", "Sellers hear SOC reports, not logos"))
    report = session_report(store, session)
    row = next(r for r in reveal_rows(report) if r["key"] == "evidence")
    assert row["verdict"] == "divergent"
    assert "set by the facilitator" in row["label"]
    assert "Sellers hear SOC reports, not logos" in row["note"]
