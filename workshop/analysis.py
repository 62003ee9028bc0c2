"""The divergence analysis as the app uses it: run, store, read back, tell when stale.

The report is stored in the session's state under "analysis" together with
a fingerprint of the answers and the brief it was computed from, so the
reveal can show it again without the model and say when new answers came in.
"""

from __future__ import annotations

import hashlib
import json

from embeddings.divergence import analyze
from embeddings.encoder import ModelUnavailable, shared_encoder
from embeddings.report import Report

__all__ = ["ModelUnavailable", "get_encoder", "is_stale", "run_analysis", "save_report", "session_report", "fingerprint"]

STATE_KEY = "analysis"


def get_encoder():
    """The process-wide encoder (the model loads once, on first use)."""
    return shared_encoder()


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
    report = analyze(
        answers,
        brief=session.brief or None,
        encoder=encoder or get_encoder(),
        dimensions=session.dimension_keys,
        functions=session.functions,
        progress=progress,
        prompts=session.prompts,
    )
    save_report(store, session, report, answers)
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
