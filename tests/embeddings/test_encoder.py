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


def test_model_setting_is_honoured(monkeypatch, tmp_path):
    from embeddings import encoder as module
    from embeddings import model_install

    monkeypatch.setattr(model_install, "DEFAULT_ROOT", tmp_path / "no-models-here")
    monkeypatch.setenv("BRIEF_RESET_MODEL", str(tmp_path / "elsewhere"))
    assert module.default_model_name() == str(tmp_path / "elsewhere")
    monkeypatch.delenv("BRIEF_RESET_MODEL")
    assert module.default_model_name() == module.bundled_model_path()
    assert module.Encoder().name == "all-MiniLM-L6-v2"


def fake_install(root, package, monkeypatch, marker=True, size=None):
    """The model's folder with sparse weights; its manifest (patched in) lists just those two files."""
    import dataclasses
    import hashlib

    from embeddings import model_install

    files = (model_install.ModelFile("modules.json", 2, hashlib.sha256(b"[]").hexdigest()),
             model_install.ModelFile("model.safetensors", package.weights_size, package.weights_sha256))
    monkeypatch.setitem(model_install.MODELS, "mpnet", dataclasses.replace(package, files=files))
    folder = root / package.folder
    folder.mkdir(parents=True)
    (folder / "modules.json").write_text("[]")
    with (folder / "model.safetensors").open("wb") as weights:
        weights.truncate(package.weights_size if size is None else size)  # sparse: no real bytes written
    if marker:
        (folder / "VERIFIED").write_text(package.weights_sha256 + "\n")
    return folder


def test_an_installed_stronger_model_is_the_default_unless_the_setting_says_otherwise(monkeypatch, tmp_path):
    from embeddings import encoder as module
    from embeddings import model_install

    monkeypatch.delenv("BRIEF_RESET_MODEL", raising=False)
    monkeypatch.setattr(model_install, "DEFAULT_ROOT", tmp_path)
    folder = fake_install(tmp_path, model_install.MPNET, monkeypatch)
    assert module.default_model_name() == str(folder)
    assert module.Encoder().name == "all-mpnet-base-v2"
    monkeypatch.setenv("BRIEF_RESET_MODEL", "minilm")
    assert module.default_model_name() == module.bundled_model_path()
    assert module.Encoder("minilm").name == "all-MiniLM-L6-v2"


@pytest.mark.parametrize("damage", ["no marker", "short weights"])
def test_an_unchecked_or_incomplete_install_is_ignored(monkeypatch, tmp_path, damage):
    from embeddings import encoder as module
    from embeddings import model_install

    monkeypatch.delenv("BRIEF_RESET_MODEL", raising=False)
    monkeypatch.setattr(model_install, "DEFAULT_ROOT", tmp_path)
    fake_install(tmp_path, model_install.MPNET, monkeypatch, marker=damage != "no marker",
                 size=1000 if damage == "short weights" else None)
    assert module.default_model_name() == module.bundled_model_path()
