"""The facilitator runs the room's own reading: switched on, started, followed, closed; then the vote."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.reset_sample import make_session
from workshop import agenda, crossread, votes
from workshop.agenda import STEP_KEYS

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ADMIN_KEY = "test-admin-key"


@pytest.fixture(autouse=True)
def env(monkeypatch):
    monkeypatch.setenv("BRIEF_RESET_ADMIN_KEY", ADMIN_KEY)
    monkeypatch.setenv("BRIEF_RESET_BASE_URL", "http://10.1.2.3:8501")


def run(target) -> AppTest:
    at = target.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_app(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    run(at)
    if page:
        at.switch_page(page)
        run(at)
    return at


def facilitator(session) -> dict:
    return {"session": session.id, "key": session.facilitator_key}


def open_step(store, session, step: str) -> AppTest:
    a = agenda.load(store, session.id)
    agenda.go_to(a, STEP_KEYS.index(step))
    agenda.save(store, session.id, a)
    return open_app("pages/reset.py", **facilitator(session))


def sent(node) -> str:
    out = [str(node.proto)] if getattr(node, "proto", None) is not None else []
    for child in getattr(node, "children", {}).values():
        out.append(sent(child))
    return "\n".join(out)


@pytest.fixture
def answered(store, session):
    for name, function, text in (("Ana", "sales", "SECRETANA flat fee"), ("Ben", "sales", "SECRETBEN SOC 2"),
                                 ("Mia", "marketing", "SECRETMIA in house"), ("Noa", "marketing", "SECRETNOA ERP")):
        person = store.join(session.id, name, function)
        store.save_answer(person.token, "objections", text)
    return session


def test_the_new_session_form_switches_cross_reading_on(store):
    at = open_app(admin=ADMIN_KEY)
    at.text_input(key="create_title").input("Reads the other side")
    at.checkbox(key="create_crossread").check()
    at.button(key="FormSubmitter:create-Create session").click()
    run(at)
    [created] = store.list_sessions()
    assert crossread.phase(store, created.id).enabled


def test_the_lobby_switches_it_then_starts_and_follows_it_without_content(store, answered):
    at = open_app(**facilitator(answered))
    run(at.toggle(key="lobby-crossread-on").set_value(True))
    assert crossread.phase(store, answered.id).enabled
    store.set_collection_open(answered.id, False)
    at = open_app(**facilitator(answered))
    run(at.button(key="lobby-crossread-start").click())
    assert crossread.phase(store, answered.id).open
    view = crossread.reader_view(store, store.participants(answered.id)[0].token)
    crossread.mark(store, store.participants(answered.id)[0].token, view.prompts[3].statements[0].id, crossread.SAME)
    run(at)
    assert [m.value for m in at.metric][:2] == ["1 / 2", "0 / 2"]  # sales reading, marketing reading
    assert "SECRET" not in sent(at._tree)
    run(at.button(key="lobby-crossread-close").click())
    assert crossread.phase(store, answered.id).closed


def test_a_session_without_cross_reading_has_no_such_step(store, answered):
    at = open_step(store, answered, "descriptions")
    assert at.title[0].value == "3. Private descriptions"
    run(at.button(key="reset-next").click())
    assert at.title[0].value == "4. Reveal"
    crossread.set_enabled(store, answered.id, True)
    at = open_step(store, answered, "descriptions")
    run(at.button(key="reset-next").click())
    assert at.title[0].value == "4. Cross-reading"
    assert "Close it in the previous step first" in sent(at._tree)


def test_the_cross_reading_step_starts_and_closes_it_and_the_reveal_closes_it_too(store, answered):
    crossread.set_enabled(store, answered.id, True)
    store.set_collection_open(answered.id, False)
    at = open_step(store, answered, "crossread")
    run(at.button(key="step-crossread-start").click())
    assert crossread.phase(store, answered.id).open
    assert "SECRET" not in sent(at._tree)
    run(at.button(key="reset-next").click())  # on to the reveal: nobody reads after it
    assert at.title[0].value == "5. Reveal"
    assert crossread.phase(store, answered.id).closed


def test_the_votes_step_opens_and_closes_voting_and_shows_the_top_themes(store):
    session = make_session(store)
    at = open_step(store, session, "votes")
    assert "Show the reveal first" in sent(at._tree)
    session = store.update_session(session.id, revealed=True)
    at = open_step(store, session, "votes")
    run(at.button(key="votes-open").click())
    people = store.participants(session.id)
    for person in people[:2]:
        view = votes.voter_view(store, person.token)
        votes.cast(store, person.token, next(t.id for t in view.themes if t.label == "Price per seat"))
    run(at)
    page = sent(at._tree)
    assert "2 of 7 people have voted" in page and "Price per seat" not in page  # no results while open
    run(at.button(key="votes-close").click())
    assert "2 votes: Objections, “Price per seat” (both sides)" in sent(at._tree)


def test_the_deep_dive_puts_the_most_voted_theme_first_in_its_column(store):
    session = make_session(store)
    session = store.update_session(session.id, revealed=True)
    votes.open_voting(store, session)
    token = store.participants(session.id)[0].token
    votes.cast(store, token, next(t.id for t in votes.voter_view(store, token).themes
                                 if t.label == "Audit finding on manual reconciliation"))
    at = open_step(store, session, "deep_dive")
    page = sent(at._tree)
    assert page.index("Audit finding on manual reconciliation") < page.index("Procurement runs a formal tender")
    assert "1 vote" in page
