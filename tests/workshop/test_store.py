"""The store: sessions, private answers, the lobby's counts, the reset's records.

Bad input gets a message meant for a person (StoreError) and loses nothing
that was already saved.
"""

from __future__ import annotations

import pytest

from workshop.models import MAX_ANSWER_CHARS, MAX_BRIEF_CHARS, Prompt
from workshop.store import CollectionClosed, Store, StoreError

# -- sessions -----------------------------------------------------------------


def test_a_new_session_has_defaults_a_code_and_a_key(store, session):
    assert session.functions == ["sales", "marketing"]
    assert session.dimension_keys == ["trigger", "compare", "fears", "objections", "evidence"]
    assert session.collection_open and not session.revealed
    assert len(session.join_code) == 6 and len(session.facilitator_key) >= 22
    assert store.get_session(session.id) == session


def test_sessions_get_different_codes_and_keys(store):
    sessions = [store.create_session(f"S{i}") for i in range(20)]
    assert len({s.join_code for s in sessions}) == 20
    assert len({s.facilitator_key for s in sessions}) == 20


def test_extra_functions_and_edited_prompts(store):
    session = store.create_session(
        "CS too", functions=["Sales", "marketing", "Customer  Success"],
        prompts=[Prompt("trigger", "What happened?"), Prompt("renewal", "Why renew?")],
    )
    assert session.functions == ["sales", "marketing", "customer success"]
    assert session.prompt("renewal").text == "Why renew?"


@pytest.mark.parametrize("kwargs,problem", [
    ({"title": "  "}, "title"),
    ({"title": "x", "functions": ["sales"]}, "Sales and marketing"),
    ({"title": "x", "prompts": []}, "at least one prompt"),
    ({"title": "x", "prompts": [Prompt("a", "1"), Prompt("a", "2")]}, "same key"),
])
def test_session_refusals(store, kwargs, problem):
    with pytest.raises(StoreError, match=problem):
        store.create_session(**kwargs)


def test_an_empty_brief_is_fine(store):
    assert store.create_session("No brief yet", brief="").brief == ""


def test_a_100_kb_brief_is_refused_with_the_limit(store, session):
    brief = "The buyer is a CFO. " * 5000  # 100,000 characters
    with pytest.raises(StoreError) as caught:
        store.create_session("Long brief", brief=brief)
    assert "100,000" in str(caught.value) and f"{MAX_BRIEF_CHARS:,}" in str(caught.value)
    with pytest.raises(StoreError, match=f"{MAX_BRIEF_CHARS:,}"):
        store.update_session(session.id, brief=brief)
    assert store.get_session(session.id).brief == ""  # nothing half-changed


def test_brief_text_is_kept_verbatim_apart_from_outer_whitespace(store):
    brief = "# Primary buyer\n\n<b>CFO</b> of a *mid-market* firm — ≤500 staff 🚀\n"
    assert store.create_session("B", brief=brief).brief == brief.strip()


def test_join_code_typed_in_any_case_with_spaces_or_dashes(store, session):
    code = session.join_code
    for typed in (code, code.lower(), f"  {code[:3]} {code[3:]} ", f"{code[:3]}-{code[3:]}"):
        assert store.get_session_by_code(typed).id == session.id


@pytest.mark.parametrize("typed", ["", "   ", "NOPE42", "ABCDEFG"])
def test_unknown_or_mistyped_code_finds_nothing(store, session, typed):
    assert store.get_session_by_code(typed) is None


def test_a_one_character_typo_finds_nothing(store, session):
    code = session.join_code
    other = "A" if code[0] != "A" else "C"
    assert store.get_session_by_code(other + code[1:]) is None


def test_facilitator_session_needs_the_right_key(store, session):
    assert store.facilitator_session(session.id, session.facilitator_key) == session
    for key in ("", "wrong", session.facilitator_key[:-1], None):
        assert store.facilitator_session(session.id, key) is None
    assert store.facilitator_session("", session.facilitator_key) is None
    other = store.create_session("Other")
    assert store.facilitator_session(other.id, session.facilitator_key) is None


def test_admin_key_is_made_once_and_can_be_fixed(store, monkeypatch):
    monkeypatch.delenv("BRIEF_RESET_ADMIN_KEY", raising=False)
    key = store.admin_key()
    assert len(key) >= 16 and store.admin_key() == key
    assert Store(store.path).admin_key() == key
    monkeypatch.setenv("BRIEF_RESET_ADMIN_KEY", "fixed-key")
    assert store.admin_key() == "fixed-key"


def test_list_update_and_delete_sessions(store, session):
    second = store.create_session("Second")
    assert {s.id for s in store.list_sessions()} == {session.id, second.id}
    assert store.update_session(session.id, title=" Renamed ", revealed=True).title == "Renamed"
    with pytest.raises(StoreError):
        store.update_session(session.id, join_code="AAAAAA")
    p = store.join(session.id, "Ana", "sales")
    store.save_answer(p.token, "trigger", "x")
    store.save_decision(session.id, "trigger", "theme", "adopt")
    store.add_action(session.id, "call")
    store.set_state(session.id, "step", 2)
    store.delete_session(session.id)
    assert [s.id for s in store.list_sessions()] == [second.id]
    assert store.participant_by_token(p.token) is None
    assert store.answers(session.id) == [] and store.decisions(session.id) == []
    assert store.actions(session.id) == [] and store.all_state(session.id) == {}
    with pytest.raises(StoreError, match="not valid"):
        store.save_answer(p.token, "trigger", "late")


def test_writes_to_a_deleted_session_get_a_message(store, session):
    store.delete_session(session.id)
    for write in (
        lambda: store.save_decision(session.id, "trigger", "t", "adopt"),
        lambda: store.add_action(session.id, "call"),
        lambda: store.set_state(session.id, "step", 1),
        lambda: store.join(session.id, "Ana", "sales"),
        lambda: store.update_session(session.id, title="x"),
    ):
        with pytest.raises(StoreError, match="no longer exists"):
            write()


# -- participants and answers -------------------------------------------------


def test_join_and_answer_privately(store, session):
    ana = store.join(session.id, "  Ana   Ruiz ", "sales")
    bo = store.join(session.id, "Bo", "marketing")
    assert ana.name == "Ana Ruiz" and ana.token != bo.token
    store.save_answer(ana.token, "trigger", "Audit finding\r\nNew CFO")
    store.save_answer(bo.token, "trigger", "Growth")
    assert store.own_answers(ana.token) == {"trigger": "Audit finding\nNew CFO"}
    assert store.own_answers(bo.token) == {"trigger": "Growth"}
    assert store.own_answers("not-a-token") == {}
    assert [(a.participant, a.text) for a in store.answers(session.id)] == [
        ("Ana Ruiz", "Audit finding\nNew CFO"), ("Bo", "Growth")]


def test_saving_again_replaces_instead_of_duplicating(store, session):
    p = store.join(session.id, "Ana", "sales")
    for text in ("first", "second", "third"):
        store.save_answer(p.token, "fears", text)
    assert [a.text for a in store.answers(session.id)] == ["third"]


@pytest.mark.parametrize("blank", ["", "   ", "\n\t \r\n", None, "\u200b\u200d\ufeff"])
def test_an_empty_or_whitespace_answer_removes_it(store, session, blank):
    p = store.join(session.id, "Ana", "sales")
    store.save_answer(p.token, "fears", "a failed rollout")
    assert store.save_answer(p.token, "fears", blank) is None
    assert store.own_answers(p.token) == {}
    assert store.progress(session.id).answered["fears"] == 0


def test_a_50000_character_answer_is_refused_and_the_saved_one_kept(store, session):
    p = store.join(session.id, "Ana", "sales")
    store.save_answer(p.token, "fears", "a failed rollout")
    with pytest.raises(StoreError) as caught:
        store.save_answer(p.token, "fears", "x" * 50_000)
    assert "50,000" in str(caught.value) and f"{MAX_ANSWER_CHARS:,}" in str(caught.value)
    assert store.own_answers(p.token) == {"fears": "a failed rollout"}


def test_an_answer_at_the_limit_is_stored(store, session):
    p = store.join(session.id, "Ana", "sales")
    store.save_answer(p.token, "fears", "y" * MAX_ANSWER_CHARS)
    assert len(store.own_answers(p.token)["fears"]) == MAX_ANSWER_CHARS


VERBATIM = [
    "<script>alert('x')</script>",
    "<b>bold</b> & <i>tags</i> <img src=x onerror=alert(1)>",
    "**not bold** _nor this_ # not a heading\n- [link](javascript:alert(1))",
    "Emoji 🚀👍🏽 and accents: café, naïve, Zürich",
    "עברית: הלקוח מפחד מהטמעה כושלת",
    "العربية: العميل يخشى فشل التنفيذ",
    "中文：客户担心上线失败；日本語：導入の失敗が怖い",
    "quotes \" ' ` and commas, ; semicolons",
    "'; DROP TABLE answers; --",
]


@pytest.mark.parametrize("text", VERBATIM)
def test_any_text_is_stored_verbatim(store, session, text):
    p = store.join(session.id, text[:40], "sales")
    store.save_answer(p.token, "objections", text)
    assert store.own_answers(p.token) == {"objections": text}
    assert store.participant_by_token(p.token).name == " ".join(text[:40].split())
    assert [a.text for a in store.answers(session.id)] == [text]


def test_two_participants_with_the_same_name_in_one_function_are_distinct(store, session):
    first = store.join(session.id, "Alex", "sales")
    second = store.join(session.id, "Alex", "sales")
    assert first.id != second.id and first.token != second.token
    store.save_answer(first.token, "trigger", "from the first Alex")
    store.save_answer(second.token, "trigger", "from the second Alex")
    assert store.own_answers(first.token) == {"trigger": "from the first Alex"}
    assert store.own_answers(second.token) == {"trigger": "from the second Alex"}
    assert store.progress(session.id).joined["sales"] == 2
    assert len(store.answers(session.id)) == 2


@pytest.mark.parametrize("name,function,problem", [
    ("", "sales", "display name"),
    ("   ", "sales", "display name"),
    ("\u200b\u200d\u2060", "sales", "display name"),  # only invisible characters
    ("x" * 61, "sales", "under 60"),
    ("Ana", "finance", "does not invite"),
])
def test_join_refusals(store, session, name, function, problem):
    with pytest.raises(StoreError, match=problem):
        store.join(session.id, name, function)
    assert store.participants(session.id) == []


def test_control_characters_are_dropped_from_names_but_emoji_sequences_kept(store, session):
    assert store.join(session.id, "\x07Ana\x00 Ruiz\x1b", "sales").name == "Ana Ruiz"
    family = "Team 👨\u200d👩\u200d👧 ليلى"
    assert store.join(session.id, family, "sales").name == family


def test_function_is_matched_regardless_of_case(store, session):
    assert store.join(session.id, "Ana", " Sales ").function == "sales"


def test_unknown_prompt_or_token_is_refused(store, session):
    p = store.join(session.id, "Ana", "sales")
    with pytest.raises(StoreError, match="no prompt 'budget'"):
        store.save_answer(p.token, "budget", "x")
    for token in ("", "guess", p.token + "x"):
        with pytest.raises(StoreError, match="personal link is not valid"):
            store.save_answer(token, "trigger", "x")
    assert store.answers(session.id) == []


def test_a_personal_link_only_writes_its_own_answers(store, session):
    ana = store.join(session.id, "Ana", "sales")
    bo = store.join(session.id, "Bo", "marketing")
    store.save_answer(bo.token, "trigger", "Bo's answer")
    store.save_answer(ana.token, "trigger", "Ana's answer")
    assert store.own_answers(bo.token) == {"trigger": "Bo's answer"}


# -- closing collection ---------------------------------------------------------


def test_a_closed_session_refuses_join_save_and_submit_with_a_message(store, session):
    p = store.join(session.id, "Ana", "sales")
    store.save_answer(p.token, "trigger", "kept")
    store.set_collection_open(session.id, False)
    with pytest.raises(CollectionClosed, match="closed collection"):
        store.join(session.id, "Late", "sales")
    with pytest.raises(CollectionClosed, match="closed collection; your answers are final"):
        store.save_answer(p.token, "trigger", "changed after closing")
    with pytest.raises(CollectionClosed, match="closed collection"):
        store.save_answer(p.token, "trigger", "")  # clearing is a change too
    with pytest.raises(CollectionClosed):
        store.mark_submitted(p.token)
    assert store.own_answers(p.token) == {"trigger": "kept"}
    assert len(store.participants(session.id)) == 1
    store.set_collection_open(session.id, True)
    store.save_answer(p.token, "trigger", "changed after reopening")
    assert store.own_answers(p.token) == {"trigger": "changed after reopening"}


def test_imports_and_restores_write_whatever_the_state(store, session):
    store.set_collection_open(session.id, False)
    p = store.add_participant(session.id, "Imported", "marketing", submitted_at="2026-01-01")
    store.put_answer(p.id, "evidence", "case studies")
    assert [a.text for a in store.answers(session.id)] == ["case studies"]
    assert store.participant_by_token(p.token).submitted


# -- the lobby ----------------------------------------------------------------


def test_progress_counts_without_any_answer_text(store, session):
    ana = store.join(session.id, "Ana", "sales")
    bo = store.join(session.id, "Bo", "sales")
    store.join(session.id, "Cy", "marketing")
    store.save_answer(ana.token, "trigger", "SECRET-TEXT-1")
    store.save_answer(bo.token, "trigger", "SECRET-TEXT-2")
    store.save_answer(bo.token, "fears", "SECRET-TEXT-3")
    store.mark_submitted(bo.token)
    progress = store.progress(session.id)
    assert progress.joined == {"sales": 2, "marketing": 1} and progress.total_joined == 3
    assert progress.submitted == {"sales": 1, "marketing": 0}
    assert progress.answered == {"trigger": 2, "compare": 0, "fears": 1,
                                 "objections": 0, "evidence": 0}
    assert progress.names == {"sales": ["Ana", "Bo"], "marketing": ["Cy"]}
    assert "SECRET" not in repr(progress)
    store.mark_submitted(bo.token, False)
    assert store.progress(session.id).submitted["sales"] == 0


def test_progress_of_a_missing_session_is_empty(store):
    assert store.progress("nope").total_joined == 0


# -- decisions, actions, state ---------------------------------------------------


def test_decisions_are_one_per_theme_and_can_change(store, session):
    store.save_decision(session.id, "objections", "procurement wants a flat fee", "investigate")
    store.save_decision(session.id, "objections", "procurement wants a flat fee", "adopt",
                        note=" put it in the brief ", side="sales")
    store.save_decision(session.id, "trigger", "new CFO", "retire")
    decisions = store.decisions(session.id)
    assert [(d.dimension, d.choice, d.note) for d in decisions] == [
        ("objections", "adopt", "put it in the brief"), ("trigger", "retire", "")]
    with pytest.raises(StoreError, match="adopt, retire, investigate"):
        store.save_decision(session.id, "trigger", "new CFO", "maybe")
    store.delete_decision(session.id, "trigger", "new CFO")
    assert len(store.decisions(session.id)) == 1


def test_actions_keep_their_order_and_can_be_updated(store, session):
    first = store.add_action(session.id, " Rewrite the objections page ", owner="Mia", due="2026-12-01")
    second = store.add_action(session.id, "Ask two customers about procurement")
    assert first.what == "Rewrite the objections page"
    store.update_action(first.id, done=True, owner="Mia K.")
    assert [(a.what, a.owner, a.done) for a in store.actions(session.id)] == [
        ("Rewrite the objections page", "Mia K.", True),
        ("Ask two customers about procurement", "", False)]
    with pytest.raises(StoreError, match="what the action is"):
        store.add_action(session.id, "   ")
    with pytest.raises(StoreError):
        store.update_action(first.id, session_id="other")
    store.delete_action(second.id)
    with pytest.raises(StoreError, match="no longer exists"):
        store.update_action(second.id, done=True)
    assert [a.id for a in store.actions(session.id)] == [first.id]


def test_session_state_holds_json(store, session):
    assert store.get_state(session.id, "step", default=0) == 0
    store.set_state(session.id, "step", 3)
    store.set_state(session.id, "brief", {"draft": "CFO 🚀", "lines": [1, 2]})
    store.set_state(session.id, "step", 4)
    assert store.get_state(session.id, "step") == 4
    assert store.all_state(session.id) == {"brief": {"draft": "CFO 🚀", "lines": [1, 2]}, "step": 4}


def test_everything_survives_a_new_store_on_the_same_file(store, session):
    p = store.join(session.id, "Ana", "sales")
    store.save_answer(p.token, "trigger", "x")
    store.save_decision(session.id, "trigger", "t", "adopt")
    store.add_action(session.id, "call")
    again = Store(store.path)
    assert again.get_session(session.id) == session
    assert again.own_answers(p.token) == {"trigger": "x"}
    assert len(again.decisions(session.id)) == 1 and len(again.actions(session.id)) == 1


def test_the_database_is_in_wal_mode(store):
    import sqlite3

    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# -- what the store keeps: no control characters, no reordering, private file --

NASTY_TEXT = "a\x00b\x07c\x1b[31md\x7fe\u202ef\r\ng\th"
CLEANED = "abc[31mdef\ng\th"


def test_control_characters_and_overrides_are_dropped_from_every_text(store):
    session = store.create_session(
        "Title" + NASTY_TEXT, company="Co\x00", brief="Brief" + NASTY_TEXT, facilitator="F\x1b",
        functions=["sales", "marketing", "cs\x00"],
        prompts=[Prompt("trigger", "Why\x07?", "e.g.\x00 this")],
    )
    assert session.title == "Titleabc[31mdef g h"  # one line: white space as one space
    assert (session.company, session.facilitator) == ("Co", "F")
    assert session.brief == "Brief" + CLEANED
    assert session.functions == ["sales", "marketing", "cs"]
    assert session.prompts == [Prompt("trigger", "Why?", "e.g. this")]
    p = store.join(session.id, "Ana\u202eziuR", "sales")
    assert p.name == "AnaziuR"  # no right-to-left override reordering the lobby
    store.save_answer(p.token, "trigger", NASTY_TEXT)
    assert store.own_answers(p.token) == {"trigger": CLEANED}
    other = store.add_participant(session.id, "Bo\x00", "marketing")
    store.put_answer(other.id, "trigger", NASTY_TEXT)
    assert {a.text for a in store.answers(session.id)} == {CLEANED}
    store.save_decision(session.id, "trigger", "theme", "adopt", note="n\x00ote")
    assert store.decisions(session.id)[0].note == "note"
    action = store.add_action(session.id, "do\x00 it", owner="o\x1bwner")
    assert (action.what, action.owner) == ("do it", "owner")
    store.update_action(action.id, what="again\x07")
    assert store.actions(session.id)[0].what == "again"
    store.set_state(session.id, "notes", {"k\x00": ["v\x07", 1, None]})
    assert store.get_state(session.id, "notes") == {"k": ["v", 1, None]}
    updated = store.update_session(session.id, title="New\x00 title", brief="x\x00y")
    assert (updated.title, updated.brief) == ("New title", "xy")


def test_the_database_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "private.db"
    store = Store(path)
    store.create_session("Private")
    for file in tmp_path.iterdir():
        assert file.stat().st_mode & 0o077 == 0, file.name
    loose = tmp_path / "loose.db"
    loose.touch(mode=0o644)
    loose.chmod(0o644)
    Store(loose)
    assert loose.stat().st_mode & 0o777 == 0o600
