"""A statement pooled without chosen words, from the token vectors of one model pass."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.word_pooling import from_tokens, pooled_without


def unit(v):
    return v / np.linalg.norm(v)


# "AWS bill shock" as a WordPiece model sees it: <s> aw ##s bill shock </s>
TEXT = "AWS bill shock"
OFFSETS = [(0, 0), (0, 2), (2, 3), (4, 8), (9, 14), (0, 0)]
TOKENS = np.arange(1, 6 * 4 + 1, dtype=np.float32).reshape(6, 4)


def test_tokens_are_summed_per_content_word_and_special_tokens_only_count_in_the_total():
    words = from_tokens(TEXT, TOKENS, OFFSETS)
    assert words.words == ("aws", "bill", "shock")
    assert words.counts.tolist() == [2, 1, 1]  # "aws" is two word pieces
    assert np.allclose(words.sums[0], TOKENS[1] + TOKENS[2], atol=0.01)
    assert np.allclose(words.sums[1], TOKENS[3], atol=0.01)
    assert np.allclose(words.total, TOKENS.sum(axis=0))
    assert words.total_count == 6


def test_pooling_without_nothing_is_the_mean_pooled_statement():
    words = from_tokens(TEXT, TOKENS, OFFSETS)
    assert np.allclose(pooled_without(words, frozenset()), unit(TOKENS.mean(axis=0)), atol=1e-4)


def test_pooling_without_a_word_drops_all_of_its_tokens():
    words = from_tokens(TEXT, TOKENS, OFFSETS)
    kept = TOKENS[[0, 3, 4, 5]]
    assert np.allclose(pooled_without(words, frozenset({"aws"})), unit(kept.mean(axis=0)), atol=1e-3)


def test_a_statement_made_only_of_left_out_words_is_kept_whole():
    words = from_tokens("bill", np.ones((1, 4), dtype=np.float32), [(0, 4)])
    assert np.allclose(pooled_without(words, frozenset({"bill"})), unit(np.ones(4)))


def test_stop_words_and_punctuation_are_not_words_to_leave_out():
    text = "the bill, again"
    offsets = [(0, 3), (4, 8), (8, 9), (10, 15)]
    words = from_tokens(text, np.eye(4, dtype=np.float32), offsets)
    assert words.words == ("bill",)


def test_positions_hold_when_lower_case_changes_the_length_of_the_text():
    text = "İstanbul office"  # "İ".lower() is two characters
    offsets = [(0, 8), (9, 15)]
    words = from_tokens(text, np.eye(2, dtype=np.float32), offsets)
    assert set(words.words) == {"i̇stanbul", "office"}
    assert np.allclose(words.sums[words.words.index("office")], [0, 1])


@pytest.mark.model
def test_the_models_own_tokens_rebuild_its_vector_and_leaving_a_word_out_moves_towards_the_text_without_it(minilm):
    text = "the showback bill goes to a BU head who disputes every line"
    without_bill = "the showback goes to a BU head who disputes every line"
    [vector] = minilm.encode([text])
    [words] = minilm.word_vectors([text])
    assert float(pooled_without(words, frozenset()) @ vector) > 0.999
    [shorter] = minilm.encode([without_bill])
    pooled = pooled_without(words, frozenset({"bill"}))
    assert float(pooled @ shorter) > float(vector @ shorter)


def test_the_verdict_compares_statements_also_without_the_words_both_functions_use():
    from embeddings.divergence import _Item, verdict_vectors, with_params
    from embeddings.similarity import cosine_matrix

    bill, shock, dispute, chargeback = np.eye(4, dtype=np.float32) * 3
    rows = [  # (function, text, token vectors)
        ("marketing", "bill shock", [bill, shock]),
        ("sales", "bill dispute", [bill, dispute]),
        ("sales", "chargeback dispute", [chargeback, dispute]),
    ]
    items = [_Item(f"p{n}", function, text) for n, (function, text, _) in enumerate(rows)]
    functions = np.array([function for function, _, _ in rows])
    words = [from_tokens(text, np.stack(tokens), [(0, text.index(" ")), (text.index(" ") + 1, len(text))])
             for _, text, tokens in rows]
    vectors = np.stack([unit(np.mean(tokens, axis=0)) for _, _, tokens in rows])
    raw = cosine_matrix(vectors)
    verdict = cosine_matrix(verdict_vectors(items, functions, vectors, words, with_params(without_shared_weight=0.5)))
    # "bill" is used by both functions: the two bill statements now match less...
    assert verdict[0, 1] < raw[0, 1] - 0.1
    # ...while "dispute", used by sales only, still joins the two sales statements as much as before.
    assert verdict[1, 2] >= raw[1, 2] - 1e-6
    # Off, or without word vectors, the verdict compares the plain vectors.
    assert np.array_equal(verdict_vectors(items, functions, vectors, words, with_params(without_shared_weight=0.0)),
                          vectors)
    assert np.array_equal(verdict_vectors(items, functions, vectors, None), vectors)
