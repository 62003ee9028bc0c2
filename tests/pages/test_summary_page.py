"""The summary step, driven through app.py as the facilitator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.summary import file_stem, restore_upload
from tests.workshop.summary_data import make_session
from workshop.backup import backup_bytes
from workshop.store import Store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 60


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "page.db"
    monkeypatch.setenv("BRIEF_RESET_DB", str(path))
    return path


def open_summary(session_id: str, key: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["session"] = session_id
    at.query_params["key"] = key
    at.run()
    at.switch_page("pages/summary.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def download_labels(at: AppTest) -> set[str]:
    return {b.proto.label for b in at.get("download_button")}


def test_summary_page_offers_every_download_and_a_restore(db):
    session = make_session(Store(db))
    at = open_summary(session.id, session.facilitator_key)
    assert at.title[0].value == "Summary"
    assert download_labels(at) == {
        "Markdown (wiki, email)", "HTML (phone, browser)", "PDF (attachment, print)",
        "Answers (CSV, import format)", "Actions (CSV)", "Whole session backup (JSON)",
    }
    assert at.checkbox(key="restore-replace").value is False
    assert at.button(key="restore-go").disabled  # nothing uploaded yet


def test_an_empty_session_still_has_a_summary(db):
    store = Store(db)
    session = store.create_session("Nothing yet")
    at = open_summary(session.id, session.facilitator_key)
    assert "Markdown (wiki, email)" in download_labels(at)


def test_a_wrong_key_shows_no_summary(db):
    session = make_session(Store(db))
    at = open_summary(session.id, "not-the-key")
    assert not download_labels(at)
    assert "not valid" in at.error[0].value


def test_restore_upload_refuses_then_replaces(db):
    store = Store(db)
    session = make_session(store)
    data = backup_bytes(store, session.id)
    store.add_action(session.id, "Added later")

    level, message, link = restore_upload(store, data, replace=False)
    assert level == "warning" and "already exists" in message and link == ""
    assert len(store.actions(session.id)) == 3

    level, message, link = restore_upload(store, data, replace=True)
    assert level == "success" and f"session={session.id}" in link and session.facilitator_key in link
    assert len(store.actions(session.id)) == 2


def test_restore_upload_refuses_damaged_and_foreign_files(db):
    store = Store(db)
    session = make_session(store)
    doc = json.loads(backup_bytes(store, session.id))
    doc["content"]["session"]["title"] = "edited"
    level, message, _ = restore_upload(store, json.dumps(doc).encode(), replace=True)
    assert level == "error" and "checksum" in message
    level, message, _ = restore_upload(store, b"what,owner\n", replace=True)
    assert level == "error" and "not valid JSON" in message
    assert store.get_session(session.id).title == "Q3 brief reset — Acmé"


def test_file_stem():
    assert file_stem("Q3 brief reset — Acmé") == "q3-brief-reset-acmé-summary"
    assert file_stem("../../etc/passwd") == "etc-passwd-summary"
    assert file_stem("***") == "session-summary"


def test_the_summary_page_restores_only_its_own_session_and_names_no_other(db):
    store = Store(db)
    mine = make_session(store)
    other = store.create_session("Board offsite — confidential")
    data = backup_bytes(store, other.id)
    level, message, link = restore_upload(store, data, replace=True, within=mine.id)
    assert level == "error" and "another session" in message and "facilitator home" in message
    assert "confidential" not in message and link == ""
    assert store.get_session(other.id).title == "Board offsite — confidential"


def test_replacing_from_the_summary_page_says_a_backup_was_kept(db):
    store = Store(db)
    session = make_session(store)
    data = backup_bytes(store, session.id)
    level, message, _ = restore_upload(store, data, replace=False, within=session.id)
    assert level == "warning" and "participants with" in message and "kept first" in message
    level, message, link = restore_upload(store, data, replace=True, within=session.id)
    assert level == "success" and "backed up first" in message and link
