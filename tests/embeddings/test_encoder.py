import numpy as np
import pytest

from embeddings.encoder import Encoder, ModelUnavailable


class CountingModel:
    def __init__(self):
        self.seen = []

    def encode(self, texts, **kwargs):
        self.seen.extend(texts)
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32) / np.sqrt(
            np.array([[len(t) ** 2 + 1.0] for t in texts]))


def test_cache_embeds_each_text_once():
    model = CountingModel()
    encoder = Encoder(model=model)
    first = encoder.encode(["a", "bb", "a"])
    assert sorted(model.seen) == ["a", "bb"]
    again = encoder.encode(["bb", "ccc"])
    assert model.seen.count("bb") == 1 and "ccc" in model.seen
    assert np.array_equal(first[1], again[0])
    assert encoder.encode([]).shape[0] == 0


def test_missing_model_raises_model_unavailable(tmp_path):
    encoder = Encoder(str(tmp_path / "no-such-model"))
    with pytest.raises(ModelUnavailable, match="could not be loaded"):
        encoder.encode(["anything"])
