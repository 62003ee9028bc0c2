"""The app-facing runner: stored report, staleness, model failures (toy encoder, no model)."""

import hashlib

import numpy as np
import pytest

from embeddings.report import Report
from workshop import analysis


class ToyEncoder:
    name = "toy"

    def __init__(self):
        self.calls = []

    def encode(self, texts):
        self.calls.append(list(texts))
        out = np.zeros((len(texts), 32), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 32] += 1.0
            out[row] /= max(np.linalg.norm(out[row]), 1e-9)
        return out


class BrokenEncoder:
    name = "broken"

    def encode(self, texts):
        raise analysis.ModelUnavailable("The embedding model 'x' could not be loaded: OSError")


def fill(store, session):
    for name, function, text in [("ana", "sales", "new CFO\naudit findings"), ("ben", "sales", "audit again"),
                                 ("dee", "marketing", "audit pressure"), ("eve", "marketing", "new finance lead")]:
        person = store.add_participant(session.id, name, function)
        store.save_answer(person.token, "trigger", text)


def test_no_report_before_the_first_run(store, session):
    assert analysis.session_report(store, session) is None
    assert analysis.is_stale(store, session)


def test_run_stores_the_report_and_it_reads_back(store, session):
    fill(store, session)
    seen = []
    report = analysis.run_analysis(store, session, encoder=ToyEncoder(), progress=lambda f, m: seen.append(f))
    assert isinstance(report, Report)
    assert [d.key for d in report.dimensions] == session.dimension_keys
    assert analysis.session_report(store, session).to_dict() == report.to_dict()
    assert not analysis.is_stale(store, session)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)


def test_new_answer_or_brief_makes_the_report_stale(store, session):
    fill(store, session)
    analysis.run_analysis(store, session, encoder=ToyEncoder())
    person = store.add_participant(session.id, "fay", "marketing")
    store.save_answer(person.token, "fears", "a failed rollout")
    assert analysis.is_stale(store, session)
    analysis.run_analysis(store, session, encoder=ToyEncoder())
    assert not analysis.is_stale(store, session)
    session.brief = "A new brief."
    assert analysis.is_stale(store, session)


def test_model_unavailable_propagates_and_keeps_the_old_report(store, session):
    fill(store, session)
    old = analysis.run_analysis(store, session, encoder=ToyEncoder())
    with pytest.raises(analysis.ModelUnavailable):
        analysis.run_analysis(store, session, encoder=BrokenEncoder())
    assert analysis.session_report(store, session).to_dict() == old.to_dict()


def test_fingerprint_ignores_answer_order(store, session):
    fill(store, session)
    answers = store.answers(session.id)
    assert analysis.fingerprint(answers, "b") == analysis.fingerprint(list(reversed(answers)), "b")
    assert analysis.fingerprint(answers, "b") != analysis.fingerprint(answers[1:], "b")


def test_get_encoder_is_one_per_process():
    assert analysis.get_encoder() is analysis.get_encoder()
