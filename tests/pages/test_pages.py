"""The pages of issue 3, driven through app.py as a browser would drive them.

Each AppTest opens the app with the query string of one role. A fresh
AppTest with the same query string is what a refresh (or a second device)
does: only the store carries anything over.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.context import plain
from workshop import links
from workshop.store import CollectionClosed

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ADMIN_KEY = "test-admin-key"


@pytest.fixture(autouse=True)
def admin_key(monkeypatch):
    monkeypatch.setenv("BRIEF_RESET_ADMIN_KEY", ADMIN_KEY)
    monkeypatch.setenv("BRIEF_RESET_BASE_URL", "http://10.1.2.3:8501")


def open_app(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_protos(node) -> list[str]:
    """Everything the server sent for the page, as text."""
    out = []
    for child in getattr(node, "children", {}).values():
        out += page_protos(child)
    proto = getattr(node, "proto", None)
    if proto is not None:
        out.append(str(proto))
    return out


def page_sends(at: AppTest, text: str) -> bool:
    return any(text in p for p in page_protos(at._tree))


def values(elements) -> list[str]:
    return [e.value for e in elements]


def facilitator(session) -> dict:
    return {"session": session.id, "key": session.facilitator_key}


# -- facilitator home ---------------------------------------------------------


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


# -- join ---------------------------------------------------------------------


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


# -- answering ----------------------------------------------------------------


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


# -- lobby and closing --------------------------------------------------------


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


# -- the whole spine in one go ---------------------------------------------------


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


# -- every page, every role ------------------------------------------------------


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


def test_plain_escapes_markdown_and_html():
    assert plain("**x** <b>$5</b> [a](b)") == "\\*\\*x\\*\\* \\<b\\>\\$5\\</b\\> \\[a\\]\\(b\\)"


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


def test_the_lobby_can_be_imported_by_the_reset_agenda_without_running_the_page(db_path):
    import importlib

    module = importlib.import_module("pages.lobby")
    assert callable(module.lobby) and callable(module.main)
    assert not db_path.exists()  # importing did not open the store


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
