"""The facilitator's cross-reading controls: on or off, start, close, and progress per function, never content.

Shown in the lobby (pages/lobby.py) and in the cross-reading step of the
reset (pages/reset_steps/crossread.py); both read and write the same state
through workshop/crossread.py, so either place can run it.
"""

from __future__ import annotations

import streamlit as st

from pages.context import plain
from workshop import crossread
from workshop.charts import prompt_title
from workshop.crossread import CrossreadError

ERROR = "crossread-error"
HELP = ("After the close, each person reads the other side's statements on their own device, without names, "
        "and marks what their side would say too (3 to 5 minutes). The reveal then shows what the room "
        "recognised beside the analysis.")


def _set_enabled(store, session_id: str, key: str) -> None:
    crossread.set_enabled(store, session_id, bool(st.session_state.get(key)))


def _start(store, session_id: str) -> None:
    try:
        crossread.start(store, store.get_session(session_id))
    except CrossreadError as error:
        st.session_state[ERROR] = str(error)
    else:
        st.session_state.pop(ERROR, None)


def enable_toggle(store, session_id: str, key: str) -> None:
    """The session's cross-reading switch (off once it has started: the marks are the room's)."""
    current = crossread.phase(store, session_id)
    st.session_state[key] = current.enabled
    st.toggle("Cross-reading before the reveal", key=key, help=HELP, disabled=current.started,
              on_change=_set_enabled, args=(store, session_id, key))


def progress(store, session) -> None:
    """Per function: people reading of people joined, and marks made. Counts only."""
    rows = crossread.progress(store, session)
    columns = st.columns(len(rows))
    for column, row in zip(columns, rows):
        with column:
            st.metric(f"{plain(row.function.capitalize())} reading", f"{row.reading} / {row.joined}")
            st.markdown(f"{row.marks} mark{'s' if row.marks != 1 else ''}")


def controls(store, session, key: str) -> None:
    """Start or close cross-reading and follow it; nothing when it is off for the session."""
    current = crossread.phase(store, session.id)
    if not current.enabled:
        return
    if session.collection_open:
        st.markdown("**Cross-reading** starts after you close collection.")
        return
    status, action = st.columns([1, 1], vertical_alignment="center")
    if not current.started:
        status.markdown("**Next: cross-reading.** Each side reads the other's statements on their own device.")
        action.button("Start cross-reading", key=f"{key}-start", type="primary", width="stretch",
                      on_click=_start, args=(store, session.id))
    elif current.open:
        status.markdown("**Cross-reading** on everyone's device. Close it before the reveal.")
        action.button("Close cross-reading", key=f"{key}-close", type="primary", width="stretch",
                      on_click=crossread.close, args=(store, session.id))
    else:
        status.markdown("**Cross-reading is closed.** The reveal shows what the room recognised.")
        action.button("Open it again", key=f"{key}-again", width="stretch",
                      on_click=_start, args=(store, session.id))
    if st.session_state.get(ERROR):
        st.error(st.session_state.pop(ERROR))
    if current.started:
        progress(store, session)


def lobby(store, session) -> None:
    """The lobby's part: the switch while collecting, the controls after the close."""
    if session.collection_open:
        enable_toggle(store, session.id, "lobby-crossread-on")
    else:
        controls(store, session, "lobby-crossread")


def check_note(store, session, report, key: str, flags: dict[str, str]) -> None:
    """On the check view: where the readers and the analysis disagree, and what the room recognised here."""
    if key in flags:
        st.warning(plain(flags[key]) + " Read the statements before the room sees the reveal.")
    elif flags:
        st.warning("The readers and the analysis disagree on "
                   + ", ".join(plain(prompt_title(k)) for k in flags) + " (marked :material/flag:): check those prompts.")
    reading = crossread.reading(store, session).get(key)
    if reading is not None and reading.read:
        st.caption("The room's reading: " + plain(reading.sentence()))
        with st.expander("What the other side's readers marked, statement by statement"):
            for side in reading.sides:
                st.markdown(f"**{plain(side.function.capitalize())}**, read by {plain(side.readers_words)}")
                st.markdown("\n".join(f"- {plain(s.text)} — *{plain(s.words())}*"
                                       for s in reading.statements if s.function == side.function))
