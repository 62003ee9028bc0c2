"""Small pure functions on statement embeddings (NumPy arrays in and out)."""

from __future__ import annotations

import functools
import re

import numpy as np

# Similarities are rounded so that float noise (a vector embedded in another
# batch) cannot flip a threshold between two runs on the same input.
DECIMALS = 4


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def centered(vectors: np.ndarray, weight: float = 1.0) -> np.ndarray:
    """Unit rows after removing the mean of the prompt's statements.

    Every answer to one prompt shares the prompt's topic ("the buyer fears...");
    removing that common part leaves what tells the points apart, so cosine
    similarity compares points rather than topics.
    `weight` < 1 removes only part of the mean: with few statements the mean
    is mostly made of those statements themselves.
    """
    if len(vectors) < 3:
        return unit_rows(vectors)
    return unit_rows(vectors - weight * vectors.mean(axis=0, keepdims=True))


def cosine_matrix(a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    b = a if b is None else b
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)), dtype=np.float64)
    return np.round(unit_rows(a) @ unit_rows(b).T, DECIMALS).astype(np.float64)


def average_linkage(similarity: np.ndarray, threshold: float, cannot_link: np.ndarray | None = None,
                    start: np.ndarray | None = None) -> np.ndarray:
    """Cluster labels (0..k-1, numbered by first member) by average linkage.

    Two groups merge while their mean pairwise similarity is at least
    `threshold`. `cannot_link[i, j]` forbids a group that holds both i and j
    (two points of one person's answer are two points, not one theme).
    `start`: labels of groups to start from (a previous clustering).
    Deterministic: ties go to the lowest indices.
    """
    n = len(similarity)
    if n == 0:
        return np.zeros(0, dtype=int)
    blocked_items = np.zeros((n, n), dtype=bool) if cannot_link is None else cannot_link
    start = np.arange(n) if start is None else np.asarray(start)
    groups = [np.flatnonzero(start == g) for g in sorted(set(start.tolist()))]
    membership = np.zeros((n, len(groups)))
    for g, idx in enumerate(groups):
        membership[idx, g] = 1.0
    items, n = n, len(groups)
    sums = membership.T @ similarity.astype(np.float64) @ membership  # summed similarity between groups
    sizes = membership.sum(axis=0)
    blocked = (membership.T @ blocked_items.astype(np.float64) @ membership) > 0
    np.fill_diagonal(blocked, True)
    mean = np.where(blocked, -np.inf, sums / np.outer(sizes, sizes))
    members = {g: [int(i) for i in idx] for g, idx in enumerate(groups)}
    # Each merge updates one row and column: O(n^2) per merge for the argmax only.
    while members:
        flat = int(np.argmax(mean))
        i, j = divmod(flat, n)
        if not mean[i, j] >= threshold:
            break
        i, j = min(i, j), max(i, j)
        sums[i, :] += sums[j, :]
        sums[:, i] = sums[i, :]
        sizes[i] += sizes[j]
        blocked[i, :] |= blocked[j, :]
        blocked[:, i] = blocked[i, :]
        blocked[j, :] = True
        blocked[:, j] = True
        row = np.where(blocked[i], -np.inf, sums[i] / (sizes[i] * sizes))
        mean[i, :] = row
        mean[:, i] = row
        mean[j, :] = -np.inf
        mean[:, j] = -np.inf
        members[i].extend(members.pop(j))
    labels = np.empty(items, dtype=int)
    for number, group in enumerate(sorted(members.values(), key=min)):
        labels[group] = number
    return labels


def neighbour_mix(similarity: np.ndarray, sides: np.ndarray, people: np.ndarray, k: int) -> np.ndarray:
    """Per statement: how often its k nearest statements come from the other side.

    Only other people's statements count as neighbours. The share is divided
    by what a random draw would give (the other side's share of those
    neighbours) and capped at 1, so 1 means "as mixed as chance", 0 means the
    nearest points all come from the own side. Relative ranks, not absolute
    similarities, so the measure does not depend on how loose a model's
    similarity scale is.
    """
    n = len(similarity)
    if n == 0:
        return np.zeros(0)
    own_person = people[:, None] == people[None, :]
    other_side = sides[:, None] != sides[None, :]
    candidates = (~own_person).sum(axis=1)
    expected = (other_side & ~own_person).sum(axis=1) / np.maximum(candidates, 1)
    # Stable sort on the negated similarity: ties go to the lower index.
    ranked = np.argsort(np.where(own_person, np.inf, -similarity), axis=1, kind="stable")
    take = np.minimum(k, candidates)
    nearest = ranked[:, : max(int(take.max()), 1)]
    hits = np.take_along_axis(other_side, nearest, axis=1)
    within = np.arange(nearest.shape[1])[None, :] < take[:, None]
    observed = (hits & within).sum(axis=1) / np.maximum(take, 1)
    result = np.where(expected > 0, np.minimum(1.0, observed / np.where(expected > 0, expected, 1.0)), 0.0)
    return np.where(candidates > 0, result, 0.0)


def plane(vectors: np.ndarray) -> np.ndarray:
    """2-D coordinates (PCA) for the semantic map; signs fixed, so deterministic."""
    n = len(vectors)
    if n == 0:
        return np.zeros((0, 2))
    x = vectors - vectors.mean(axis=0, keepdims=True)
    if n == 1 or not np.any(x):
        return np.zeros((n, 2))
    # The two leading principal axes from the small n x n Gram matrix (n
    # statements of one prompt, far fewer than the embedding's dimensions).
    gram = x @ x.T
    values, vectors_ = np.linalg.eigh(gram)
    top = np.argsort(-values, kind="stable")[:2]
    coords = vectors_[:, top] * np.sqrt(np.clip(values[top], 0, None))
    for column in range(coords.shape[1]):
        axis = x.T @ coords[:, column]  # the axis in embedding space fixes the sign
        if axis[np.argmax(np.abs(axis))] < 0:
            coords[:, column] *= -1
    if coords.shape[1] < 2:
        coords = np.hstack([coords, np.zeros((n, 2 - coords.shape[1]))])
    scale = np.abs(coords).max()
    # Three decimals: enough for a chart, and float noise does not show.
    return np.round(coords / scale if scale > 0 else coords, 3)


def content_words(text: str) -> list[str]:
    """The text's words in lower case, stop words and single letters left out."""
    stop = _stop_words()
    return [w for w in _WORD.findall(text.lower()) if w not in stop and len(w) > 1]


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    # scikit-learn's list also holds content words that name points in a
    # buyer's answer ("bill", "system", "interest", "detail").
    return frozenset(ENGLISH_STOP_WORDS) - _CONTENT_WORDS


_CONTENT_WORDS = frozenset({
    "amount", "back", "bill", "bottom", "call", "computer", "detail", "empty", "fill", "find", "fire",
    "found", "front", "full", "interest", "mill", "move", "name", "part", "serious", "show", "side",
    "system", "thick", "thin", "top",
})


def lexical_similarity(texts: list[str], exclude: frozenset[str] = frozenset()) -> np.ndarray:
    """Cosine of TF-IDF vectors of the texts' content words (stop words and `exclude` left out).

    People naming the same specific point often share one specific word (a
    law, a product, a role) even when the rest is phrased differently. The
    IDF is computed on these texts only (one prompt's statements), so words
    many people use on the prompt count little.
    """
    n = len(texts)
    prepared = [" ".join(w for w in content_words(t) if w not in exclude) for t in texts]
    if not any(prepared):
        return np.eye(n)
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit_transform(prepared)
    similarity = (matrix @ matrix.T).toarray()
    np.fill_diagonal(similarity, 1.0)
    return np.round(similarity, DECIMALS).astype(np.float64)


# A word: letters and digits, with inner joiners kept ("co-pay", "p&l", "24/7", "$/m").
_WORD = re.compile(r"[a-z0-9$][a-z0-9&/$%+'-]*[a-z0-9%]|[a-z0-9]")
