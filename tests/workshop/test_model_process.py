"""The model in its own process: same vectors as in this process, a clear reason when it cannot load."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.encoder import Encoder, ModelUnavailable
from workshop.model_process import ProcessEncoder


def test_a_model_that_cannot_load_says_why(tmp_path):
    encoder = ProcessEncoder(str(tmp_path / "no-such-model"))
    with pytest.raises(ModelUnavailable, match="could not be loaded"):
        encoder.encode(["anything"])
    assert not encoder.loaded


@pytest.mark.model
def test_the_same_vectors_as_in_process_and_a_killed_process_is_started_again():
    texts = ["Security review takes months", "Procurement wants three quotes", "Security review takes months"]
    here = Encoder("minilm").encode(texts)
    there = ProcessEncoder("minilm")
    try:
        rows = there.encode(texts)
        assert rows.shape == here.shape
        assert np.allclose(rows, here, atol=1e-5)
        assert there.cached("Security review takes months")
        there._proc.kill()  # out of memory, or killed by hand
        there._proc.wait()
        again = there.encode(["A new point after the restart"])
        assert again.shape == (1, here.shape[1]) and there.loaded
    finally:
        there.close()
