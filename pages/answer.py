"""A participant's own page: the prompts, answered privately, saved as they are written.

Everything shown comes from this participant's token: `own_answers(token)`,
never the session's answers, so nobody's text can reach anybody else's page.
"""

from __future__ import annotations

import streamlit as st

from pages.context import base_url, get_store, plain, reading_width
from pages.unsaved_guard import commit_typing_on_leave
from workshop import links
from workshop.agenda import READINESS_KEY, READINESS_STAGES, readiness_stage
from workshop.models import MAX_ANSWER_CHARS, Prompt
from workshop.store import Store, StoreError


def _field(prompt: Prompt) -> str:
    return f"answer_{prompt.key}"


def _save(store: Store, token: str, prompt: Prompt) -> None:
    """on_change: store the one field that changed, nothing else.

    Saving a single field means a second tab or device that edits another
    prompt is never overwritten with this tab's older copy.
    """
    text = st.session_state[_field(prompt)]
    unsaved = st.session_state.setdefault("unsaved", {})
    try:
        store.save_answer(token, prompt.key, text)
    except StoreError as error:
        unsaved[prompt.key] = (text, str(error))
    else:
        unsaved.pop(prompt.key, None)


@st.fragment(run_every=5)
def _watch_collection(store: Store, session_id: str, was_open: bool) -> None:
    """Turn the page read-only (or editable again) soon after the facilitator decides."""
    session = store.get_session(session_id)
    if session is not None and session.collection_open != was_open:
        st.rerun(scope="app")


def _save_stage(store: Store, token: str, prompt: Prompt) -> None:
    unsaved = st.session_state.setdefault("unsaved", {})
    try:
        store.save_answer(token, prompt.key, st.session_state[_field(prompt)] or "")
    except StoreError as error:
        unsaved[prompt.key] = ("", str(error))
    else:
        unsaved.pop(prompt.key, None)


def _readiness(store: Store, token: str, prompt: Prompt, number: int, stored: str, is_open: bool) -> None:
    """The optional readiness prompt: one of five stages, chosen rather than typed."""
    st.markdown(f"**{number}. {plain(prompt.text)}**")
    st.radio(
        plain(prompt.text),
        READINESS_STAGES,
        index=readiness_stage(stored),
        key=_field(prompt),
        label_visibility="collapsed",
        disabled=not is_open,
        on_change=_save_stage,
        args=(store, token, prompt),
    )
    if prompt.key in st.session_state.get("unsaved", {}):
        st.error(f"Not saved: {st.session_state['unsaved'][prompt.key][1]}")
    elif stored:
        st.caption("✓ Saved")


def _points(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def main(store: Store) -> None:
    reading_width()
    token = st.query_params.get("p", "")
    participant = store.participant_by_token(token)
    session = store.get_session(participant.session_id) if participant else None
    if participant is None or session is None:
        st.title("This link does not open a session")
        st.error("This personal link is not valid (any more). Join again with the code on the screen.")
        st.link_button("Join a session", base_url() + "/")
        st.stop()

    st.title(plain(session.title))
    st.caption(f"{plain(participant.name)} · {plain(participant.function.capitalize())}")

    st.info(
        "**Your personal link.** Keep this link to come back or continue on another "
        "device; it opens your answers and nobody else's."
    )
    st.code(links.personal_url(token, base_url()), language=None, wrap_lines=True)

    is_open = session.collection_open
    _watch_collection(store, session.id, is_open)
    if is_open:
        commit_typing_on_leave()
        st.write(
            "Answer each question on your own, **one point per line**. Your answers are "
            "saved as you write (click outside the box or press Ctrl+Enter); nobody sees "
            "them before the reveal."
        )
    else:
        st.warning("The facilitator has closed collection. Your answers are final and shown read-only.")

    saved = store.own_answers(token)
    unsaved: dict = st.session_state.get("unsaved", {})
    for number, prompt in enumerate(session.prompts, start=1):
        key = _field(prompt)
        if prompt.key == READINESS_KEY:
            _readiness(store, token, prompt, number, saved.get(prompt.key, ""), is_open)
            continue
        # A box is filled from the store when this page opens, and again only
        # when another tab or device saved something new for it. Setting it
        # on every run would wipe what the participant is typing into one box
        # while the save of another box reruns the page. Text the store
        # refused stays in the box so nothing typed is lost.
        shown = st.session_state.setdefault("shown", {})
        stored = saved.get(prompt.key, "")
        if prompt.key in unsaved:
            st.session_state[key] = unsaved[prompt.key][0]
        elif key not in st.session_state or (
            stored != shown.get(prompt.key) and st.session_state[key] == shown.get(prompt.key)
        ):
            st.session_state[key] = stored
        shown[prompt.key] = stored
        st.markdown(f"**{number}. {plain(prompt.text)}**")
        if prompt.example.strip():
            # How to answer, in the facilitator's words; never a sample answer to copy.
            st.caption(plain(" ".join(prompt.example.split())))
        st.text_area(
            plain(prompt.text),
            key=key,
            max_chars=MAX_ANSWER_CHARS,
            height=150,
            placeholder="One point per line",
            label_visibility="collapsed",
            disabled=not is_open,
            on_change=_save,
            args=(store, token, prompt),
        )
        if prompt.key in unsaved:
            st.error(f"Not saved: {unsaved[prompt.key][1]} Copy your text before leaving this page.")
            st.code(unsaved[prompt.key][0], language=None, wrap_lines=True)
        elif saved.get(prompt.key):
            points = _points(saved[prompt.key])
            st.caption(f"✓ Saved · {points} point{'s' if points != 1 else ''}")
        else:
            st.caption("Not answered yet")

    st.divider()
    answered = sum(1 for p in session.prompts if saved.get(p.key))
    if not is_open:
        st.write(f"You answered {answered} of {len(session.prompts)} questions. Thank you.")
        st.stop()
    if participant.submitted:
        st.success(
            "Submitted. You can still change your answers until the facilitator closes "
            "collection; changes are saved automatically."
        )
        st.stop()
    st.write(
        f"You have answered {answered} of {len(session.prompts)} questions. "
        "When you are done, submit so the facilitator sees you are ready."
    )
    if st.button("Submit my answers", type="primary"):
        try:
            store.mark_submitted(token)
        except StoreError as error:
            st.error(str(error))
        else:
            st.rerun()


if __name__ == "__main__":  # run as a page, not when imported
    main(get_store())
