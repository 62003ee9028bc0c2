"""Which model the app uses (the setting, an installed stronger model, the bundled one)."""

import pytest

from embeddings.encoder import bundled_model_path


def test_model_setting_is_honoured(monkeypatch, tmp_path):
    from workshop import embedding_model as module
    from workshop import model_install

    monkeypatch.setattr(model_install, "DEFAULT_ROOT", tmp_path / "no-models-here")
    monkeypatch.setenv("BRIEF_RESET_MODEL", str(tmp_path / "elsewhere"))
    assert module.model_name() == str(tmp_path / "elsewhere")
    monkeypatch.delenv("BRIEF_RESET_MODEL")
    assert module.model_name() == bundled_model_path()
    assert module.Encoder(module.model_name()).name == "all-MiniLM-L6-v2"


def fake_install(root, package, monkeypatch, marker=True, size=None):
    """The model's folder with sparse weights; its manifest (patched in) lists just those two files."""
    import dataclasses
    import hashlib

    from workshop import model_install

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
    from workshop import embedding_model as module
    from workshop import model_install

    monkeypatch.delenv("BRIEF_RESET_MODEL", raising=False)
    monkeypatch.setattr(model_install, "DEFAULT_ROOT", tmp_path)
    folder = fake_install(tmp_path, model_install.MPNET, monkeypatch)
    assert module.model_name() == str(folder)
    assert module.Encoder(module.model_name()).name == "all-mpnet-base-v2"
    monkeypatch.setenv("BRIEF_RESET_MODEL", "minilm")
    assert module.model_name() == bundled_model_path()
    assert module.Encoder("minilm").name == "all-MiniLM-L6-v2"


@pytest.mark.parametrize("damage", ["no marker", "short weights"])
def test_an_unchecked_or_incomplete_install_is_ignored(monkeypatch, tmp_path, damage):
    from workshop import embedding_model as module
    from workshop import model_install

    monkeypatch.delenv("BRIEF_RESET_MODEL", raising=False)
    monkeypatch.setattr(model_install, "DEFAULT_ROOT", tmp_path)
    fake_install(tmp_path, model_install.MPNET, monkeypatch, marker=damage != "no marker",
                 size=1000 if damage == "short weights" else None)
    assert module.model_name() == bundled_model_path()
