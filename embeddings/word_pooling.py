"""A statement's embedding with some of its words left out, without running the model again.

The models used here (MiniLM, mpnet) embed a text as the mean of its token
vectors. Keeping, per statement, the summed token vectors of each content
word lets the analysis pool the statement again *without* chosen words: on a
prompt, the words both functions use ("bill", "support", "savings") are its
common vocabulary and may mean different things on each side, so the verdict
also compares statements with those words taken out. Re-embedding the
shortened texts would cost a second pass of the model over a third of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from embeddings.similarity import content_word_spans


@dataclass(frozen=True)
class WordVectors:
    """The token vectors of one statement, summed per content word."""

    words: tuple[str, ...]  # content words, lower case, each once, in order of first appearance
    sums: np.ndarray  # (len(words), dim): summed vectors of each word's tokens
    counts: np.ndarray  # (len(words),): how many tokens each word has
    total: np.ndarray  # (dim,): the sum over all tokens the model pooled (special tokens too)
    total_count: int


def from_tokens(text: str, token_vectors: np.ndarray, offsets: list[tuple[int, int]]) -> WordVectors:
    """WordVectors from a model's token vectors and each token's (start, end) in `text`.

    Special tokens have an empty span; they count in the total only. A
    token belongs to the content word its span overlaps.
    """
    token_vectors = np.asarray(token_vectors, dtype=np.float32)
    spans = content_word_spans(text)
    index: dict[str, int] = {}
    sums: list[np.ndarray] = []
    counts: list[int] = []
    position = 0
    for vector, (start, end) in zip(token_vectors, offsets):
        if end <= start:
            continue
        # Tokens come in text order, so the search resumes where it left off.
        while position < len(spans) and spans[position][1] <= start:
            position += 1
        if position < len(spans) and spans[position][0] < end:
            word = spans[position][2]
            if word not in index:
                index[word] = len(sums)
                sums.append(np.zeros(token_vectors.shape[1], dtype=np.float32))
                counts.append(0)
            sums[index[word]] += vector
            counts[index[word]] += 1
    dim = token_vectors.shape[1] if token_vectors.ndim == 2 else 0
    return WordVectors(
        words=tuple(index),
        # Half precision: these are kept for every cached statement, and only
        # ever feed a similarity that is rounded to 4 decimals.
        sums=np.array(sums, dtype=np.float16).reshape(len(sums), dim),
        counts=np.array(counts, dtype=np.int32),
        total=token_vectors.sum(axis=0).astype(np.float32),
        total_count=len(token_vectors),
    )


def pooled_without(vectors: WordVectors, leave_out: frozenset[str]) -> np.ndarray:
    """The statement's unit vector pooled without the tokens of `leave_out` words.

    When every token would go, the whole statement is kept: a statement made
    only of common words still says something.
    """
    drop = [i for i, word in enumerate(vectors.words) if word in leave_out]
    pooled = vectors.total
    if drop and vectors.total_count - int(vectors.counts[drop].sum()) > 0:
        pooled = vectors.total - vectors.sums[drop].astype(np.float32).sum(axis=0)
    norm = float(np.linalg.norm(pooled))
    return pooled / norm if norm > 0 else pooled
