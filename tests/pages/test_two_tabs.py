"""Two facilitator tabs on one session (issue 15 item 2): nothing is lost, both stay in step.

Two AppTests on the same facilitator link are two tabs. Each tab's poller
(pages/reset_steps/sync.watch) reruns it within seconds of a change it has not
drawn; here the test reruns the tab itself, which is what the poller does.
"""

from __future__ import annotations

from pages.reset_steps import sync
from pages.reset_steps.deep_dive import _key as decision_key
from tests.pages.test_reset import open_reset, run, text
from tests.reset_sample import make_session
from workshop import agenda
from workshop import reset_brief as rb


def test_an_addition_in_each_tab_keeps_both(store):
    session = make_session(store)
    a = open_reset(session, "reset_brief", store)
    b = open_reset(session)
    start = a.text_area(key="brief-trigger").value
    assert b.text_area(key="brief-trigger").value == start
    run(a.text_area(key="brief-trigger").input(start + "\n- Added in tab A"))
    # Tab B has not been redrawn since; its person adds a line to what B shows.
    run(b.text_area(key="brief-trigger").input(start + "\n- Added in tab B"))
    stored = rb.load_drafts(store, session.id)["trigger"]
    assert "- Added in tab A" in stored and "- Added in tab B" in stored
    assert b.text_area(key="brief-trigger").value == stored  # B now shows both
    assert any("Another window added to this" in i.value for i in b.info)
    # Tab A follows once it reruns (its poller saw the change).
    assert run(a).text_area(key="brief-trigger").value == stored


def test_the_same_line_changed_in_both_tabs_keeps_both_and_warns(store):
    session = make_session(store)
    store.set_state(session.id, rb.BUYER_STATE_KEY, "The AP manager")
    a = open_reset(session, "reset_brief", store)
    b = open_reset(session)
    run(a.text_area(key="brief-buyer").input("The CFO of a mid-market manufacturer"))
    run(b.text_area(key="brief-buyer").input("The controller, with procurement in the room"))
    stored = store.get_state(session.id, rb.BUYER_STATE_KEY)
    assert "The CFO of a mid-market manufacturer" in stored and "The controller, with procurement" in stored
    assert any("Both versions are kept" in w.value for w in b.warning)


def test_step_decisions_and_notes_follow_across_tabs(store):
    session = make_session(store)
    a = open_reset(session, "deep_dive", store)
    b = open_reset(session)
    tender = decision_key("trigger", "Procurement runs a formal tender")
    run(a.segmented_control(key=f"dec-{tender}").set_value("adopt"))
    run(a.text_input(key=f"note-{tender}").input("every deal over 50k"))
    assert sync.signature(store, session.id) != b.session_state[sync.SEEN]  # B's poller reruns it
    run(b)
    assert b.segmented_control(key=f"dec-{tender}").value == "adopt"
    assert b.text_input(key=f"note-{tender}").value == "every deal over 50k"
    assert sync.signature(store, session.id) == b.session_state[sync.SEEN]  # and then stays quiet
    run(a.segmented_control(key="deep-prompt").set_value("objections"))
    assert run(b).segmented_control(key="deep-prompt").value == "objections"
    run(a.button(key="reset-next").click())
    assert run(b).title[0].value == "7. Marketing scorecard"
    assert agenda.load(store, session.id).step.key == "scorecard"


def test_a_stale_note_says_what_it_replaced(store):
    session = make_session(store)
    a = open_reset(session, "deep_dive", store)
    b = open_reset(session)
    tender = decision_key("trigger", "Procurement runs a formal tender")
    run(a.text_input(key=f"note-{tender}").input("ask procurement"))
    run(b.text_input(key=f"note-{tender}").input("every deal over 50k"))
    assert any("“ask procurement”; yours replaced it" in w.value for w in b.warning)


def test_reality_notes_from_two_tabs_are_merged(store):
    session = make_session(store)
    a = open_reset(session, "commercial_reality", store)
    b = open_reset(session)
    run(a.text_area(key="reality-notes").input("Partners bring half the deals"))
    run(b.text_area(key="reality-notes").input("Procurement joins every enterprise deal"))
    stored = store.get_state(session.id, "reality_notes")
    assert "Partners bring half the deals" in stored and "Procurement joins every enterprise deal" in stored
    assert "Partners" in text(run(a)) or run(a).text_area(key="reality-notes").value == stored
