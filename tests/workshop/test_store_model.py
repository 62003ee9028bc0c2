"""The store against a plain-dict model: any sequence of joins, saves, clears,
closing and reopening leaves each participant with exactly their own answers,
and the lobby's counts match.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from workshop.models import DIMENSIONS, MAX_ANSWER_CHARS
from workshop.store import CollectionClosed, Store, StoreError
from workshop.text import clean as text_clean

texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "   ", "<b>x</b>", "a\r\nb", "😀 שלום 価格", "x" * (MAX_ANSWER_CHARS + 1)]),
)


class StoreModel(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.dir = tempfile.mkdtemp()
        self.store = Store(Path(self.dir) / "model.db")
        self.session = self.store.create_session("Model")
        self.open = True
        self.people: list[tuple[str, str]] = []  # (token, function)
        self.answers: dict[str, dict[str, str]] = {}

    def teardown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    @rule(name=st.text(min_size=1, max_size=10), function=st.sampled_from(["sales", "marketing"]))
    def join(self, name, function):
        try:
            p = self.store.join(self.session.id, name, function)
        except CollectionClosed:
            assert not self.open
            return
        except StoreError:
            assert all(unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp") for ch in name)
            return
        assert self.open
        self.people.append((p.token, function))
        self.answers[p.token] = {}

    @precondition(lambda self: self.people)
    @rule(who=st.integers(min_value=0), dimension=st.sampled_from(DIMENSIONS), text=texts)
    def save(self, who, dimension, text):
        token = self.people[who % len(self.people)][0]
        clean = text_clean(text).strip()  # control characters and bidi overrides dropped
        if all(unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp") for ch in clean):
            clean = ""  # nothing visible was said
        try:
            self.store.save_answer(token, dimension, text)
        except CollectionClosed:
            assert not self.open
            return
        except StoreError:
            assert len(clean) > MAX_ANSWER_CHARS
            return
        assert self.open and len(clean) <= MAX_ANSWER_CHARS
        if clean:
            self.answers[token][dimension] = clean
        else:
            self.answers[token].pop(dimension, None)

    @rule(is_open=st.booleans())
    def set_open(self, is_open):
        self.store.set_collection_open(self.session.id, is_open)
        self.open = is_open

    @invariant()
    def everyone_has_exactly_their_own_answers(self):
        for token, _ in self.people:
            assert self.store.own_answers(token) == self.answers[token]

    @invariant()
    def the_lobby_counts_match(self):
        progress = self.store.progress(self.session.id)
        assert progress.total_joined == len(self.people)
        for function in ("sales", "marketing"):
            assert progress.joined[function] == sum(f == function for _, f in self.people)
        for dimension in DIMENSIONS:
            assert progress.answered[dimension] == sum(
                dimension in a for a in self.answers.values())


StoreModel.TestCase.settings = settings(max_examples=15, stateful_step_count=20, deadline=None)
test_store_matches_the_model = StoreModel.TestCase
