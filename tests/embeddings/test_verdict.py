"""The verdict's score and strength (issue 11): same meaning at every group size, and honest about thin evidence."""

import numpy as np
import pytest

from embeddings.params import DEFAULT_PARAMS, with_params
from embeddings.report import CLEAR, LEANING, THIN
from embeddings.verdict import CUT, alignment, own_vocabulary, rescale, strength


def test_rescale_puts_the_cut_at_one_half():
    assert rescale(0.6, cut=0.6) == pytest.approx(0.5)
    assert rescale(0.0, cut=0.6) == 0.0
    assert rescale(1.0, cut=0.6) == 1.0
    assert rescale(0.3, cut=0.6) == pytest.approx(0.25)
    assert rescale(0.9, cut=0.3, top=0.6) == 1.0  # capped


def _points(groups):
    """Unit vectors: statements of one point share an axis (plus a little of a common one)."""
    rows, functions, people = [], [], []
    for axis, who in groups:
        for person, function in who:
            vector = np.zeros(8)
            vector[axis] = 1.0
            vector[7] = 0.3
            rows.append(vector / np.linalg.norm(vector))
            functions.append(function)
            people.append(person)
    return np.array(rows), np.array(functions), np.array(people)


S, M = "sales", "marketing"


@pytest.mark.parametrize("per_side", [2, 3])
def test_aligned_points_score_above_the_cut_at_any_size(per_side):
    sales = [(f"s{i}", S) for i in range(per_side)]
    marketing = [(f"m{i}", M) for i in range(per_side)]
    # Every point is named by one seller and one marketer.
    groups = [(axis, [sales[axis % per_side], marketing[axis % per_side]]) for axis in range(per_side)]
    vectors, functions, people = _points(groups)
    brief = vectors[functions == M]
    score, signals = alignment(vectors, functions, people, brief, DEFAULT_PARAMS)
    assert score >= CUT, signals


@pytest.mark.parametrize("per_side", [2, 3])
def test_different_points_score_below_the_cut_at_any_size(per_side):
    sales = [(f"s{i}", S) for i in range(per_side)]
    marketing = [(f"m{i}", M) for i in range(per_side)]
    # Sellers share points 0-2, marketers (and the brief) points 3-5.
    groups = [(axis, sales) for axis in range(3)] + [(3 + axis, marketing) for axis in range(3)]
    vectors, functions, people = _points(groups)
    brief = vectors[functions == M][:3]
    score, signals = alignment(vectors, functions, people, brief, DEFAULT_PARAMS)
    assert score < CUT, signals
    assert signals["cover"] < CUT  # sales comes nowhere near the brief


def test_divergent_when_sales_is_far_from_the_brief():
    # Sellers and marketers mix, but sales says nothing the brief says: the cover signal decides.
    sales = [("s0", S), ("s1", S)]
    marketing = [("m0", M), ("m1", M)]
    vectors, functions, people = _points([(0, sales + marketing[:1]), (1, sales + marketing[1:])])
    brief = np.eye(8)[[5, 6]]
    score, signals = alignment(vectors, functions, people, brief, DEFAULT_PARAMS)
    assert signals["cover"] == 0.0 and score == 0.0


def test_without_a_brief_only_the_mix_counts():
    sales = [("s0", S), ("s1", S), ("s2", S)]
    marketing = [("m0", M), ("m1", M), ("m2", M)]
    vectors, functions, people = _points([(0, sales), (1, sales), (2, marketing), (3, marketing)])
    score, signals = alignment(vectors, functions, people, None, DEFAULT_PARAMS)
    assert set(signals) == {"mix"} and score < CUT


def test_the_score_is_deterministic():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(10, 16))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    functions = np.array([S] * 5 + [M] * 5)
    people = np.array([f"p{i // 2}" for i in range(10)])
    first = alignment(vectors, functions, people, vectors[7:], DEFAULT_PARAMS)
    assert alignment(vectors, functions, people, vectors[7:], DEFAULT_PARAMS) == first


def test_strength_needs_people_and_margin():
    params = with_params(clear_people=3, clear_margin=0.15)
    assert strength(0.1, {S: 3, M: 4}, {S: 6, M: 8}, params) == CLEAR
    assert strength(0.9, {S: 3, M: 3}, {S: 6, M: 6}, params) == CLEAR
    assert strength(0.45, {S: 5, M: 5}, {S: 9, M: 9}, params) == LEANING  # close to the cut
    assert strength(0.05, {S: 2, M: 5}, {S: 5, M: 9}, params) == LEANING  # two sellers are never clear
    assert strength(0.05, {S: 1, M: 5}, {S: 3, M: 9}, params) == THIN
    assert strength(0.05, {S: 2, M: 2}, {S: 1, M: 4}, params) == THIN  # one sales statement


def test_own_vocabulary_counts_words_of_sellers_only():
    texts = ["punchout by Q3 or we lose them", "they need punchout into Coupa", "ERP migration",
             "self-service ordering", "order online like at home"]
    functions = np.array([S, S, S, M, M])
    people = np.array(["s0", "s1", "s2", "m0", "m1"])
    # "punchout" is two sellers' word and nobody else's; "ERP" is one seller's.
    assert own_vocabulary(texts, functions, people) == pytest.approx(2 / 3)
    # The brief's words are marketing's record too.
    assert own_vocabulary(texts, functions, people, ["Punchout catalogs for procurement"]) == 0.0
    # A word marketing also uses is the prompt's vocabulary, not a side's own.
    assert own_vocabulary(texts[:3] + ["punchout is a feature"], functions[:4], people[:4]) == 0.0


def _mixed(per_side):
    """Sellers and marketers on the same points, the brief beside them: aligned by the embeddings."""
    sales = [(f"s{i}", S) for i in range(per_side)]
    marketing = [(f"m{i}", M) for i in range(per_side)]
    groups = [(axis, [sales[axis % per_side], marketing[axis % per_side]]) for axis in range(per_side)]
    return _points(groups)


def test_own_vocabulary_tips_a_prompt_just_above_the_cut_with_three_per_side():
    vectors, functions, people = _mixed(3)
    brief = vectors[functions == M]
    texts = ["ERP cutover " + str(i) if f == S else "modern ordering " + str(i) for i, f in enumerate(functions)]
    plain, _ = alignment(vectors, functions, people, brief, DEFAULT_PARAMS)
    params = with_params(vocabulary_share=0.7, vocabulary_penalty=plain - CUT + 0.01, vocabulary_people=3)
    score, signals = alignment(vectors, functions, people, brief, params, texts=texts)
    assert signals["vocabulary"] == 1.0 and score < CUT <= plain
    # Without the words, or off, nothing changes.
    assert alignment(vectors, functions, people, brief, params)[0] == plain
    assert alignment(vectors, functions, people, brief, with_params(vocabulary_share=None), texts=texts)[0] == plain


def test_own_vocabulary_needs_enough_people():
    vectors, functions, people = _mixed(2)
    brief = vectors[functions == M]
    texts = ["ERP cutover " + str(i) if f == S else "modern ordering " + str(i) for i, f in enumerate(functions)]
    plain, _ = alignment(vectors, functions, people, brief, DEFAULT_PARAMS)
    params = with_params(vocabulary_share=0.7, vocabulary_penalty=0.5, vocabulary_people=3)
    assert alignment(vectors, functions, people, brief, params, texts=texts)[0] == plain  # two sellers share words by chance
