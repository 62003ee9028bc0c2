"""Step 4 (when the session cross-reads): each side marks what it recognises in the other's answers.

The statements go to everyone's own device (pages/crossread_view.py); the
projector shows only how far each function has got.
"""

from __future__ import annotations

import streamlit as st

from pages import crossread_panel
from workshop import crossread


# Counts read from the back of the room, as in the lobby.
LIVE_CSS = """
<style>
.st-key-crossread-live [data-testid="stMetricValue"] p, .st-key-crossread-live [data-testid="stMetricValue"] div {
  font-size: 3rem; font-weight: 700; line-height: 1.1; }
.st-key-crossread-live [data-testid="stMetricLabel"] p { font-size: 1.3rem !important; font-weight: 600; }
</style>
"""


@st.fragment(run_every=2)
def _live(store, session_id: str) -> None:
    session = store.get_session(session_id)
    if session is not None:
        with st.container(key="crossread-live"):
            crossread_panel.controls(store, session, "step-crossread")


def render(store, session, agenda) -> None:
    if not crossread.phase(store, session.id).enabled:
        st.info("This session does not cross-read. Turn it on to have each side mark what it recognises in "
                "the other's answers before the reveal.")
        crossread_panel.enable_toggle(store, session.id, "step-crossread-on")
        return
    st.markdown(
        '<p class="reset-big">On your own device: read what the <b>other side</b> wrote, without names, and mark '
        "each statement <b>“we'd say this too”</b> or <b>“new to us”</b>. Skipping is fine.</p>"
        '<p class="reset-line">Nobody sees who wrote what or who marked what; the reveal shows only the counts, '
        "beside the analysis.</p>",
        unsafe_allow_html=True,
    )
    st.html(LIVE_CSS)
    if session.collection_open:
        st.info("Collection is still open. Close it in the previous step first: cross-reading shows answers, so "
                "they must be final.")
        return
    _live(store, session.id)
