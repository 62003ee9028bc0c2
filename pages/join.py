"""Join: type the code from the screen, say who you are, get your personal page."""

from __future__ import annotations

import streamlit as st

from pages.context import get_store, plain, reading_width
from workshop.models import MAX_NAME_CHARS
from workshop.store import Store, StoreError


def main(store: Store) -> None:
    reading_width()
    st.title("Join a brief reset session")
    st.write("Type the code shown on the screen. Capitals, spaces and dashes don't matter.")

    if "join_code" not in st.session_state:
        st.session_state.join_code = st.query_params.get("code", "")
    code = st.text_input("Session code", key="join_code", max_chars=20, placeholder="e.g. ACD 379")
    if not code.strip():
        st.stop()

    session = store.get_session_by_code(code)
    if session is None:
        st.error(
            f"No session has the code {plain(code.strip().upper())}. Check it against the screen "
            "and type it again."
        )
        st.stop()
    if not session.collection_open:
        st.warning(
            f"{plain(session.title)}: the facilitator has closed collection, so nobody can "
            "join any more. If you joined earlier, open your personal link."
        )
        st.stop()

    st.subheader(plain(session.title))
    if session.company:
        st.caption(plain(session.company))
    st.write("Choose the name others will see and the function you work in.")
    with st.form("join"):
        name = st.text_input("Your name", max_chars=MAX_NAME_CHARS, placeholder="e.g. Dana K.")
        function = st.radio(
            "Your function",
            session.functions,
            index=None,
            format_func=lambda function: plain(function.capitalize()),
            horizontal=True,
        )
        joined = st.form_submit_button("Join and start answering", type="primary")
    if not joined:
        st.stop()
    if function is None:
        st.error("Choose your function: your answers are compared between functions.")
        st.stop()
    try:
        participant = store.join(session.id, name, function)
    except StoreError as error:
        st.error(str(error))
        st.stop()
    # The personal link is the participant's identity from now on: it survives
    # a refresh and opens the same answers on another device.
    st.query_params.clear()
    st.query_params["p"] = participant.token
    st.rerun()


if __name__ == "__main__":  # run as a page, not when imported
    main(get_store())
