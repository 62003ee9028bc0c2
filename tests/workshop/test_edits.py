"""Two facilitator tabs saving the same thing (issue 15, item 2): nothing typed is lost."""

from __future__ import annotations

import pytest

from workshop import edits
from workshop.edits import merge_line, merge_text, save_edit
from workshop.store import StoreError

BASE = "- Month-end close is too slow\n- Outgrowing spreadsheets"


def test_state_versions_rise_with_every_write(store, session):
    assert store.get_state_versioned(session.id, "notes") == (None, 0)
    store.set_state(session.id, "notes", "a")
    assert store.get_state_versioned(session.id, "notes") == ("a", 1)
    assert store.set_state_if(session.id, "notes", "b", 1) == 2
    assert store.set_state_if(session.id, "notes", "stale", 1) is None  # another write came first
    assert store.get_state(session.id, "notes") == "b"
    assert store.state_versions(session.id) == {"notes": 2}


def test_two_additions_at_the_end_are_both_kept():
    a = BASE + "\n- Procurement runs a tender"
    b = BASE + "\n- A new CFO"
    merged = merge_text(BASE, b, a)
    assert merged.text == a + "\n- A new CFO"
    assert merged.merged and not merged.conflict


def test_changes_to_different_lines_merge_cleanly():
    theirs = "- Month-end close takes two weeks\n- Outgrowing spreadsheets"
    mine = "- Month-end close is too slow\n- Outgrowing Excel"
    merged = merge_text(BASE, mine, theirs)
    assert merged.text == "- Month-end close takes two weeks\n- Outgrowing Excel"
    assert not merged.conflict


def test_two_rewrites_of_one_line_keep_both_and_say_so():
    merged = merge_text(BASE, BASE.replace("too slow", "ten days"), BASE.replace("too slow", "two weeks"))
    assert "two weeks" in merged.text and "ten days" in merged.text
    assert merged.conflict


def test_nothing_to_merge_when_only_one_side_changed():
    assert merge_text(BASE, BASE + "\n- x", BASE) == edits.Merged(BASE + "\n- x")
    assert merge_text(BASE, BASE, BASE + "\n- x").text == BASE + "\n- x"


def test_a_stale_tab_saving_the_reset_brief_keeps_the_other_tabs_addition(store, session):
    read, write = edits.field_of("trigger")
    store.set_state(session.id, "reset_brief", {"trigger": BASE, "fears": "kept"})
    # Tab A and tab B both opened the brief showing BASE. A adds a line and saves.
    save_edit(store, session.id, "reset_brief", BASE, BASE + "\n- From tab A", read, write)
    # B never saw A's line; it adds its own.
    result = save_edit(store, session.id, "reset_brief", BASE, BASE + "\n- From tab B", read, write)
    stored = store.get_state(session.id, "reset_brief")
    assert stored["trigger"] == BASE + "\n- From tab A\n- From tab B"
    assert stored["fears"] == "kept"
    assert result.merged and result.text == stored["trigger"]


def test_a_value_never_stored_is_written_as_typed(store, session):
    read, write = edits.field_of("trigger")
    result = save_edit(store, session.id, "reset_brief", "the draft", "the draft, edited", read, write)
    assert result == edits.Merged("the draft, edited")
    assert store.get_state(session.id, "reset_brief") == {"trigger": "the draft, edited"}


def test_a_one_line_field_says_what_it_replaced():
    assert merge_line("", "mine", "theirs") == edits.Merged("mine", replaced="theirs")
    assert merge_line("same", "mine", "same") == edits.Merged("mine")


def test_a_write_between_read_and_write_is_not_lost(store, session, monkeypatch):
    store.set_state(session.id, "reality_notes", "first")
    real = store.get_state_versioned
    calls = []

    def racing(session_id, key, default=None):
        value = real(session_id, key, default)
        if not calls:  # another tab writes right after this tab read
            calls.append(1)
            store.set_state(session_id, key, "first\nfrom the other tab")
        return value

    monkeypatch.setattr(store, "get_state_versioned", racing)
    save_edit(store, session.id, "reality_notes", "first", "first\nmine")
    assert store.get_state(session.id, "reality_notes") == "first\nfrom the other tab\nmine"


def test_update_state_retries_until_it_wins(store, session):
    store.set_state(session.id, "scorecard", [1])
    assert edits.update_state(store, session.id, "scorecard", lambda v: v + [2]) == [1, 2]
    # Another tab writes every time this one is about to: it gives up with a message, stores nothing wrong.
    with pytest.raises(StoreError, match="Try again"):
        edits.update_state(store, session.id, "scorecard", lambda v: store.set_state(session.id, "scorecard", v) or v + [3])
    assert store.get_state(session.id, "scorecard") == [1, 2]
