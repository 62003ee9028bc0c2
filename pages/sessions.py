"""The facilitator's home: resume or delete a session, create one, or create one from a CSV."""

from __future__ import annotations

import hashlib

import streamlit as st

from pages.context import base_url, get_store, plain, require_admin
from pages.restore_panel import restore_panel
from workshop import crossread, links
from workshop.answers_csv import MAX_CSV_BYTES, CsvError, read_answers_csv
from workshop.agenda import readiness_prompt, set_readiness
from workshop.models import DEFAULT_FUNCTIONS, DEFAULT_PROMPTS, MAX_BRIEF_CHARS, MAX_HINT_CHARS, Prompt
from workshop.session_import import SessionData, import_session, people_from_answers
from workshop.reset_brief import read_for_checking
from workshop.store import Store, StoreError


def _functions(extra: str) -> list[str]:
    """Sales and marketing, plus any extra functions typed comma-separated."""
    names = list(DEFAULT_FUNCTIONS)
    for name in extra.split(","):
        name = " ".join(name.lower().split())
        if name and name not in names:
            names.append(name)
    return names


def _show_created(store: Store) -> None:
    session = store.get_session(st.session_state.get("created_id", ""))
    if session is None:
        return
    base = base_url()
    with st.container(border=True):
        st.success(f"“{plain(session.title)}” is ready. Share the join code or link; keep the facilitator link to yourself.")
        st.markdown(f"Join code: **{plain(session.join_code)}**")
        st.caption("Join link, for participants")
        st.code(links.join_url(session.join_code, base), language=None, wrap_lines=True)
        st.caption("Facilitator link: opens the lobby and the reset; anyone with it can run the session")
        st.code(links.facilitator_url(session.id, session.facilitator_key, base), language=None, wrap_lines=True)
        left, right = st.columns(2)
        left.link_button("Open the lobby", links.facilitator_url(session.id, session.facilitator_key, base), type="primary")
        if right.button("Done", key="created_done"):
            del st.session_state["created_id"]
            st.rerun()


def _session_list(store: Store) -> None:
    sessions = store.list_sessions()
    if not sessions:
        st.info("No sessions yet. Create the first one below.")
        return
    base = base_url()
    for session in sessions:
        joined = len(store.participants(session.id))
        with st.container(border=True):
            about, resume, delete = st.columns([6, 2, 2], vertical_alignment="center")
            about.markdown(f"**{plain(session.title)}**")
            about.caption(
                " · ".join(
                    part for part in (
                        plain(session.company),
                        f"code {session.join_code}",
                        f"{joined} joined",
                        "collecting answers" if session.collection_open else "collection closed",
                        session.created_at[:10],
                    ) if part
                )
            )
            resume.link_button("Resume", links.facilitator_url(session.id, session.facilitator_key, base))
            if st.session_state.get("confirm_delete") == session.id:
                st.warning(f"Delete “{plain(session.title)}” with its {joined} participants and all their answers? This cannot be undone.")
                yes, no = st.columns(2)
                if yes.button("Yes, delete it", key=f"delete_yes_{session.id}", type="primary"):
                    store.delete_session(session.id)
                    st.session_state.pop("confirm_delete", None)
                    st.rerun()
                if no.button("Cancel", key=f"delete_no_{session.id}"):
                    st.session_state.pop("confirm_delete", None)
                    st.rerun()
            elif delete.button("Delete", key=f"delete_{session.id}"):
                st.session_state.confirm_delete = session.id
                st.rerun()


BRIEF_CHECKED = "create_brief_checked"


def _brief_key(brief: str, prompts) -> str:
    wording = "\x1f".join(f"{p.key}={p.text}" for p in prompts)
    return hashlib.sha256(f"{brief.strip()}\x1e{wording}".encode("utf-8")).hexdigest()


def _show_brief_reading(brief: str, prompts) -> None:
    view = read_for_checking(brief, prompts)
    with st.container(border=True, key="brief-reading"):
        st.markdown("**How the brief is read**")
        st.caption(plain(view.note))
        for title, points in view.sections:
            st.markdown(f"**{plain(title)}:** " + (" · ".join(f"“{plain(p)}”" for p in points)
                                                  if points else "_nothing found_"))
        if view.elsewhere:
            st.markdown("**Belongs to no prompt** (kept in the brief, not compared): "
                        + " · ".join(f"“{plain(p)}”" for p in view.elsewhere))


def _create_form(store: Store) -> None:
    with st.form("create"):
        title = st.text_input("Title", key="create_title", placeholder="e.g. Q3 brief reset")
        company = st.text_input("Company", key="create_company", placeholder="e.g. Acme Analytics")
        facilitator = st.text_input("Facilitator", key="create_facilitator", placeholder="Your name")
        brief = st.text_area(
            "Brief of record (optional)",
            key="create_brief",
            max_chars=MAX_BRIEF_CHARS,
            height=160,
            help="Paste the buyer part of the current marketing brief. The reveal shows which sales themes it does not cover.",
        )
        st.write("Sales and marketing always take part.")
        extra = st.text_input("Other functions taking part (optional, comma-separated)", key="create_extra", placeholder="e.g. customer success")
        with st.expander("Prompt wording and hints (the five defaults; edit for this session)"):
            st.caption("The hint under each question says how to answer. Keep it free of examples of "
                       "content: an example answer puts words in people's mouths. Empty it to show none.")
            wording, hints = {}, {}
            for p in DEFAULT_PROMPTS:
                wording[p.key] = st.text_area(p.key.capitalize(), value=p.text, key=f"prompt_{p.key}", height=80)
                hints[p.key] = st.text_input(f"Hint under the {p.key} question", value=p.example,
                                             key=f"hint_{p.key}", max_chars=MAX_HINT_CHARS)
        readiness = st.checkbox(
            "Also ask at which stage the buyer usually is when they first talk to us "
            "(a sixth question: five stages to choose from)", key="create_readiness",
        )
        crossreading = st.checkbox(
            "Cross-reading before the reveal: each side marks what it recognises in the other's answers "
            "(3 to 5 minutes, on their own devices; can be changed in the lobby)", key="create_crossread",
        )
        create, check = st.columns([1, 2])
        create = create.form_submit_button("Create session", type="primary")
        check = check.form_submit_button("Show how the brief is read")
    if not (create or check):
        return
    prompts = []
    for default in DEFAULT_PROMPTS:
        text = " ".join(wording[default.key].split())
        if not text:
            st.error(f"The {default.key} prompt is empty. Write a question or keep the default wording.")
            return
        prompts.append(Prompt(default.key, text, " ".join((hints[default.key] or "").split())))
    if brief.strip() and (check or st.session_state.get(BRIEF_CHECKED) != _brief_key(brief, prompts)):
        # The facilitator sees how the brief is read before the session is saved.
        _show_brief_reading(brief, prompts)
        st.session_state[BRIEF_CHECKED] = _brief_key(brief, prompts)
        if create:
            st.info("Check how the brief was read above, then press Create session again.")
        return
    if readiness:
        prompts.append(readiness_prompt())
    try:
        session = store.create_session(
            title, company=company, brief=brief, functions=_functions(extra),
            prompts=prompts, facilitator=facilitator,
        )
    except StoreError as error:
        st.error(str(error))
        return
    if readiness:
        set_readiness(store, session, True)  # also remembered as the session's setting
    if crossreading:
        crossread.set_enabled(store, session.id, True)
    st.session_state.created_id = session.id
    st.session_state.pop("imported", None)
    st.rerun()


def _import_form(store: Store) -> None:
    st.write(
        "Answers collected in a survey tool: a CSV with the header "
        "`participant,function,dimension,answer`, one row per answer, dimension one of "
        + ", ".join(p.key for p in DEFAULT_PROMPTS) + ". The session starts with collection closed."
    )
    with st.form("import"):
        upload = st.file_uploader(
            "Answers file (CSV, UTF-8)", type=["csv"], key="import_file",
            max_upload_size=MAX_CSV_BYTES // 1_000_000,
        )
        title = st.text_input("Title", key="import_title", placeholder="e.g. Q3 brief reset")
        company = st.text_input("Company", key="import_company")
        facilitator = st.text_input("Facilitator", key="import_facilitator")
        brief = st.text_area("Brief of record (optional)", key="import_brief", max_chars=MAX_BRIEF_CHARS, height=120)
        extra = st.text_input("Other functions in the file (optional, comma-separated)", key="import_extra", placeholder="e.g. customer success")
        create = st.form_submit_button("Create session from file", type="primary")
    if not create:
        return
    if upload is None:
        st.error("Choose the CSV file first.")
        return
    if not title.strip():
        st.error("Give the session a title.")
        return
    functions = _functions(extra)
    try:
        answers = read_answers_csv(upload.getvalue(), functions=functions)
    except CsvError as error:
        st.error(f"Nothing was imported. {error}")
        return
    people = people_from_answers(answers)
    bar = st.progress(0.0, text="Importing the answers...")
    try:
        session = import_session(
            store,
            SessionData(title, company=company, facilitator=facilitator, brief=brief,
                        functions=functions, people=people, collection_open=False),
            progress=lambda done, total: bar.progress(done / max(total, 1), text=f"Importing: {done:,} of {total:,} rows"),
        )
    except StoreError as error:
        bar.empty()
        st.error(f"Nothing was imported. {error}")
        return
    st.session_state.created_id = session.id
    st.session_state.imported = (len(people), len(answers))
    st.rerun()


def main(store: Store) -> None:
    require_admin(store)
    st.title("Brief reset sessions")
    st.write("Create a session for your meeting, or resume one you prepared.")
    _show_created(store)
    if "imported" in st.session_state and "created_id" in st.session_state:
        people, answers = st.session_state.imported
        st.caption(f"Imported {answers} answers from {people} participants.")

    listed, new, imported = st.tabs(["Your sessions", "New session", "New session from a CSV of answers"])
    with listed:
        _session_list(store)
        restore_panel(store)
    with new:
        _create_form(store)
    with imported:
        _import_form(store)


if __name__ == "__main__":  # run as a page, not when imported
    main(get_store())
