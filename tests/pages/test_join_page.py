"""Joining (pages/join.py): the code, a name and a function lead to the personal page."""

from __future__ import annotations

import pytest

from pages.context import plain
from tests.pages.conftest import open_app, rerun, values
from workshop import links

# A fixed admin key and base URL, as on a configured server.
pytestmark = pytest.mark.usefixtures("admin_key")


def test_join_with_a_sloppily_typed_code_leads_to_the_personal_link(store, session):
    code = session.join_code
    at = open_app(code=f" {code[:3].lower()}-{code[3:]} ")
    assert at.subheader[0].value == plain(session.title)
    at.text_input[1].input("  Dana   Kim ")
    at.radio[0].set_value("marketing")
    at.button[0].click()
    rerun(at)
    [dana] = store.participants(session.id)
    assert (dana.name, dana.function) == ("Dana Kim", "marketing")
    assert at.query_params == {"p": dana.token}

    # What the browser shows next: the personal page for that token.
    page = open_app(p=dana.token)
    assert len(page.text_area) == len(session.prompts)
    assert links.personal_url(dana.token, "http://10.1.2.3:8501") in values(page.code)


def test_join_needs_a_function(store, session):
    at = open_app(code=session.join_code)
    at.text_input[1].input("Dana")
    at.button[0].click()
    rerun(at)
    assert "function" in at.error[0].value
    assert store.participants(session.id) == []


def test_unknown_code_gets_a_plain_message(store, session):
    at = open_app(code="ZZZZZZ")
    assert "No session has the code ZZZZZZ" in at.error[0].value
    assert not at.radio


def test_closed_session_cannot_be_joined(store, session):
    store.set_collection_open(session.id, False)
    at = open_app(code=session.join_code)
    assert "closed collection" in at.warning[0].value
    assert not at.radio
