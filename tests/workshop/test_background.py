"""The background worker: answers embedded as they are saved, nothing twice, the analysis at the close.

A counting stand-in encoder (tests/embeddings/conftest.ToyEncoder) takes
the model's place, so these tests say what is embedded and when.
"""

from __future__ import annotations

import time

import pytest

from embeddings.statements import split_answer
from tests.embeddings.conftest import ToyEncoder
from workshop import analysis, background, embedding_model


def wait(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


class CountingEncoder(ToyEncoder):
    """ToyEncoder with the shared encoder's in-memory cache, as the real one has."""

    def __init__(self):
        super().__init__()
        self.memory: dict = {}

    def encode(self, texts):
        missing = [t for t in dict.fromkeys(texts) if t not in self.memory]
        if missing:
            for text, row in zip(missing, super().encode(missing)):
                self.memory[text] = row
        import numpy as np

        return np.stack([self.memory[t] for t in texts]) if texts else np.zeros((0, 64), dtype=np.float32)

    def cached(self, text):
        return text in self.memory

    def remember(self, vectors):
        self.memory.update(vectors)

    def embedded(self) -> list[str]:
        """Every text the 'model' computed, in order (each should appear once)."""
        return [t for call in self.calls for t in call]


@pytest.fixture
def encoder(monkeypatch):
    fake = CountingEncoder()
    monkeypatch.setattr(analysis, "get_encoder", lambda: fake)
    return fake


@pytest.fixture
def worker(monkeypatch):
    w = background.Worker(ahead=True, poll=0.05)
    monkeypatch.setattr(background, "_worker", w)
    monkeypatch.setattr(embedding_model, "preload", lambda: None)  # the stand-in needs no loading
    yield w
    w.stop()


def people(store, session):
    sales = store.join(session.id, "Sam", "sales")
    marketing = store.join(session.id, "Mia", "marketing")
    return sales, marketing


def statements_of(store, session) -> set[str]:
    return {s for a in store.answers(session.id) for s in split_answer(a.text)}


def test_saved_answers_are_embedded_soon_and_nothing_twice(store, session, encoder, worker):
    sales, marketing = people(store, session)
    worker.watch(store)
    store.save_answer(sales.token, "trigger", "New CFO wants a rolling forecast\nAudit found late payments")
    store.save_answer(marketing.token, "trigger", "Month-end close takes too long")
    wait(lambda: statements_of(store, session) <= set(encoder.memory))
    store.save_answer(sales.token, "fears", "Losing the audit trail")
    wait(lambda: "Losing the audit trail" in encoder.memory)
    embedded = encoder.embedded()
    assert len(embedded) == len(set(embedded))  # nothing embedded twice
    assert set(embedded) >= statements_of(store, session)
    # Collection closes: the analysis runs by itself and embeds nothing new.
    before = len(encoder.embedded())
    store.set_collection_open(session.id, False)
    wait(lambda: analysis.session_report(store, session) is not None and not analysis.is_stale(store, session))
    new = encoder.embedded()[before:]
    assert not set(new) & statements_of(store, session)  # only the prompts' questions or brief, if anything


def test_a_late_answer_after_the_close_is_embedded_alone_and_the_report_refreshed(store, session, encoder, worker):
    sales, marketing = people(store, session)
    store.save_answer(sales.token, "objections", "Security review takes months")
    store.save_answer(marketing.token, "objections", "Price per seat")
    store.set_collection_open(session.id, False)
    worker.watch(store)
    wait(lambda: analysis.session_report(store, session) is not None and not analysis.is_stale(store, session))
    first = analysis.session_report(store, session)
    before = len(encoder.embedded())
    # Reopened for a latecomer, who answers; closed again.
    store.set_collection_open(session.id, True)
    late = store.join(session.id, "Lee", "sales")
    store.save_answer(late.token, "objections", "Procurement wants three quotes")
    store.set_collection_open(session.id, False)
    wait(lambda: not analysis.is_stale(store, session))
    assert encoder.embedded()[before:] == ["Procurement wants three quotes"]
    assert analysis.session_report(store, session).to_dict() != first.to_dict()


def test_a_restarted_server_does_not_embed_the_session_again(store, session, encoder, worker, db_path):
    from workshop.store import Store

    sales, marketing = people(store, session)
    store.save_answer(sales.token, "trigger", "New CFO wants a rolling forecast")
    store.save_answer(marketing.token, "trigger", "Month-end close takes too long")
    worker.watch(store)
    wait(lambda: statements_of(store, session) <= set(encoder.memory))
    # A new process: an empty in-memory cache, the same file.
    restarted = CountingEncoder()
    reopened = Store(db_path)
    stored = embedding_model.StoredEncoder(restarted, reopened, session.id)
    vectors = stored.encode(sorted(statements_of(store, session)))
    assert restarted.embedded() == []  # all from the file
    assert vectors.shape == (2, 64)


def test_deleting_a_session_deletes_its_vectors(store, session, encoder):
    stored = embedding_model.StoredEncoder(encoder, store, session.id)
    stored.encode(["A point"])
    assert embedding_model.stored_vectors(store, session.id, "toy", ["A point"])
    store.delete_session(session.id)
    with store._db() as db:
        assert db.conn.execute("SELECT count(*) FROM vectors").fetchone()[0] == 0


def test_vectors_of_drafts_typed_over_are_dropped_after_the_analysis(store, session, encoder, worker):
    sales, marketing = people(store, session)
    worker.watch(store)
    store.save_answer(sales.token, "trigger", "New CF")  # a draft, saved while typing
    wait(lambda: "New CF" in encoder.memory)
    store.save_answer(sales.token, "trigger", "New CFO wants a rolling forecast")
    store.save_answer(marketing.token, "trigger", "Month-end close")
    store.set_collection_open(session.id, False)
    wait(lambda: analysis.session_report(store, session) is not None and not analysis.is_stale(store, session))
    assert not embedding_model.stored_vectors(store, session.id, "toy", ["New CF"])
    assert embedding_model.stored_vectors(store, session.id, "toy", ["New CFO wants a rolling forecast"])


def test_without_preloading_nothing_runs_until_an_analysis_is_asked_for(store, session, encoder, monkeypatch):
    w = background.Worker(ahead=False, poll=0.05)
    monkeypatch.setattr(background, "_worker", w)
    try:
        sales, marketing = people(store, session)
        store.save_answer(sales.token, "trigger", "New CFO")
        store.save_answer(marketing.token, "trigger", "Month-end close")
        store.set_collection_open(session.id, False)
        w.watch(store)
        time.sleep(0.5)
        assert encoder.calls == [] and analysis.session_report(store, session) is None
        status = analysis.ensure_report(store, store.get_session(session.id))
        assert status.state == analysis.RUNNING
        wait(lambda: analysis.ensure_report(store, store.get_session(session.id)).ready)
    finally:
        w.stop()


def test_two_sessions_closing_at_once_are_both_analysed(store, encoder, worker):
    sessions = [store.create_session(f"Session {n}") for n in range(2)]
    for s in sessions:
        sales, marketing = people(store, s)
        store.save_answer(sales.token, "trigger", f"Trigger {s.title}")
        store.save_answer(marketing.token, "trigger", "Month-end close")
        store.set_collection_open(s.id, False)
    for s in sessions:
        analysis.ensure_report(store, store.get_session(s.id))
    wait(lambda: all(analysis.ensure_report(store, store.get_session(s.id)).ready for s in sessions))


def test_a_failed_analysis_says_why_and_is_not_retried_until_asked(store, session, monkeypatch, worker):
    runs = []

    def broken(*args, **kwargs):
        runs.append(1)
        raise analysis.ModelUnavailable("the model package is not installed")

    monkeypatch.setattr(analysis, "run_analysis", broken)
    sales, marketing = people(store, session)
    store.save_answer(sales.token, "trigger", "New CFO")
    store.set_collection_open(session.id, False)
    session = store.get_session(session.id)
    analysis.ensure_report(store, session)
    wait(lambda: analysis.ensure_report(store, session).state == analysis.FAILED)
    status = analysis.ensure_report(store, session)
    assert "not installed" in status.message
    time.sleep(0.3)
    assert len(runs) == 1
    analysis.retry(store, session)
    wait(lambda: len(runs) == 2)
