"""The whole app (app.py): every role's page renders, and the spine from create to close in one go."""

from __future__ import annotations

import pytest

from pages.context import plain
from tests.pages.conftest import ADMIN_KEY, facilitator, open_app, page_sends, rerun, values
from workshop.store import CollectionClosed

# A fixed admin key and base URL, as on a configured server.
pytestmark = pytest.mark.usefixtures("admin_key")


def test_create_join_answer_lobby_close(store):
    admin = open_app(admin=ADMIN_KEY)
    admin.text_input(key="create_title").input("Spine reset")
    admin.button(key="FormSubmitter:create-Create session").click()
    rerun(admin)
    [session] = store.list_sessions()

    joining = open_app(code=session.join_code.lower())
    joining.text_input[1].input("Ana")
    joining.radio[0].set_value("sales")
    joining.button[0].click()
    token = rerun(joining).query_params["p"]

    answering = open_app(p=token)
    answering.text_area(key="answer_objections").input("Price per seat\nSecurity review")
    rerun(answering)
    answering.button[0].click()
    rerun(answering)
    assert open_app(p=token).text_area(key="answer_objections").value == "Price per seat\nSecurity review"

    lobby = open_app(**facilitator(session))
    assert values(lobby.metric) == ["1 / 1", "0 / 0"]
    assert any(b.proto.text.startswith("Objections: 1 of 1") for b in lobby.get("progress"))
    assert not page_sends(lobby, "Security review")
    lobby.button(key="lobby_close").click()
    rerun(lobby)

    closed = open_app(p=token)
    assert all(t.disabled for t in closed.text_area)
    with pytest.raises(CollectionClosed):
        store.save_answer(token, "objections", "changed")
    assert store.own_answers(token) == {"objections": "Price per seat\nSecurity review"}


@pytest.mark.parametrize("role", ["join", "code", "participant", "admin", "facilitator"])
def test_every_page_renders(store, session, role):
    me = store.join(session.id, "Priya", "sales")
    params = {
        "join": {},
        "code": {"code": session.join_code},
        "participant": {"p": me.token},
        "admin": {"admin": ADMIN_KEY},
        "facilitator": facilitator(session),
    }[role]
    at = open_app(**params)
    assert at.title or at.header
    assert not at.error


def test_plain_escapes_markdown_and_html():
    assert plain("**x** <b>$5</b> [a](b)") == "\\*\\*x\\*\\* \\<b\\>\\$5\\</b\\> \\[a\\]\\(b\\)"
