"""Step 3: everyone describes the buyer privately; then collection closes and the analysis is made ready.

The analysis itself runs in the server's background worker (workshop/
analysis.py says when and how); this page and the ones after it only draw
where it is.
"""

from __future__ import annotations

import streamlit as st

from pages.lobby import lobby
from workshop import analysis


@st.fragment(run_every=1)
def _follow(store, session_id: str, state: str) -> None:
    """Progress of the background analysis; the whole page reruns once it is done or failed."""
    session = store.get_session(session_id)
    if session is None:
        return
    status = analysis.ensure_report(store, session)
    if status.state != state:
        st.rerun(scope="app")
    st.progress(min(max(status.fraction, 0.02), 1.0), text=status.message or "Analysing the answers…")


def _retry(store, session) -> None:
    analysis.retry(store, session)


@st.fragment(run_every=3)
def _watch_collection(store, session_id: str) -> None:
    """The lobby closes collection inside its own fragment; rerun the page so the analysis shows."""
    current = store.get_session(session_id)
    if current is not None and not current.collection_open:
        st.rerun(scope="app")


def ensure_report(store, session):
    """The analysis to show, drawing its status: progress while it runs, the reason if it failed.

    Returns the report when it is up to date, the earlier one (said so) when
    the analysis failed, else None. A missing model is reported with its
    reason; the rest of the session keeps working.
    """
    status = analysis.ensure_report(store, session)
    if status.state == analysis.COLLECTING:
        return status.report
    if status.state == analysis.READY:
        return status.report
    if status.state == analysis.RUNNING:
        st.markdown("**Analysing the answers…** Every page stays live meanwhile; this one follows when it is ready.")
        _follow(store, session.id, status.state)
        return None
    st.warning(f"Analysis unavailable: {status.message}. Answers are safe; the rest of the session works "
               "without it.")
    st.button("Try the analysis again", key="analysis-retry", on_click=_retry, args=(store, session))
    if status.report is not None:
        st.caption("Shown below: the analysis from before the latest answers.")
    return status.report


def render(store, session, agenda) -> None:
    st.markdown(
        '<p class="reset-big">Describe the primary buyer <b>alone and in writing</b>. '
        "Nobody sees anyone's answers before the reveal.</p>",
        unsafe_allow_html=True,
    )
    lobby(store, session)
    if session.collection_open:
        _watch_collection(store, session.id)
        return
    report = ensure_report(store, session)
    if report is not None:
        divergent = sum(d.verdict == "divergent" for d in report.dimensions)
        st.subheader(f"Ready for the reveal: {divergent} of {len(report.dimensions)} prompts diverge.", anchor=False)
        check_link()


CHECK_LINK = "Check the analysis on your own screen before the room sees it"


def check_link() -> None:
    with st.container(key="check-link"):  # projected: drawn at the projector's size (PROJECTOR_CSS)
        st.page_link("pages/check.py", label=CHECK_LINK, icon=":material/fact_check:")
