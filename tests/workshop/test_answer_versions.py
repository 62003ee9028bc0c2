"""Answers carry a version, so one tab's save never silently overwrites another's
newer text (issue 18, item 1), and pages can ask cheaply whether collection is open."""

from __future__ import annotations

import sqlite3

import pytest

from workshop.store import AnswerConflict, Store


def test_every_changed_save_gets_a_later_version(store, session):
    me = store.join(session.id, "Priya", "sales")
    first = store.save_answer(me.token, "fears", "Losing data")
    second = store.save_answer(me.token, "fears", "Losing data in the migration")
    same = store.save_answer(me.token, "fears", "Losing data in the migration")
    assert 0 < first.version < second.version == same.version
    assert store.own_answer_versions(me.token) == {"fears": ("Losing data in the migration", second.version)}


def test_a_save_from_an_older_version_is_refused_with_the_stored_text(store, session):
    me = store.join(session.id, "Priya", "sales")
    seen = store.save_answer(me.token, "trigger", "Tab one: audit finding").version
    newer = store.save_answer(me.token, "trigger", "Tab one: audit finding, new CFO", base_version=seen)
    # Tab two still holds the first version and saves over it.
    with pytest.raises(AnswerConflict) as refused:
        store.save_answer(me.token, "trigger", "Tab two: new CFO", base_version=seen)
    assert refused.value.stored_text == "Tab one: audit finding, new CFO"
    assert refused.value.stored_version == newer.version
    assert store.own_answers(me.token) == {"trigger": "Tab one: audit finding, new CFO"}
    # Choosing "mine" after seeing both: a save from the version now stored.
    store.save_answer(me.token, "trigger", "Tab two: new CFO", base_version=newer.version)
    assert store.own_answers(me.token) == {"trigger": "Tab two: new CFO"}


def test_an_answer_written_elsewhere_while_this_tab_had_none_is_not_overwritten(store, session):
    me = store.join(session.id, "Priya", "sales")
    store.save_answer(me.token, "compare", "Spreadsheets")
    with pytest.raises(AnswerConflict):
        store.save_answer(me.token, "compare", "The ERP module", base_version=0)
    with pytest.raises(AnswerConflict):  # emptying it from a stale tab is a change too
        store.save_answer(me.token, "compare", "", base_version=0)
    assert store.own_answers(me.token) == {"compare": "Spreadsheets"}


def test_a_deleted_and_rewritten_answer_never_gets_an_old_version_back(store, session):
    me = store.join(session.id, "Priya", "sales")
    old = store.save_answer(me.token, "fears", "x").version
    store.save_answer(me.token, "fears", "")
    rewritten = store.save_answer(me.token, "fears", "y").version
    assert rewritten > old
    with pytest.raises(AnswerConflict):
        store.save_answer(me.token, "fears", "stale", base_version=old)


def test_a_database_without_answer_versions_gets_the_column(tmp_path):
    path = tmp_path / "old.db"
    Store(path)
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE answers DROP COLUMN version")
    store = Store(path)
    session = store.create_session("Old file")
    me = store.join(session.id, "Priya", "sales")
    assert store.save_answer(me.token, "fears", "still works").version > 0


def test_collection_state_is_one_cheap_flag(store, session):
    assert store.collection_is_open(session.id) is True
    store.set_collection_open(session.id, False)
    assert store.collection_is_open(session.id) is False
    assert store.collection_is_open("no-such-session") is None
