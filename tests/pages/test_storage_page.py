"""A database that cannot be written shows one plain message, never Streamlit's error page.

Page code is caught in app.py (tested here); widget callbacks need the real
server's hook (tests/e2e/test_storage_failure.py).
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.workshop.test_storage_failures import read_only
from workshop.store import STORAGE_MESSAGE, StorageUnavailable, Store

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_the_facilitator_home_on_a_read_only_database_says_so_plainly(db_path, monkeypatch):
    monkeypatch.setenv("BRIEF_RESET_ADMIN_KEY", "admin-key")
    Store(db_path).create_session("Already here")
    read_only(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["admin"] = "admin-key"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # Reading still works: the list shows; creating a session says why it cannot.
    at.text_input(key="create_title").input("New one")
    form_submit = [b for b in at.button if b.proto.label == "Create session"][0]
    form_submit.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert STORAGE_MESSAGE in [e.value for e in at.error]


def test_a_page_whose_own_code_hits_a_full_disk_shows_the_message(db_path, monkeypatch):
    store = Store(db_path)
    session = store.create_session("Full disk")
    def full(self):
        raise StorageUnavailable(STORAGE_MESSAGE)

    monkeypatch.setattr(Store, "admin_key", full)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["admin"] = "anything"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [STORAGE_MESSAGE]
    assert session  # nothing else was touched
