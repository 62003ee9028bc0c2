"""Step 3: everyone describes the buyer privately; then collection closes and the analysis runs once."""

from __future__ import annotations

import threading

import streamlit as st

from pages.lobby import lobby
from pages.reset_steps.common import analysis_module, stored_report

FAILED = "analysis-failed"
# One analysis per session at a time in this server: a second facilitator tab
# waits for the first instead of loading the model and computing it again.
_RUNNING: dict[str, threading.Lock] = {}


def analysis_lock(session_id: str) -> threading.Lock:
    return _RUNNING.setdefault(session_id, threading.Lock())


@st.fragment(run_every=2)
def _wait_for_other_run(session_id: str) -> None:
    if not analysis_lock(session_id).locked():
        st.rerun(scope="app")


def _retry() -> None:
    st.session_state.pop(FAILED, None)


@st.fragment(run_every=3)
def _watch_collection(store, session_id: str) -> None:
    """The lobby closes collection inside its own fragment; rerun the page so the analysis starts."""
    current = store.get_session(session_id)
    if current is not None and not current.collection_open:
        st.rerun(scope="app")


def ensure_report(store, session):
    """The stored analysis; run it (once, with progress) when collection is closed and it is missing or stale.

    A missing model is reported with its reason; the rest of the session keeps working.
    """
    analysis = analysis_module()
    report = stored_report(store, session)
    if session.collection_open:
        return report
    if analysis is None:
        if report is None:
            st.warning("Analysis unavailable: the analysis module is not installed in this app.")
        return report
    try:
        stale = report is None or analysis.is_stale(store, session)
    except Exception:  # noqa: BLE001 - a failing freshness check must not hide a usable report
        stale = report is None
    if not stale:
        return report
    if st.session_state.get(FAILED):
        st.warning(f"Analysis unavailable: {st.session_state[FAILED]}")
        st.button("Try the analysis again", key="analysis-retry", on_click=_retry)
        return report
    lock = analysis_lock(session.id)
    if not lock.acquire(blocking=False):
        st.info("The analysis is running in another window; this page follows when it is ready.")
        _wait_for_other_run(session.id)
        return report
    try:
        return _run(analysis, store, session)
    finally:
        lock.release()


def _run(analysis, store, session):
    with st.status("Analysing the answers…", expanded=True) as status:
        bar = st.progress(0.0, text="Starting")

        def progress(fraction: float, message: str = "") -> None:
            bar.progress(min(max(float(fraction), 0.0), 1.0), text=message or None)

        try:
            report = analysis.run_analysis(store, session, progress=progress)
        except analysis.ModelUnavailable as error:
            st.session_state[FAILED] = str(error) or "the embedding model could not be loaded"
            status.update(label="Analysis unavailable", state="error", expanded=True)
            st.warning(f"Analysis unavailable: {st.session_state[FAILED]}. Answers are safe; "
                       "the rest of the session works without it.")
            st.button("Try the analysis again", key="analysis-retry", on_click=_retry)
            return stored_report(store, session)
        except Exception as error:  # noqa: BLE001 - the meeting goes on; the reason is shown
            st.session_state[FAILED] = f"the analysis stopped with an error ({type(error).__name__}: {error})"
            status.update(label="Analysis failed", state="error", expanded=True)
            st.warning(f"Analysis unavailable: {st.session_state[FAILED]}. Answers are safe.")
            st.button("Try the analysis again", key="analysis-retry", on_click=_retry)
            return stored_report(store, session)
        status.update(label="Analysis ready", state="complete", expanded=False)
    return report


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
