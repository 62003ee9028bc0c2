import numpy as np
import pytest

from embeddings.similarity import average_linkage, centered, cosine_matrix, neighbour_mix, plane


def test_average_linkage_groups_close_points_and_respects_cannot_link():
    sim = np.array([
        [1.0, 0.9, 0.1, 0.1],
        [0.9, 1.0, 0.1, 0.1],
        [0.1, 0.1, 1.0, 0.8],
        [0.1, 0.1, 0.8, 1.0],
    ])
    assert average_linkage(sim, 0.5).tolist() == [0, 0, 1, 1]
    blocked = np.zeros((4, 4), dtype=bool)
    blocked[2, 3] = blocked[3, 2] = True
    assert average_linkage(sim, 0.5, cannot_link=blocked).tolist() == [0, 0, 1, 2]
    assert average_linkage(sim, 0.95).tolist() == [0, 1, 2, 3]


def test_average_linkage_continues_from_start_groups():
    sim = np.array([
        [1.0, 0.9, 0.6, 0.0],
        [0.9, 1.0, 0.2, 0.0],
        [0.6, 0.2, 1.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
    ])
    # mean(0.6, 0.2) = 0.4 < 0.5: the group {0, 1} does not take 2.
    assert average_linkage(sim, 0.5, start=np.array([0, 0, 1, 2])).tolist() == [0, 0, 1, 2]
    assert average_linkage(sim, 0.35, start=np.array([0, 0, 1, 2])).tolist() == [0, 0, 0, 1]


def test_neighbour_mix_is_one_when_sides_interleave_and_zero_when_apart():
    sides = np.array(["s", "s", "m", "m"])
    people = np.array(["a", "b", "c", "d"])
    apart = np.array([
        [1.0, 0.9, 0.1, 0.1],
        [0.9, 1.0, 0.1, 0.1],
        [0.1, 0.1, 1.0, 0.9],
        [0.1, 0.1, 0.9, 1.0],
    ])
    mixed = apart[[0, 2, 1, 3]][:, [0, 2, 1, 3]]
    assert neighbour_mix(apart, sides, people, 1).tolist() == [0, 0, 0, 0]
    assert neighbour_mix(mixed, sides, people, 1).tolist() == [1, 1, 1, 1]


def test_plane_is_deterministic_and_sign_stable():
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(12, 8))
    first = plane(vectors)
    assert first.shape == (12, 2)
    assert np.array_equal(first, plane(vectors.copy()))
    assert np.abs(first).max() <= 1.0
    assert plane(np.zeros((0, 8))).shape == (0, 2)
    assert plane(vectors[:1]).tolist() == [[0.0, 0.0]]


def test_centered_rows_are_unit_length():
    rng = np.random.default_rng(2)
    rows = centered(rng.normal(size=(6, 5)))
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0)
    assert cosine_matrix(rows).shape == (6, 6)


def test_one_sided_group_with_two_points_is_split():
    from embeddings.params import with_params
    from embeddings.themes import refine_one_sided

    # Four sales people: a/b make one point, c/d another; all loosely alike.
    sim = np.array([
        [1.0, 0.8, 0.3, 0.3],
        [0.8, 1.0, 0.3, 0.3],
        [0.3, 0.3, 1.0, 0.8],
        [0.3, 0.3, 0.8, 1.0],
    ])
    functions = np.array(["sales"] * 4)
    people = np.array(["a", "b", "c", "d"])
    params = with_params(split_margin=0.1)
    labels = refine_one_sided(np.zeros(4, dtype=int), sim, functions, people, params)
    assert labels[0] == labels[1] and labels[2] == labels[3] and labels[0] != labels[2]
    # A mixed group (both functions) is left alone: it is a shared theme.
    mixed = refine_one_sided(np.zeros(4, dtype=int), sim, np.array(["sales", "marketing"] * 2), people, params)
    assert mixed.tolist() == [0, 0, 0, 0]
    # Off, nothing is cut.
    assert refine_one_sided(np.zeros(4, dtype=int), sim, functions, people,
                            with_params(split_margin=None)).tolist() == [0, 0, 0, 0]


def test_a_group_of_one_point_stays_whole_however_alike_its_statements_are():
    from embeddings.params import with_params
    from embeddings.themes import refine_one_sided

    rng = np.random.default_rng(5)
    for level in (0.25, 0.5, 0.8):
        # One point in five wordings: similarities vary a little around one level.
        noise = rng.uniform(-0.03, 0.03, size=(5, 5))
        sim = np.clip(level + (noise + noise.T) / 2, -1, 1)
        np.fill_diagonal(sim, 1.0)
        labels = refine_one_sided(np.zeros(5, dtype=int), sim, np.array(["sales"] * 5),
                                  np.array(list("abcde")), with_params(split_margin=0.1))
        assert labels.tolist() == [0] * 5


def test_the_cut_is_relative_so_two_points_split_on_a_tight_or_loose_scale():
    from embeddings.params import with_params
    from embeddings.themes import refine_one_sided

    # Two points of three people each, seen by a model whose similarities are
    # all high (0.7 across the points, 0.85 inside) or all low (0.15 vs 0.3).
    for across, inside in ((0.7, 0.85), (0.15, 0.3)):
        sim = np.full((6, 6), across)
        sim[:3, :3] = inside
        sim[3:, 3:] = inside
        np.fill_diagonal(sim, 1.0)
        order = np.array([0, 3, 1, 4, 2, 5])  # interleaved, so the cut is not simply first/second half
        sim = sim[np.ix_(order, order)]
        labels = refine_one_sided(np.zeros(6, dtype=int), sim, np.array(["sales"] * 6),
                                  np.array(list("abcdef")), with_params(split_margin=0.1))
        assert labels[[0, 2, 4]].tolist() == [labels[0]] * 3
        assert labels[[1, 3, 5]].tolist() == [labels[1]] * 3
        assert labels[0] != labels[1]


def test_two_way_split_keeps_both_halves_large_enough_and_refuses_what_it_cannot_cut():
    from embeddings.themes import MAX_SPLIT, two_way_split

    # d is unlike everybody: the best cut with halves of 2+ is still {a,b} | {c,d}.
    sim = np.array([
        [1.0, 0.9, 0.2, 0.0],
        [0.9, 1.0, 0.2, 0.0],
        [0.2, 0.2, 1.0, 0.0],
        [0.0, 0.0, 0.0, 1.0],
    ])
    halves, margin = two_way_split(sim, smallest=2)
    assert halves.tolist() in ([False, False, True, True], [True, True, False, False])
    assert margin == pytest.approx((0.9 + 0.0) / 2 - (0.2 + 0.2) / 4)
    assert two_way_split(sim[:3, :3], smallest=2) == (None, float("-inf"))
    big = np.eye(MAX_SPLIT + 1)
    assert two_way_split(big, smallest=2) == (None, float("-inf"))


def test_pairing_joins_only_mutual_best_groups_of_different_functions():
    from embeddings.themes import pair_across_functions

    sim = np.array([
        [1.0, 0.5, 0.1, 0.0],
        [0.5, 1.0, 0.2, 0.0],
        [0.1, 0.2, 1.0, 0.1],
        [0.0, 0.0, 0.1, 1.0],
    ])
    functions = np.array(["sales", "marketing", "sales", "marketing"])
    labels = pair_across_functions(np.arange(4), sim, functions, threshold=0.3)
    assert labels.tolist() == [0, 0, 1, 2]  # 3 prefers 2, but 2 prefers 1: not mutual
    assert pair_across_functions(np.arange(4), sim, functions, threshold=0.6).tolist() == [0, 1, 2, 3]


def test_lexical_similarity_counts_shared_content_words_only():
    from embeddings.similarity import lexical_similarity

    texts = [
        "the EPR fees are landing in Oregon",
        "a new EPR law, brand owners pay per ton",
        "it is what it is",
        "and the other one is there",
    ]
    lexical = lexical_similarity(texts)
    assert lexical.shape == (4, 4)
    assert np.allclose(np.diag(lexical), 1.0)
    assert lexical[0, 1] > 0.1  # "epr" is shared
    assert lexical[0, 2] == 0.0 and lexical[2, 3] == 0.0  # only stop words in common
    assert np.array_equal(lexical, lexical.T)
    assert np.array_equal(lexical, lexical_similarity(list(texts)))
    # A word left out (another function's vocabulary) no longer links the two.
    assert lexical_similarity(texts, exclude=frozenset({"epr"}))[0, 1] == 0.0
    assert lexical_similarity([]).shape == (0, 0)
    assert lexical_similarity(["the", "and"]).tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_shared_words_are_the_words_more_than_one_function_uses():
    from embeddings.themes import shared_words

    texts = ["surprise bill at month end", "the showback bill gets disputed", "chargeback fights"]
    functions = np.array(["marketing", "sales", "sales"])
    assert shared_words(texts, functions) == frozenset({"bill"})


def test_shared_specific_word_splits_two_points_of_one_side_that_embeddings_cannot_tell_apart():
    from embeddings.params import with_params
    from embeddings.themes import shared_words, themes_partition
    from embeddings.similarity import lexical_similarity

    # Four sales points on one topic: the embedding finds them all equally
    # alike; two name producer-responsibility law, two the retailer's
    # scorecard, each pair sharing one specific word.
    texts = [
        "EPR fees landing in three states",
        "the EPR law passed, finance saw the per-ton cost",
        "Walmart scorecard: recyclable or lose the facing",
        "their buyer sent the scorecard with a date",
        "new product launch",
        "rebrand of the line",
    ]
    functions = np.array(["sales"] * 4 + ["marketing"] * 2)
    people = np.array(["a", "b", "c", "d", "e", "f"])
    lexical = lexical_similarity(texts, shared_words(texts, functions))
    # The shared words lift each pair by about 0.07 over the other pair: a cut
    # with a margin of 0.05 sees it.
    params = with_params(cluster_at=0.2, lexical_weight=0.5, split_margin=0.05)
    for alike, lumped in ((0.15, False), (0.25, True)):
        similarity = np.full((6, 6), alike)
        np.fill_diagonal(similarity, 1.0)
        plain = themes_partition(similarity, functions, people, params)
        # Embeddings alone: four lone points, or one group lumping both points.
        assert len(set(plain[:4].tolist())) == (1 if lumped else 4)
        hybrid = themes_partition(similarity, functions, people, params, similarity + 0.5 * lexical)
        assert hybrid[0] == hybrid[1] and hybrid[2] == hybrid[3] and hybrid[0] != hybrid[2]
        assert not set(hybrid[4:].tolist()) & set(hybrid[:4].tolist())  # marketing's points stay apart


def test_a_one_sided_group_is_not_pulled_into_a_loose_shared_group_on_a_divergent_prompt():
    from embeddings.params import with_params
    from embeddings.themes import themes_partition

    # Sales a/b make one point; marketing's m is loosely like it on average
    # (0.45 >= shared_at) but nowhere close (0.5 < other_side_below).
    similarity = np.array([
        [1.0, 0.8, 0.45],
        [0.8, 1.0, 0.45],
        [0.45, 0.45, 1.0],
    ])
    functions = np.array(["sales", "sales", "marketing"])
    people = np.array(["a", "b", "m"])
    params = with_params(cluster_at=0.2, shared_at=0.4, other_side_below=0.6, lexical_weight=0.0)
    assert themes_partition(similarity, functions, people, params).tolist() == [0, 0, 0]
    assert themes_partition(similarity, functions, people, params, protect_one_sided=True).tolist() == [0, 0, 1]
    # A group close to the other side (0.7 >= other_side_below) still joins it.
    close = similarity.copy()
    close[0, 2] = close[2, 0] = 0.7
    assert themes_partition(close, functions, people, params, protect_one_sided=True).tolist() == [0, 0, 0]
