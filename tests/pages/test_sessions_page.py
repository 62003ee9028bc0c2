"""The facilitator's home (pages/sessions.py): the admin key, creating, deleting and importing sessions."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import ADMIN_KEY, open_app, page_sends, rerun, values
from workshop import links

# A fixed admin key and base URL, as on a configured server.
pytestmark = pytest.mark.usefixtures("admin_key")


def test_wrong_admin_key_is_refused_and_lists_nothing(store, session):
    at = open_app(admin="guess")
    assert "not valid" in at.error[0].value
    assert not at.button and not at.text_input
    assert not page_sends(at, session.title)


def test_create_session_then_links_are_shown(store):
    at = open_app(admin=ADMIN_KEY)
    at.text_input(key="create_title").input("Q4 brief reset")
    at.text_input(key="create_company").input("Northwind Ledger")
    at.text_input(key="create_extra").input("Customer Success, ")
    at.text_area(key="create_brief").input("Mid-market CFOs who want to close faster.")
    at.text_area(key="prompt_fears").input("What keeps the buyer awake at night?")
    at.button(key="FormSubmitter:create-Create session").click()
    rerun(at)
    assert store.list_sessions() == []  # with a brief, first how it is read
    at.button(key="FormSubmitter:create-Create session").click()
    rerun(at)

    [created] = store.list_sessions()
    assert created.title == "Q4 brief reset"
    assert created.functions == ["sales", "marketing", "customer success"]
    assert created.brief == "Mid-market CFOs who want to close faster."
    assert created.prompt("fears").text == "What keeps the buyer awake at night?"
    assert created.prompt("trigger").text.startswith("What triggers the buying process?")
    shown = values(at.code)
    assert links.join_url(created.join_code, "http://10.1.2.3:8501") in shown
    assert links.facilitator_url(created.id, created.facilitator_key, "http://10.1.2.3:8501") in shown
    assert any(created.join_code in m for m in values(at.markdown))


def test_create_without_title_says_so_and_creates_nothing(store):
    at = open_app(admin=ADMIN_KEY)
    at.button(key="FormSubmitter:create-Create session").click()
    rerun(at)
    assert "title" in at.error[0].value
    assert store.list_sessions() == []


def test_delete_asks_for_confirmation_first(store, session):
    other = store.create_session("Keep me")
    at = open_app(admin=ADMIN_KEY)
    at.button(key=f"delete_{session.id}").click()
    rerun(at)
    assert store.get_session(session.id) is not None
    assert "cannot be undone" in at.warning[0].value
    at.button(key=f"delete_no_{session.id}").click()
    rerun(at)
    assert store.get_session(session.id) is not None

    at.button(key=f"delete_{session.id}").click()
    rerun(at)
    at.button(key=f"delete_yes_{session.id}").click()
    rerun(at)
    assert [s.id for s in store.list_sessions()] == [other.id]


GOOD_CSV = (
    "participant,function,dimension,answer\r\n"
    'Jonas,sales,trigger,"Auditor flagged reconciliations\r\nNew CFO"\r\n'
    "Jonas,sales,fears,A failed rollout at year end\r\n"
    "Lena,marketing,trigger,Growth plans\r\n"
).encode()


def import_csv(at: AppTest, data: bytes, title: str = "Imported reset", extra: str = "") -> AppTest:
    at.file_uploader(key="import_file").set_value(("answers.csv", data, "text/csv"))
    at.text_input(key="import_title").input(title)
    if extra:
        at.text_input(key="import_extra").input(extra)
    at.button(key="FormSubmitter:import-Create session from file").click()
    return rerun(at)


def test_csv_import_creates_a_closed_session_with_the_answers(store):
    at = import_csv(open_app(admin=ADMIN_KEY), GOOD_CSV)
    [created] = store.list_sessions()
    assert created.title == "Imported reset" and not created.collection_open
    people = {p.name: p for p in store.participants(created.id)}
    assert {n: p.function for n, p in people.items()} == {"Jonas": "sales", "Lena": "marketing"}
    assert all(p.submitted for p in people.values())
    texts = {(a.participant, a.dimension): a.text for a in store.answers(created.id)}
    assert texts[("Jonas", "trigger")] == "Auditor flagged reconciliations\nNew CFO"
    assert len(texts) == 3
    assert any("3 answers from 2 participants" in c for c in values(at.caption))
    assert links.join_url(created.join_code, "http://10.1.2.3:8501") in values(at.code)


@pytest.mark.parametrize(
    "data, message",
    [
        (GOOD_CSV.replace(b"Lena,marketing", b"Lena,finance"), "Line 5: unknown function 'finance'"),
        (GOOD_CSV.replace(b"fears", b"budget"), "Line 4: unknown dimension 'budget'"),
        (b"name;function;dimension;answer\n", "semicolons"),
        ("participant,function,dimension,answer\nJörg,sales,trigger,Ä\n".encode("latin-1"), "not UTF-8"),
        (b"", "empty"),
    ],
)
def test_csv_import_refuses_a_bad_file_whole(store, data, message):
    at = import_csv(open_app(admin=ADMIN_KEY), data)
    assert message in at.error[0].value
    assert "Nothing was imported" in at.error[0].value
    assert store.list_sessions() == []


def test_csv_import_accepts_an_extra_function_when_named(store):
    data = GOOD_CSV + b"Aiko,customer success,evidence,Reference calls\r\n"
    import_csv(open_app(admin=ADMIN_KEY), data, extra="customer success")
    [created] = store.list_sessions()
    assert created.functions == ["sales", "marketing", "customer success"]
    assert len(store.answers(created.id)) == 4
