"""The lobby, on the projector while people answer: how to join, and who is done.

Shows counts and names only. The answers themselves stay hidden until the
reveal, so nobody writes for the room.
"""

from __future__ import annotations

import streamlit as st

from pages.context import base_url, facilitator_session, get_store, plain, projector_style
from workshop import analysis, links
from workshop.embedding_model import model_status
from workshop.models import Session
from workshop.qr import qr_png
from workshop.store import Store


def _join_panel(session: Session) -> None:
    base = base_url()
    join = links.join_url(session.join_code, base)
    st.markdown("**Join on your laptop or phone:** scan the QR code, or open")
    with st.container(key="join-link"):
        st.markdown(plain(join))
    st.markdown("and type the code")
    with st.container(key="join-code"):
        st.markdown(plain(session.join_code))
    # The QR code beside the address note: the whole panel fits a 720-pixel projector.
    qr, reach = st.columns([1, 1.25], vertical_alignment="center")
    qr.image(qr_png(join), width=240)
    with reach.container(key="join-reach"):
        st.caption(plain(links.reach_note(base, configured=links.configured_base_url() is not None)))


@st.fragment(run_every=2)
def _live(store: Store, session_id: str) -> None:
    """Re-read every two seconds: arrivals, submissions, completeness, never content."""
    session = store.get_session(session_id)
    if session is None:
        st.error("This session has been deleted.")
        return
    progress = store.progress(session_id)
    people = store.participants(session_id)  # names and who pressed submit, no answers
    with st.container(key="lobby-live"):
        # The state of collection and its button first: on a 720-pixel
        # projector the bottom of the page is out of sight.
        status, action = st.columns([1, 1], vertical_alignment="center")
        if session.collection_open:
            status.markdown(
                "**Collecting answers**, private until the reveal. "
                "Close when everyone has submitted."
            )
            action.button(
                "Close collection", key="lobby_close", type="primary", width="stretch",
                on_click=analysis.close_collection, args=(store, session_id),
            )
        else:
            status.success("Collection is closed: answers are final. Next: the reveal.")
            action.button(
                "Reopen collection", key="lobby_reopen", width="stretch",
                on_click=store.set_collection_open, args=(session_id, True),
            )

        st.subheader(f"Submitted / joined · {progress.total_joined} joined")
        columns = st.columns(len(session.functions))
        for column, function in zip(columns, session.functions):
            joined = progress.joined.get(function, 0)
            submitted = progress.submitted.get(function, 0)
            with column:
                st.metric(plain(function.capitalize()), f"{submitted} / {joined}")
                names = [
                    plain(p.name) + (" ✓" if p.submitted else "")
                    for p in people if p.function == function
                ]
                st.markdown(", ".join(names) if names else "_nobody yet_")

        st.subheader("Answered, per question")
        total = progress.total_joined
        # Two columns keep all prompts on a 1280x720 projector without scrolling.
        columns = st.columns(2)
        for index, prompt in enumerate(session.prompts):
            answered = progress.answered.get(prompt.key, 0)
            columns[index % 2].progress(
                answered / total if total else 0.0,
                text=f"{plain(prompt.key.capitalize())}: {answered} of {total}",
            )
        if session.collection_open:
            # The facilitator knows before closing whether the reveal will be instant.
            st.caption(plain(model_status().words))


def lobby(store: Store, session: Session) -> None:
    """The lobby body, also used as a step of the reset agenda."""
    projector_style()
    join, live = st.columns(2, gap="large")
    with join, st.container(key="join-panel"):
        st.header(plain(session.title))
        _join_panel(session)
    with live:
        _live(store, session.id)


def main(store: Store) -> None:
    from pages.reset_steps.descriptions import check_link

    session = facilitator_session(store)
    lobby(store, session)
    if not session.collection_open:
        check_link()
    with st.expander("Facilitator link (secret: it opens this page and the reset)"):
        st.code(links.facilitator_url(session.id, session.facilitator_key, base_url()), language=None, wrap_lines=True)


if __name__ == "__main__":  # run as a page, not when imported
    main(get_store())
