"""The lobby (pages/lobby.py): counts without content, the join link, closing collection."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from pages.context import plain
from tests.pages.conftest import APP, facilitator, open_app, page_sends, rerun, values
from workshop import links
from workshop.store import CollectionClosed

# A fixed admin key and base URL, as on a configured server.
pytestmark = pytest.mark.usefixtures("admin_key")


def test_wrong_facilitator_key_is_refused(store, session):
    at = open_app(session=session.id, key="guess")
    assert "not valid" in at.error[0].value
    assert not page_sends(at, session.join_code)
    assert not at.button


def test_lobby_counts_names_and_completeness_but_no_content(store, session):
    jonas = store.join(session.id, "Jonas", "sales")
    store.join(session.id, "Tom <script>alert(1)</script> **x**", "sales")
    lena = store.join(session.id, "Lena", "marketing")
    store.save_answer(jonas.token, "trigger", "SECRET-JONAS auditor")
    store.save_answer(lena.token, "trigger", "SECRET-LENA growth")
    store.save_answer(lena.token, "fears", "SECRET-LENA fear")
    store.mark_submitted(jonas.token)

    at = open_app(**facilitator(session))
    assert values(at.metric) == ["1 / 2", "0 / 1"]
    assert any(m.endswith("3 joined") for m in values(at.subheader))
    bars = [p.proto.text for p in at.get("progress")]
    assert any(b.startswith("Trigger: 2 of 3") for b in bars)
    assert any(b.startswith("Fears: 1 of 3") for b in bars)
    assert any(b.startswith("Evidence: 0 of 3") for b in bars)
    names = " ".join(values(at.markdown))
    assert "Jonas ✓" in names and "Lena" in names and "Lena ✓" not in names
    assert not page_sends(at, "SECRET-")
    # A name is text, never markup.
    assert "\\<script\\>" in names and "<script>" not in names
    assert "\\*\\*x\\*\\*" in names
    # Join code, join link, QR code; the secret link only on this page.
    assert page_sends(at, session.join_code)
    assert len(at.image) == 1
    assert links.facilitator_url(session.id, session.facilitator_key, "http://10.1.2.3:8501") in values(at.code)


def test_closing_collection_makes_answers_final(store, session):
    me = store.join(session.id, "Priya", "sales")
    store.save_answer(me.token, "trigger", "New CFO")
    lobby = open_app(**facilitator(session))
    lobby.button(key="lobby_close").click()
    rerun(lobby)
    assert not store.get_session(session.id).collection_open
    assert "closed" in lobby.success[0].value

    page = open_app(p=me.token)
    assert all(t.disabled for t in page.text_area)
    assert page.text_area(key="answer_trigger").value == "New CFO"
    assert "read-only" in page.warning[0].value
    assert not page.button
    with pytest.raises(CollectionClosed):
        store.save_answer(me.token, "trigger", "changed")

    lobby.button(key="lobby_reopen").click()
    rerun(lobby)
    assert store.get_session(session.id).collection_open


def test_links_follow_the_browsers_address_when_no_base_url_is_set(store, session, monkeypatch):
    monkeypatch.delenv("BRIEF_RESET_BASE_URL")
    at = AppTest.from_file(APP, default_timeout=60)
    at.context["url"] = "http://192.168.7.9:8501/lobby"
    at.query_params.update(facilitator(session))
    rerun(at)
    assert any(m == plain(f"http://192.168.7.9:8501/?code={session.join_code}") for m in values(at.markdown))
    assert not any("localhost" in c for c in values(at.caption))


def test_a_localhost_link_comes_with_a_hint(store, session, monkeypatch):
    from workshop import links

    monkeypatch.delenv("BRIEF_RESET_BASE_URL")
    monkeypatch.setattr(links, "lan_address", lambda probe=None: None)  # a laptop on no network
    at = open_app(**facilitator(session))
    assert plain(f"http://localhost:8501/?code={session.join_code}") in values(at.markdown)
    assert any(plain("Phones cannot open localhost") in c for c in values(at.caption))


def test_without_a_setting_the_lobby_links_to_the_network_address(store, session, monkeypatch):
    # Issue 15 item 6: the facilitator opened http://localhost:8501; phones need the LAN address.
    from workshop import links

    monkeypatch.delenv("BRIEF_RESET_BASE_URL")
    monkeypatch.setattr(links, "lan_address", lambda probe=None: "192.168.1.20")
    at = AppTest.from_file(APP, default_timeout=60)
    at.context["url"] = "http://localhost:8501/lobby"
    at.query_params.update(facilitator(session))
    rerun(at)
    assert plain(f"http://192.168.1.20:8501/?code={session.join_code}") in values(at.markdown)
    assert any(plain("Phones must reach this computer at 192.168.1.20") in c for c in values(at.caption))


def test_the_lobby_can_be_imported_by_the_reset_agenda_without_running_the_page(db_path):
    import importlib

    module = importlib.import_module("pages.lobby")
    assert callable(module.lobby) and callable(module.main)
    assert not db_path.exists()  # importing did not open the store
