"""Fixtures for the analysis tests.

`minilm`     the real bundled model, loaded once per test session (marked tests: `model`).
`toy_encoder` a fast, deterministic bag-of-words stand-in for tests about plumbing.
"""

from __future__ import annotations

import hashlib
import os

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class ToyEncoder:
    """Hashes words into a 64-dim unit vector; counts what it was asked to embed."""

    name = "toy"

    def __init__(self):
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
            out[row] /= max(np.linalg.norm(out[row]), 1e-9)
        return out


@pytest.fixture
def toy_encoder():
    return ToyEncoder()


@pytest.fixture(scope="session")
def minilm():
    from workshop.embedding_model import shared_encoder

    encoder = shared_encoder()
    encoder.load()
    return encoder
