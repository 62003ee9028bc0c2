"""The facilitator's reset session (issue 5), driven through app.py.

A new AppTest on the same facilitator link is the laptop closed and opened
again: only the store carries anything over, so every "persists" test opens
a second AppTest and looks there.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from embeddings.report import Report
from pages.reset import PICKER
from pages.reset_steps.deep_dive import _key as decision_key
from tests.pages.conftest import page_protos
from tests.reset_sample import make_session, sample_report, store_report
from workshop import agenda, crossread, deals, reset_brief
from workshop import scorecard as card
from workshop.agenda import READINESS_KEY, STEP_KEYS

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def sample(store):
    return make_session(store)


def open_reset(session, step: str | None = None, store=None) -> AppTest:
    if step is not None:
        a = agenda.load(store, session.id)
        agenda.go_to(a, STEP_KEYS.index(step))
        agenda.save(store, session.id, a)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["session"] = session.id
    at.query_params["key"] = session.facilitator_key
    at.run()
    at.switch_page("pages/reset.py")
    return run(at)


def run(target) -> AppTest:
    """Run the app (an AppTest, or a widget after an interaction) and check it did not fail."""
    at = target.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def text(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.title]
    parts += [e.value for e in at.subheader] + [str(e.proto) for e in at.get("html")]
    return "\n".join(str(p) for p in parts)


def test_a_wrong_key_is_stopped_with_a_message(store, sample):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["session"] = sample.id
    at.query_params["key"] = "not-the-key"
    at.run()
    assert any("not valid" in e.value for e in at.error)
    assert not at.title


def test_next_and_back_move_the_room_and_reopening_resumes_there(store, sample):
    at = open_reset(sample)
    assert at.title[0].value == "1. Ground rules"
    assert at.button(key="reset-back").disabled
    run(at.button(key="reset-next").click())
    assert at.title[0].value == "2. Commercial reality"
    run(at.button(key="reset-next").click())
    assert agenda.load(store, sample.id).current == 2
    # The laptop closes; the facilitator link opens a fresh app on the same step.
    again = open_reset(sample)
    assert again.title[0].value == "3. Private descriptions"
    assert again.segmented_control(key=PICKER).value == 2
    # Numbered as the session has them: without cross-reading, the reset brief is the 8th step.
    run(again.segmented_control(key=PICKER).set_value(STEP_KEYS.index("reset_brief")))
    assert again.title[0].value == "8. The reset brief"
    run(again.button(key="reset-back").click())
    assert again.title[0].value == "7. Marketing scorecard"
    assert agenda.load(store, sample.id).step.key == "scorecard"
    # Time spent on the steps we left is kept.
    assert set(agenda.load(store, sample.id).spent) >= {"ground_rules", "commercial_reality", "descriptions"}


def test_the_step_clock_can_be_restarted(store, sample):
    a = agenda.load(store, sample.id)
    a.entered_at = "2026-01-01T09:00:00+00:00"  # the laptop was closed overnight
    agenda.save(store, sample.id, a)
    at = open_reset(sample)
    assert agenda.elapsed_seconds(agenda.load(store, sample.id), "ground_rules") > 3600
    assert "reset-timer over" in text(at)
    run(at.button(key="reset-clock").click())
    assert agenda.elapsed_seconds(agenda.load(store, sample.id), "ground_rules") < 60
    assert "reset-timer over" not in text(at)


def test_every_step_renders_a_timer_and_an_add_action_control(store, sample):
    crossread.set_enabled(store, sample.id, True)  # every step, the optional one too
    for index, key in enumerate(STEP_KEYS):
        at = open_reset(sample, key, store)
        assert at.title[0].value.startswith(f"{index + 1}. ")
        assert "reset-timer" in text(at)
        if key != "actions":
            assert at.text_input(key=f"quick-{key}-what") is not None


def test_ground_rules_durations_are_stored(store, sample):
    at = open_reset(sample)
    page = text(at)
    assert "not to blame anyone" in page
    run(at.number_input(key="minutes-deep_dive").set_value(60))
    assert agenda.load(store, sample.id).minutes_for("deep_dive") == 60
    planned = agenda.planned_minutes(agenda.load(store, sample.id), {"crossread"})  # this session does not cross-read
    assert f"Today's plan · {planned} minutes" in text(at)
    at = open_reset(sample)
    assert at.number_input(key="minutes-deep_dive").value == 60
    # The readiness question is chosen when the session is created, not on the projector.
    assert not at.toggle and "readiness" not in page.lower()


DEALS = (
    "Close date,Segment,Source,Buyer role,Amount,Won/Lost,Region\n"
    "2025-11-02,Mid-market,Inbound,CFO,20000,won,EU\n"
    "2026-01-15,Enterprise,Partner,Procurement,90000,won,EU\n"
    "garbage,Enterprise,Partner,Procurement,90000,won,EU\n"
    "2026-07-01,Enterprise,Partner,Procurement,70000,won,US\n"
)


def test_commercial_reality_upload_mix_and_notes(store, sample):
    at = open_reset(sample, "commercial_reality", store)
    assert "What the brief of record says" in text(at)
    assert "Month-end close takes more than ten days" in text(at)
    run(at.file_uploader(key="deals-upload").upload("deals.csv", DEALS.encode(), "text/csv"))
    stored = deals.DealsFile.from_dict(store.get_state(sample.id, "deals"))
    assert len(stored.deals) == 3 and stored.problems == ["line 4: close date 'garbage' is not a date"]
    at = open_reset(sample)  # reopened: the data is still there, charted
    page = text(at)
    assert "3 deals read from deals.csv" in page.replace("\\", "") and "Region" in page
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert at.segmented_control(key="deals-field").options == ["Segment", "Channel / source", "Buyer role"]
    run(at.text_area(key="reality-notes").input("Partners bring half the enterprise deals now"))
    assert store.get_state(sample.id, "reality_notes") == "Partners bring half the enterprise deals now"
    assert open_reset(sample).text_area(key="reality-notes").value.startswith("Partners bring")


def test_a_bad_deals_file_says_why_and_loses_nothing(store, sample):
    store.set_state(sample.id, "reality_notes", "kept")
    at = open_reset(sample, "commercial_reality", store)
    run(at.file_uploader(key="deals-upload").upload("export.csv", b"PK\x03\x04\x00\x00\x00", "text/csv"))
    assert any("export.csv" in e.value and "not a CSV" in e.value for e in at.error)
    assert store.get_state(sample.id, "deals") is None
    assert at.text_area(key="reality-notes").value == "kept"
    run(at.file_uploader(key="deals-upload").upload("names.csv", b"name,owner\nA,B\n", "text/csv"))
    assert any("No close date column" in e.value for e in at.error)


def test_a_bad_second_file_keeps_the_deals_already_shown(store, sample):
    at = open_reset(sample, "commercial_reality", store)
    run(at.file_uploader(key="deals-upload").upload("deals.csv", DEALS.encode(), "text/csv"))
    at = open_reset(sample)
    run(at.file_uploader(key="deals-upload").upload("other.csv", b"just,nonsense\n1,2\n", "text/csv"))
    assert any("other.csv" in e.value for e in at.error)
    assert len(deals.DealsFile.from_dict(store.get_state(sample.id, "deals")).deals) == 3
    assert "3 deals read from deals.csv" in text(at).replace("\\", "")
    run(at.button(key="deals-forget").click())
    assert store.get_state(sample.id, "deals") is None


class FakeAnalysis:
    """Stands in for workshop.analysis.run_analysis: counts runs, stores the sample report."""

    def __init__(self, store, fail: Exception | None = None):
        self.store, self.fail, self.runs = store, fail, 0

    def __call__(self, store, session, encoder=None, progress=None):
        self.runs += 1
        if progress:
            progress(0.5, "Embedding the statements")
        if self.fail:
            raise self.fail
        store_report(store, session, sample_report())
        return sample_report()


def wait_for_analysis(store, session, seconds: float = 30.0) -> None:
    """Until the background worker has no analysis queued or running for the session."""
    import time

    from workshop import background

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if background.status(store, session.id).state not in ("queued", "running"):
            return
        time.sleep(0.05)
    raise AssertionError("the background analysis did not finish")


def test_descriptions_runs_the_analysis_once_when_collection_closes(store, monkeypatch):
    import workshop.analysis

    session = make_session(store, closed=False)
    store.set_state(session.id, "analysis", None)
    fake = FakeAnalysis(store)
    monkeypatch.setattr(workshop.analysis, "run_analysis", fake)
    at = open_reset(session, "descriptions", store)
    assert fake.runs == 0  # still collecting: nothing to analyse yet
    assert "Ready for the reveal" not in text(at)
    store.set_collection_open(session.id, False)  # the lobby's close button
    run(at)
    wait_for_analysis(store, session)
    run(at)
    assert fake.runs == 1
    assert "Ready for the reveal: 2 of 5 prompts diverge." in text(at)
    run(at)
    open_reset(session)
    assert fake.runs == 1  # stored and reused, also after reopening the laptop
    # Reopened, one more answer, closed again: the analysis updates.
    store.set_collection_open(session.id, True)
    p = store.add_participant(session.id, "Hal", "marketing")
    store.put_answer(p.id, "trigger", "A new regulation")
    store.set_collection_open(session.id, False)
    open_reset(session)
    wait_for_analysis(store, session)
    assert fake.runs == 2


def test_the_page_never_waits_for_the_analysis(store, monkeypatch):
    """A slow analysis (the model loading, 60 people) runs off the page: the page draws progress at once."""
    import threading
    import time

    import workshop.analysis

    release = threading.Event()
    fake = FakeAnalysis(store)

    def slow(store_, session_, encoder=None, progress=None):
        progress(0.3, "Embedding the statements")
        release.wait(20)
        return fake(store_, session_, progress=progress)

    monkeypatch.setattr(workshop.analysis, "run_analysis", slow)
    session = make_session(store)
    store.set_state(session.id, "analysis", None)
    started = time.monotonic()
    at = open_reset(session, "descriptions", store)
    assert time.monotonic() - started < 15  # the AppTest itself takes a few seconds; the analysis holds 20
    assert "Analysing the answers" in text(at)
    assert "Ready for the reveal" not in text(at)
    second = open_reset(session)  # a second facilitator window asks too: still one run
    assert "Analysing the answers" in text(second)
    release.set()
    wait_for_analysis(store, session)
    run(at)
    assert "Ready for the reveal: 2 of 5 prompts diverge." in text(at)
    assert fake.runs == 1


def test_a_missing_model_is_reported_and_the_session_goes_on(store, monkeypatch):
    import workshop.analysis

    session = make_session(store)
    store.set_state(session.id, "analysis", None)
    fake = FakeAnalysis(store, fail=workshop.analysis.ModelUnavailable("the model package is not installed"))
    monkeypatch.setattr(workshop.analysis, "run_analysis", fake)
    at = open_reset(session, "descriptions", store)
    wait_for_analysis(store, session)
    run(at)
    assert any("Analysis unavailable: the model package is not installed" in w.value for w in at.warning)
    run(at)
    assert fake.runs == 1  # not retried on every rerun
    run(at.button(key="reset-next").click())
    assert at.title[0].value == "4. Reveal"
    assert any("Analysis unavailable" in w.value for w in at.warning)
    run(at.button(key="reset-next").click())
    assert at.title[0].value == "5. Votes"
    run(at.button(key="reset-next").click())
    assert at.title[0].value == "6. Deep dive"
    at.text_input(key="quick-deep_dive-what").input("Check the model install")
    run(at.button(key="quick-deep_dive-add").click())
    assert [a.what for a in store.actions(session.id)] == ["Check the model install"]


def test_reveal_is_anonymous_and_says_how_sure_each_verdict_is(store, sample, monkeypatch):
    import workshop.analysis

    monkeypatch.setattr(workshop.analysis, "run_analysis", FakeAnalysis(store, fail=AssertionError("no rerun")))
    at = open_reset(sample, "reveal", store)
    assert store.get_session(sample.id).revealed
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 2
    specs = [str(c.proto) for c in charts]
    assert "divergent \\302\\267 0.31 \\302\\267 clear" in specs[0] or "divergent · 0.31 · clear" in specs[0]
    assert "leaning" in specs[0] and "thin" in specs[0]
    assert at.segmented_control(key="reveal-map-prompt").value == "trigger"  # most divergent first
    assert "Procurement now sends an RFP" in specs[1]
    assert "Ana" not in specs[1]
    assert "Clear: 4 sales and 3 marketing people answered" in text(at)
    # Issue 15 item 7: the Names switch changed nothing visible here. It lives in the deep dive now.
    assert not [t for t in at.toggle if t.key == "reveal-names"]
    run(at.segmented_control(key="reveal-map-prompt").set_value("evidence"))
    assert "Leaning: 3 marketing people answered; read their statements" in text(at)


def test_names_are_switched_on_beside_the_quotes_they_change(store, sample):
    at = open_reset(sample, "deep_dive", store)
    assert "— Sales" in text(at) and "Ana" not in text(at)
    run(at.toggle(key="deep-names").set_value(True))
    assert store.get_session(sample.id).show_names
    assert "— Ana" in text(at)  # visible at once, where the switch is
    reveal = open_reset(sample, "reveal", store)
    assert "Ana" in str((reveal.get("arrow_vega_lite_chart") or reveal.get("vega_lite_chart"))[1].proto)


def test_reveal_waits_for_collection_to_close(store):
    session = make_session(store, closed=False)
    at = open_reset(session, "reveal", store)
    assert any("still open" in i.value for i in at.info)
    assert not store.get_session(session.id).revealed
    assert any("close collection" in i.value for i in open_reset(session, "deep_dive", store).info)


def test_reopening_collection_after_the_reveal_keeps_the_discussion_going(store, sample):
    open_reset(sample, "reveal", store)
    store.set_collection_open(sample.id, True)  # a late participant
    at = open_reset(sample, "deep_dive", store)
    assert "Only sales · 2" in text(at)
    assert "Collection is open again" in text(at)


def test_deep_dive_shows_three_sides_and_stores_decisions(store, sample):
    at = open_reset(sample, "deep_dive", store)
    page = text(at)
    assert at.segmented_control(key="deep-prompt").value == "trigger"
    assert at.segmented_control(key="deep-prompt").options[:2] == ["Trigger · divergent", "Objections · divergent"]
    for header in ("Only sales · 2", "Both · 1", "Only marketing · 1"):
        assert header in page
    assert "3 people · 3 statements" in page
    assert "Procurement now sends an RFP before we ever meet the CFO" in page
    assert "— Sales" in page and "Ana" not in page  # anonymous by default
    assert "Month-end close takes more than ten days" in page  # the brief's wording
    assert "What proof do we not have yet?" in page
    assert "not in the brief" in page and "stale?" in page

    tender = decision_key("trigger", "Procurement runs a formal tender")
    at.text_input(key=f"note-{tender}").input("every deal over 50k")
    run(at)
    run(at.segmented_control(key=f"dec-{tender}").set_value("adopt"))
    stale = decision_key("trigger", "The team outgrows spreadsheets")
    run(at.segmented_control(key=f"dec-{stale}").set_value("retire"))
    stored = {(d.theme, d.choice, d.note, d.side) for d in store.decisions(sample.id)}
    assert stored == {
        ("Procurement runs a formal tender", "adopt", "every deal over 50k", "sales"),
        ("The team outgrows spreadsheets", "retire", "", "marketing"),
    }
    run(at.segmented_control(key="deep-prompt").set_value("objections"))
    assert "Only sales · 1" in text(at) and "SOC 2" in text(at)

    again = open_reset(sample)  # the laptop was closed
    assert again.segmented_control(key="deep-prompt").value == "objections"
    run(again.segmented_control(key="deep-prompt").set_value("trigger"))
    assert again.segmented_control(key=f"dec-{tender}").value == "adopt"
    assert again.text_input(key=f"note-{tender}").value == "every deal over 50k"
    run(again.segmented_control(key=f"dec-{tender}").set_value(None))  # undecided again
    assert [d.theme for d in store.decisions(sample.id)] == ["The team outgrows spreadsheets"]


def test_deep_dive_shows_names_when_the_facilitator_chose_to(store, sample):
    store.update_session(sample.id, show_names=True)
    page = text(open_reset(sample, "deep_dive", store))
    assert "— Ana" in page


def test_deep_dive_cards_lead_with_the_label_and_quote_and_show_two(store):
    from embeddings.report import DimensionResult, Statement, Theme

    session = make_session(store)
    said = [Statement(n, "sales", t) for n, t in [
        ("Ana", "SOC 2 report before the pilot"), ("Ben", '"Our IT team needs a security review first"'),
        ("Chen", "A security questionnaire of 300 questions"), ("Dita", "IT asks for a pen test")]]
    report = Report(dimensions=[DimensionResult(
        "objections", "divergent", 0.3, "", strength="thin",
        strength_note="Thin: 2 sales people answered, too few to say; read their statements.",
        themes=[Theme("IT security review", "sales", ["Ana", "Ben", "Chen", "Dita"], said,
                      quote='"Our IT team needs a security review first"')])])
    store_report(store, session, report)
    at = open_reset(session, "deep_dive", store)
    page = text(at)
    assert "#### IT security review" in page
    # The central quote first, without doubled quotation marks, then one more; two in a popover.
    assert "“Our IT team needs a security review first”" in page and '“"' not in page
    assert page.index("Our IT team needs") < page.index("SOC 2 report")
    popovers = [p for p in page_protos(at._tree) if "popover {" in p]
    assert len(popovers) == 1 and 'label: "2 more"' in popovers[0]
    # How sure, in the prompt's header, in words.
    assert "thin" in page and "Thin: 2 sales people answered, too few to say; read their statements." in page


def test_possible_one_sided_themes_are_apart_with_their_own_decisions(store):
    from embeddings.report import DimensionResult, Statement, Theme

    session = make_session(store)
    report = Report(dimensions=[DimensionResult(
        "evidence", "aligned", 0.7, "", strength="leaning", themes=[
            Theme("Peer references", "shared", ["Ana", "Eva"],
                  [Statement("Ana", "sales", "A reference call"), Statement("Eva", "marketing", "Peer references")]),
            Theme("App-store rating", "marketing", ["Eva", "Gus"],
                  [Statement("Eva", "marketing", "Our app-store rating"), Statement("Gus", "marketing", "4.8 stars")],
                  confidence="possible", quote="Our app-store rating"),
        ])])
    store_report(store, session, report)
    at = open_reset(session, "deep_dive", store)
    page = text(at)
    # Issue 11: a possible one-sided theme was filed under "Both".
    assert "Both · 1" in page and "Only marketing · 0" in page
    assert "Possibly one-sided · 1" in page and "Possibly only marketing" in page
    assert "#### App\\-store rating" in page  # escaped: labels are shown as typed
    rating = decision_key("evidence", "App-store rating")
    run(at.segmented_control(key=f"dec-{rating}").set_value("investigate"))
    assert [(d.theme, d.choice, d.side) for d in store.decisions(session.id)] == [
        ("App-store rating", "investigate", "marketing")]


def test_scorecard_metrics_ratings_and_notes_persist(store, sample):
    at = open_reset(sample, "scorecard", store)
    at.text_input(key="metric-new").input("Pipeline sourced by marketing")
    run(at.button(key="metric-add").click())
    run(at.pills(key="metric-suggest").set_value("Win rate"))
    assert at.pills(key="metric-suggest").value is None  # ready for the next one
    at.text_input(key="metric-new").input("pipeline SOURCED by marketing")
    run(at.button(key="metric-add").click())
    assert any("already" in e.value for e in at.error)
    run(at.segmented_control(key="metric-0-influence").set_value("partly"))
    run(at.text_input(key="metric-0-note").input("only with sales follow-up"))
    run(at.segmented_control(key="metric-1-influence").set_value("no"))
    assert card.load(store, sample.id) == [
        card.Metric("Pipeline sourced by marketing", "partly", "only with sales follow-up"),
        card.Metric("Win rate", "no", ""),
    ]
    again = open_reset(sample)
    assert again.segmented_control(key="metric-1-influence").value == "no"
    run(again.button(key="metric-0-remove").click())
    assert [m.name for m in card.load(store, sample.id)] == ["Win rate"]
    assert again.segmented_control(key="metric-0-influence").value == "no"


def test_reset_brief_is_drafted_from_decisions_and_edits_persist(store, sample):
    store.save_decision(sample.id, "trigger", "Procurement runs a formal tender", "adopt", "", "sales")
    store.save_decision(sample.id, "trigger", "The team outgrows spreadsheets", "retire", "", "marketing")
    store.save_decision(sample.id, "objections", "Security review takes months", "investigate", "ask IT", "sales")
    at = open_reset(sample, "reset_brief", store)
    draft = at.text_area(key="brief-trigger").value
    assert "Procurement runs a formal tender" in draft and "spreadsheets" not in draft
    assert "Month-end close takes more than ten days" in draft
    assert "Security review takes months: ask IT" in at.text_area(key="brief-objections").value
    page = text(at)
    assert "~~The team outgrows spreadsheets~~" in page
    assert at.date_input(key="brief-review").value == reset_brief.add_months(date.today(), 6)
    assert store.get_state(sample.id, reset_brief.REVIEW_STATE_KEY) == reset_brief.add_months(date.today(), 6).isoformat()
    assert "Procurement runs a formal tender" in at.text_area(key="brief-buyer").value

    run(at.text_area(key="brief-trigger").input("- A tender run by procurement\n- Month-end close too slow"))
    run(at.text_area(key="brief-buyer").input("Finance leads under procurement rules"))
    run(at.date_input(key="brief-review").set_value(date(2027, 3, 31)))

    again = open_reset(sample)
    assert again.text_area(key="brief-trigger").value.startswith("- A tender run by procurement")
    assert again.text_area(key="brief-buyer").value == "Finance leads under procurement rules"
    assert again.date_input(key="brief-review").value == date(2027, 3, 31)
    assert reset_brief.current_brief(store, store.get_session(sample.id))["trigger"].startswith("- A tender")
    # Redraft brings the decisions' draft back.
    run(again.button(key="redraft-trigger").click())
    assert "Procurement runs a formal tender" in again.text_area(key="brief-trigger").value
    assert "trigger" not in reset_brief.load_drafts(store, sample.id)


def test_actions_are_added_from_any_step_and_edited_in_step_8(store, sample):
    at = open_reset(sample, "reveal", store)
    at.text_input(key="quick-reveal-what").input("Write the security review pack")
    at.text_input(key="quick-reveal-owner").input("Femi")
    at.date_input(key="quick-reveal-due").set_value(date(2026, 12, 15))
    run(at.button(key="quick-reveal-add").click())
    assert at.text_input(key="quick-reveal-what").value == ""  # cleared for the next one
    run(at.button(key="quick-reveal-add").click())
    assert any("Say what the action is" in e.value for e in at.error)
    [action] = store.actions(sample.id)
    assert (action.what, action.owner, action.due) == ("Write the security review pack", "Femi", "2026-12-15")

    at = open_reset(sample, "actions", store)
    at.text_input(key="action-what").input("Interview five lost deals")
    run(at.button(key="action-add").click())
    assert "2 actions" in text(at)
    first, second = store.actions(sample.id)
    run(at.checkbox(key=f"act-{first.id}-done").check())
    run(at.text_input(key=f"act-{second.id}-owner").input("Ana"))
    again = open_reset(sample)
    assert again.checkbox(key=f"act-{first.id}-done").value
    assert again.text_input(key=f"act-{second.id}-owner").value == "Ana"
    run(again.button(key=f"act-{first.id}-delete").click())
    assert [a.what for a in store.actions(sample.id)] == ["Interview five lost deals"]


def test_readiness_chart_appears_in_the_reveal_when_enabled(store):
    session = make_session(store, closed=False)
    session = agenda.set_readiness(store, session, True)
    for index, p in enumerate(store.participants(session.id)):
        store.put_answer(p.id, READINESS_KEY, "5" if p.function == "sales" else "2")
    store.set_collection_open(session.id, False)
    session = store.get_session(session.id)
    store_report(store, session, sample_report())
    at = open_reset(session, "reveal", store)
    assert "When the buyer first talks to us" in text(at)
    # Issue 15 item 1: its own comparison, in its own words, not the text analysis's "aligned".
    assert "<b>Different stages.</b> Sales mostly at “Choosing a vendor” (4 of 4)" in text(at)
    assert "Sales put the buyer 3 stages further along than marketing do." in text(at)
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 3
    assert "Choosing a vendor" in str(charts[2].proto)


def test_an_empty_report_does_not_break_the_reveal_or_deep_dive(store):
    session = make_session(store)
    store_report(store, session, Report(dimensions=[]))
    assert any("no prompts" in w.value for w in open_reset(session, "reveal", store).warning)
    assert any("no prompts" in w.value for w in open_reset(session, "deep_dive", store).warning)


def test_deep_dive_survives_repeated_labels(store):
    from embeddings.report import DimensionResult, Statement, Theme

    session = make_session(store)
    said = [Statement("Ana", "sales", "Price per seat")]
    report = Report(dimensions=[DimensionResult(
        "objections", "divergent", 0.3, "",
        [Theme("Price per seat", "sales", ["Ana"], said), Theme("Price per seat", "marketing", ["Eva"], said)],
        stale_points=["Price per seat"],
    )])
    store_report(store, session, report)
    at = open_reset(session, "deep_dive", store)
    key = decision_key("objections", "Price per seat")
    run(at.segmented_control(key=f"dec-{key}-2").set_value("retire"))
    assert [(d.theme, d.choice) for d in store.decisions(session.id)] == [("Price per seat", "retire")]


def test_an_analysis_error_is_shown_not_raised(store, monkeypatch):
    import workshop.analysis

    session = make_session(store)
    store.set_state(session.id, "analysis", None)
    fake = FakeAnalysis(store, fail=ValueError("bad vectors"))
    monkeypatch.setattr(workshop.analysis, "run_analysis", fake)
    at = open_reset(session, "descriptions", store)
    wait_for_analysis(store, session)
    run(at)
    assert any("ValueError: bad vectors" in w.value for w in at.warning)
    run(at.button(key="analysis-retry").click())
    wait_for_analysis(store, session)
    run(at)
    assert fake.runs == 2
    assert any("bad vectors" in w.value for w in at.warning)


def test_a_brief_with_remote_images_and_links_fetches_nothing_on_the_projected_steps(store):
    """Steps 2, 5 and 7 show the brief of record: never an image or a link from it."""
    from tests.workshop.test_text import fetches_nothing

    hostile = ("![](http://evil.example/pixel.png) [click](http://evil.example) "
               "<img src=http://evil.example/b.png> www.evil.example")
    brief = f"# Brief\n{hostile}\n\n## Triggers\n- Month-end close {hostile}\n"
    session = make_session(store)
    session = store.update_session(session.id, brief=brief)
    store_report(store, session, sample_report())  # up to date with the new brief: nothing to run
    store.set_state(session.id, "deep_dive_prompt", "compare")  # no section: the whole brief is shown
    for step in ("commercial_reality", "deep_dive", "reset_brief"):
        at = open_reset(session, step, store)
        bodies = [e.value for e in at.markdown] + [e.value for e in at.caption]
        shown = [b for b in bodies if "evil" in b]
        assert shown, step  # the brief is on the page
        for body in shown:
            assert fetches_nothing(body), (step, body)
        for html in at.get("html"):
            assert "<img" not in str(html.proto) and "href" not in str(html.proto), step


@pytest.mark.parametrize("answer", [
    "![](http://evil.example/a.png)", "[x](http://evil.example)", "<img src=http://evil.example/b.png>",
    "see http://evil.example or www.evil.example or a@evil.example", "\\![](http://evil.example/c.png)",
])
def test_an_answer_shown_on_a_page_fetches_nothing(answer):
    from pages.context import plain
    from tests.workshop.test_text import fetches_nothing

    assert fetches_nothing(plain(answer))


def test_step_three_leads_to_the_check_once_the_analysis_is_ready(store):
    from pages.reset_steps.descriptions import CHECK_LINK

    session = make_session(store)  # closed, analysis stored and up to date
    at = open_reset(session, "descriptions", store)
    links = [e for e in at.get("page_link") if CHECK_LINK in str(e.proto)]
    assert links and "check" in str(links[0].proto)
