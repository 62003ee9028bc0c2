"""What happens when collection closes: the analysis of a session, run, stored, read back.

One home for it. `ensure_report(store, session)` is what a page calls: it
returns where the analysis is (collecting, running with progress, ready,
failed with the reason) and, when the stored report is missing or out of
date after the close, has the server's background worker (workshop/
background.py) run it; the page only draws that status and never waits.
`session_report` is the one reader of the stored report, `save_report` the
one writer.

The report is stored in the session's state under "analysis" together with
a fingerprint of the answers and the brief it was computed from, so the
reveal can show it again without the model and say when new answers came in.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from embeddings.divergence import analyze
from embeddings.report import Report
from workshop import background
from workshop.embedding_model import ModelUnavailable, StoredEncoder, forget_other_vectors, shared_encoder

__all__ = ["AnalysisStatus", "ModelUnavailable", "ensure_report", "fingerprint", "get_encoder", "is_stale",
           "retry", "run_analysis", "save_report", "session_report"]

STATE_KEY = "analysis"

COLLECTING, RUNNING, READY, FAILED = "collecting", "running", "ready", "failed"


def get_encoder():
    """The process-wide encoder (the model loads once: at server start, or on first use)."""
    return shared_encoder()


@dataclass(frozen=True)
class AnalysisStatus:
    """Where a session's analysis is, for a page to draw."""

    state: str  # COLLECTING, RUNNING, READY or FAILED
    report: Report | None  # the stored report (corrected), possibly older than the answers
    fraction: float = 0.0
    message: str = ""  # what is being done, or why it failed

    @property
    def ready(self) -> bool:
        return self.state == READY


def ensure_report(store, session) -> AnalysisStatus:
    """The stored analysis and where it is; after the close a missing or stale one is run in the background."""
    report = session_report(store, session)
    if session.collection_open:
        return AnalysisStatus(COLLECTING, report)
    try:
        stale = report is None or is_stale(store, session)
    except Exception:  # noqa: BLE001 - a failing freshness check must not hide a usable report
        stale = report is None
    if not stale:
        return AnalysisStatus(READY, report, 1.0)
    job = background.request(store, session.id)
    if job.state == "failed":
        return AnalysisStatus(FAILED, report, 0.0, job.error)
    if job.state == "done":  # finished between the check above and now
        fresh = session_report(store, session)
        if fresh is not None and not is_stale(store, session):
            return AnalysisStatus(READY, fresh, 1.0)
    return AnalysisStatus(RUNNING, report, job.fraction, job.message or "Waiting to start")


def close_collection(store, session_id: str):
    """Close collection (the lobby's button) and have the analysis start at once, not at the next poll."""
    session = store.set_collection_open(session_id, False)
    background.worker().wake()
    return session


def retry(store, session) -> None:
    """Run a failed analysis again (after the facilitator fixed its cause, e.g. installed the model)."""
    background.retry(store, session.id)


def fingerprint(answers, brief: str | None, dimensions=None, functions=None) -> str:
    """A hash of what the analysis reads: answers (in any order), brief, prompts, functions."""
    rows = sorted((a.participant, a.function, a.dimension, a.text) for a in answers)
    payload = json.dumps(
        {"answers": rows, "brief": (brief or "").strip(), "dimensions": list(dimensions or []),
         "functions": list(functions or [])},
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def session_report(store, session, corrected: bool = True) -> Report | None:
    """The stored report of the session, or None if the analysis never ran.

    `corrected`: with the facilitator's corrections replayed (what the room
    sees); False for the raw analysis (the check view compares the two).
    """
    stored = store.get_state(session.id, STATE_KEY)
    if not stored or "report" not in stored:
        return None
    try:
        report = Report.from_dict(stored["report"])
    except (KeyError, TypeError, ValueError):
        return None  # written by an older version: treat as never run
    if not corrected:
        return report
    from workshop import corrections

    return corrections.corrected(store, session, report).report


def run_analysis(store, session, encoder=None, progress=None) -> Report:
    """Analyse the session's answers now, store the report and return it.

    Raises ModelUnavailable when the model cannot load; collecting answers
    goes on regardless.
    """
    answers = store.answers(session.id)
    # Through the session's stored vectors: what the background worker embedded
    # while answers came in (or before a restart) is not embedded again.
    stored = StoredEncoder(encoder or get_encoder(), store, session.id)
    report = analyze(
        answers,
        brief=session.brief or None,
        encoder=stored,
        dimensions=session.dimension_keys,
        functions=session.functions,
        progress=progress,
        prompts=session.prompts,
    )
    save_report(store, session, report, answers)
    # Vectors of drafts typed over are of no further use.
    forget_other_vectors(store, session.id, stored.name, stored.seen)
    if progress:
        progress(1.0, "Analysis ready")
    return report


def save_report(store, session, report: Report, answers=None) -> None:
    """Store `report` as the session's analysis of `answers` (default: the stored answers)."""
    answers = store.answers(session.id) if answers is None else answers
    store.set_state(session.id, STATE_KEY, {
        "fingerprint": fingerprint(answers, session.brief, session.dimension_keys, session.functions),
        "report": report.to_dict(),
    })


def is_stale(store, session) -> bool:
    """True when answers or the brief changed since the stored report (or there is none)."""
    stored = store.get_state(session.id, STATE_KEY)
    if not stored:
        return True
    current = fingerprint(store.answers(session.id), session.brief, session.dimension_keys, session.functions)
    return stored.get("fingerprint") != current
