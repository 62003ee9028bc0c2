"""A participant's page during the room's own reading: cross-reading the other side, then voting."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.reset_sample import make_session
from workshop import crossread, votes

APP = str(Path(__file__).resolve().parents[2] / "app.py")

ANSWERS = {
    ("Ana", "sales"): {"objections": "ANASALES procurement wants a flat fee", "trigger": "ANASALES audit finding"},
    ("Ben", "sales"): {"objections": "BENSALES security review takes months"},
    ("Mia", "marketing"): {"objections": "MIAMKT they build it in-house", "trigger": "MIAMKT slow month end"},
    ("Noa", "marketing"): {"objections": "NOAMKT integration worries"},
}


@pytest.fixture(autouse=True)
def base_url(monkeypatch):
    monkeypatch.setenv("BRIEF_RESET_BASE_URL", "http://10.1.2.3:8501")


def open_page(token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["p"] = token
    return run(at)


def run(target) -> AppTest:
    at = target.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sent(node) -> str:
    """Everything the server sent for the page, as one text."""
    out = [str(node.proto)] if getattr(node, "proto", None) is not None else []
    for child in getattr(node, "children", {}).values():
        out.append(sent(child))
    return "\n".join(out)


@pytest.fixture
def room(store, session):
    people = {}
    for (name, function), answers in ANSWERS.items():
        person = store.join(session.id, name, function)
        for key, text in answers.items():
            store.save_answer(person.token, key, text)
        people[name] = person
    store.set_collection_open(session.id, False)
    crossread.set_enabled(store, session.id, True)
    return people


def test_before_the_start_the_page_says_what_comes_and_shows_nobody_elses_words(store, session, room):
    at = open_page(room["Ana"].token)
    page = sent(at._tree)
    assert "Next:" in page and "ANASALES" in page
    assert not any(marker in page for marker in ("BENSALES", "MIAMKT", "NOAMKT", "Mia", "Noa", "Ben"))


def test_cross_reading_shows_the_other_side_prompt_by_prompt_and_stores_marks(store, session, room):
    crossread.start(store, session)
    at = open_page(room["Ana"].token)
    page = sent(at._tree)
    assert "Read the other side" in page
    assert "MIAMKT slow month end" in page  # the first prompt with statements: trigger
    assert "BENSALES" not in page  # never the reader's own side
    assert not any(name in page for name in ("Mia", "Noa", "Ben"))  # and never a name
    mark = next(w for w in at.get("button_group") if w.key.startswith("mark-"))
    run(mark.set_value(crossread.SAME))
    assert [(m.text, m.mark) for m in crossread.marks(store, session.id)] == [("miamkt slow month end", "same")]
    run(at.button(key="read-next").click())
    page = sent(at._tree)
    assert "MIAMKT they build it" in page and "NOAMKT integration worries" in page
    assert "BENSALES" not in page and "ANASALES procurement" not in page.split("Your answers (final)")[0]
    # A refresh comes back with the marks made.
    again = open_page(room["Ana"].token)
    marked = [w for w in again.get("button_group") if w.key.startswith("mark-")]
    assert [w.value for w in marked] == [crossread.SAME]


def test_once_cross_reading_closes_the_statements_go(store, session, room):
    crossread.start(store, session)
    crossread.close(store, session.id)
    page = sent(open_page(room["Ana"].token)._tree)
    assert "MIAMKT" not in page and "Read the other side" not in page


@pytest.fixture
def voting_room(store):
    session = make_session(store)
    session = store.update_session(session.id, revealed=True)
    votes.open_voting(store, session)
    return session, {p.name: p for p in store.participants(session.id)}


def test_voting_on_the_phone_three_votes_then_the_rest_wait(store, voting_room):
    session, people = voting_room
    at = open_page(people["Ana"].token)
    page = sent(at._tree)
    assert "Vote for what matters most" in page and "Votes left: 3 of 3" in page
    assert "Price per seat" in page
    assert not any(name in page for name in ("Ben", "Chen", "Eva", "Femi", "Gus"))
    boxes = [b for b in at.checkbox if b.key.startswith("vote-")]
    for box in boxes[:3]:
        run(box.check())
    assert votes.tally(store, session.id).votes == 3
    page = sent(at._tree)
    assert "Votes left: 0 of 3" in page
    rest = [b for b in at.checkbox if b.key.startswith("vote-") and not b.value]
    assert rest and all(b.disabled for b in rest)
    run(next(b for b in at.checkbox if b.key.startswith("vote-") and b.value).uncheck())
    assert votes.tally(store, session.id).votes == 2


def test_after_voting_closes_the_page_lists_the_votes_and_takes_no_more(store, voting_room):
    session, people = voting_room
    at = open_page(people["Ben"].token)
    run(next(b for b in at.checkbox if b.key.startswith("vote-")).check())
    votes.close_voting(store, session.id)
    page = sent(open_page(people["Ben"].token)._tree)
    assert "Voting is closed" in page and "You voted for" in page
    assert votes.tally(store, session.id).votes == 1
