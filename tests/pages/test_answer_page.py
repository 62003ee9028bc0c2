"""A participant's own page (pages/answer.py): answers saved as written, private, safe across tabs and a full disk."""

from __future__ import annotations

import pytest

from pages.context import plain
from tests.pages.conftest import open_app, page_sends, rerun, values

# A fixed admin key and base URL, as on a configured server.
pytestmark = pytest.mark.usefixtures("admin_key")


def test_answers_are_saved_as_written_and_survive_a_refresh(store, session):
    me = store.join(session.id, "Priya", "sales")
    at = open_app(p=me.token)
    at.text_area(key="answer_trigger").input("Acquisition of a second entity\nNew CFO")
    rerun(at)
    assert store.own_answers(me.token) == {"trigger": "Acquisition of a second entity\nNew CFO"}
    assert "✓ Saved · 2 points" in values(at.caption)

    again = open_app(p=me.token)
    assert again.text_area(key="answer_trigger").value == "Acquisition of a second entity\nNew CFO"
    assert again.text_area(key="answer_fears").value == ""

    again.text_area(key="answer_trigger").input("")
    rerun(again)
    assert store.own_answers(me.token) == {}


def test_the_limit_and_the_hint_are_shown(store, session):
    me = store.join(session.id, "Priya", "sales")
    at = open_app(p=me.token)
    assert any("up to 5,000 characters" in c for c in values(at.caption))
    assert any(plain("One objection per line, as the buyer puts it.") in c for c in values(at.caption))
    assert any("one point per line" in m for m in values(at.markdown))


def test_an_over_limit_paste_is_said_and_its_first_5000_characters_kept(store, session):
    # A box with max_chars drops a longer paste without a word; this one takes
    # it, keeps (and saves) the first 5,000 characters and shows the rest.
    me = store.join(session.id, "Priya", "sales")
    at = open_app(p=me.token)
    pasted = "A" * 4990 + "0123456789" + "the tail that did not fit"
    at.text_area(key="answer_fears").input(pasted)
    rerun(at)
    assert store.own_answers(me.token) == {"fears": pasted[:5000]}
    assert at.text_area(key="answer_fears").value == pasted[:5000]
    assert any("did not fit" in w for w in values(at.warning))
    assert "the tail that did not fit" in values(at.code)


def test_a_second_tab_never_overwrites_the_other_fields(store, session):
    me = store.join(session.id, "Priya", "sales")
    first, second = open_app(p=me.token), open_app(p=me.token)
    second.text_area(key="answer_fears").input("Losing historic data")
    rerun(second)
    # The first tab still holds an empty "fears" box when it saves "trigger".
    first.text_area(key="answer_trigger").input("New CFO")
    rerun(first)
    assert store.own_answers(me.token) == {"trigger": "New CFO", "fears": "Losing historic data"}
    assert first.text_area(key="answer_fears").value == "Losing historic data"


def test_two_tabs_editing_one_answer_are_asked_instead_of_mixed(store, session):
    me = store.join(session.id, "Priya", "sales")
    tab_a, tab_b = open_app(p=me.token), open_app(p=me.token)
    tab_a.text_area(key="answer_trigger").input("Tab one: audit finding")
    rerun(tab_a)
    # Tab B still shows the empty box it opened with and saves over it.
    tab_b.text_area(key="answer_trigger").input("Tab two: new CFO")
    rerun(tab_b)
    assert store.own_answers(me.token) == {"trigger": "Tab one: audit finding"}
    assert any("another tab" in w for w in values(tab_b.warning))
    assert "Tab one: audit finding" in values(tab_b.code)
    assert tab_b.text_area(key="answer_trigger").value == "Tab two: new CFO"  # both kept

    tab_b.button(key="mine_trigger").click()
    rerun(tab_b)
    assert store.own_answers(me.token) == {"trigger": "Tab two: new CFO"}
    assert "✓ Saved · 1 point" in values(tab_b.caption)

    # Tab A, now the older one, is asked in turn; it takes the other text.
    tab_a.text_area(key="answer_trigger").input("Tab one: audit finding, twice")
    rerun(tab_a)
    assert store.own_answers(me.token) == {"trigger": "Tab two: new CFO"}
    tab_a.button(key="theirs_trigger").click()
    rerun(tab_a)
    assert tab_a.text_area(key="answer_trigger").value == "Tab two: new CFO"
    assert not tab_a.warning


def test_when_the_server_cannot_save_the_text_stays_and_is_saved_later(store, session, monkeypatch):
    from pages.answer import CANNOT_SAVE
    from pages.context import StorageUnavailable
    from workshop.store import Store

    me = store.join(session.id, "Priya", "sales")
    at = open_app(p=me.token)
    real_save = Store.save_answer

    def disk_full(self, *args, **kwargs):
        raise StorageUnavailable("database or disk is full")

    monkeypatch.setattr(Store, "save_answer", disk_full)
    at.text_area(key="answer_evidence").input("A reference call with a company their size")
    rerun(at)
    assert not at.exception
    assert any(CANNOT_SAVE in w for w in values(at.warning))
    assert at.text_area(key="answer_evidence").value == "A reference call with a company their size"
    rerun(at)  # still failing: the text stays in the box
    assert at.text_area(key="answer_evidence").value == "A reference call with a company their size"

    monkeypatch.setattr(Store, "save_answer", real_save)
    rerun(at)  # the page's five-second check tries again
    assert store.own_answers(me.token) == {"evidence": "A reference call with a company their size"}
    assert not any(CANNOT_SAVE in w for w in values(at.warning))
    assert "✓ Saved · 1 point" in values(at.caption)


def test_submit_marks_the_participant_and_answers_stay_editable(store, session):
    me = store.join(session.id, "Priya", "sales")
    at = open_app(p=me.token)
    at.button[0].click()
    rerun(at)
    assert store.participant_by_token(me.token).submitted
    assert "still change" in at.success[0].value
    at.text_area(key="answer_compare").input("Spreadsheets")
    rerun(at)
    assert store.own_answers(me.token) == {"compare": "Spreadsheets"}


def test_an_unknown_personal_link_is_refused(store, session):
    at = open_app(p="not-a-token")
    assert "not valid" in at.error[0].value
    assert not at.text_area


def test_a_participant_page_never_carries_another_participants_text(store, session):
    other = store.join(session.id, "Lena", "marketing")
    store.save_answer(other.token, "fears", "SECRET-LENA-FEAR budget freeze")
    me = store.join(session.id, "Priya", "sales")
    store.save_answer(me.token, "fears", "mine")
    at = open_app(p=me.token)
    assert page_sends(at, "mine")  # the check can see answer text at all
    for _ in range(2):  # the first render, and a rerun after a save
        assert not page_sends(at, "SECRET-LENA-FEAR")
        assert not page_sends(at, other.token)
        assert not page_sends(at, session.facilitator_key)
        at.text_area(key="answer_trigger").input("New CFO")
        rerun(at)


def test_an_edit_refused_after_closing_keeps_the_text_on_screen(store, session):
    me = store.join(session.id, "Priya", "sales")
    at = open_app(p=me.token)
    store.set_collection_open(session.id, False)  # closed while Priya was typing
    at.text_area(key="answer_objections").input("Security review takes months")
    rerun(at)
    assert store.own_answers(me.token) == {}
    assert "closed collection" in at.error[0].value
    assert "Security review takes months" in values(at.code)
    rerun(at)  # the read-only page keeps showing it, in the box and to copy
    assert at.text_area(key="answer_objections").value == "Security review takes months"
    assert at.text_area(key="answer_objections").disabled
    assert "Security review takes months" in values(at.code)


def test_saving_one_box_does_not_reset_what_another_box_holds(store, session):
    # The rerun after one box's save must not put the stored text back into
    # another box: that box may hold text the participant is still typing.
    me = store.join(session.id, "Priya", "sales")
    at = open_app(p=me.token)
    at.session_state["answer_fears"] = "typed, not sent yet"
    at.text_area(key="answer_trigger").input("New CFO")
    rerun(at)
    assert store.own_answers(me.token) == {"trigger": "New CFO"}
    assert at.text_area(key="answer_fears").value == "typed, not sent yet"


def test_a_save_from_another_tab_reaches_an_untouched_box(store, session):
    me = store.join(session.id, "Priya", "sales")
    at = open_app(p=me.token)
    store.save_answer(me.token, "evidence", "Saved in the other tab")
    at.text_area(key="answer_trigger").input("New CFO")
    rerun(at)
    assert at.text_area(key="answer_evidence").value == "Saved in the other tab"


def test_the_readiness_prompt_is_a_choice_of_stages_saved_as_chosen(store, session):
    from workshop import agenda

    session = agenda.set_readiness(store, session, True)
    me = store.join(session.id, "Priya", "sales")
    at = open_app(p=me.token)
    choice = at.radio(key="answer_readiness")
    assert choice.options == list(agenda.READINESS_STAGES) and choice.value is None
    choice.set_value("Deciding whether now is the time")
    rerun(at)
    assert store.own_answers(me.token) == {"readiness": "Deciding whether now is the time"}
    again = open_app(p=me.token)  # a refresh shows the saved stage
    assert again.radio(key="answer_readiness").value == "Deciding whether now is the time"
