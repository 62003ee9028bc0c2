"""Every setting the app reads from the environment, in one table.

`SETTINGS` names each environment variable with its default and what it sets;
nothing else in the app reads the environment (tests/test_docs.py holds the
README's settings table to this one, and tests/test_settings.py holds the
code to it). All of them are optional.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 8501


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable
    default: str  # what applies when it is unset or empty, in words
    description: str  # what it sets


SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("BRIEF_RESET_DB", "data/brief_reset.db in the repository",
            "the SQLite file holding every session"),
    Setting("BRIEF_RESET_MODEL",
            "all-mpnet-base-v2 if `install-model` put it in .models/, else the bundled all-MiniLM-L6-v2",
            "a sentence-transformers model name or folder, loaded offline; `minilm` for the bundled one"),
    Setting("BRIEF_RESET_BASE_URL",
            "this machine's network address on the port served, http://localhost:8501 without a network",
            "the address participants' devices can reach, used in links and the QR code"),
    Setting("BRIEF_RESET_ADMIN_KEY", "generated once and stored",
            "a fixed key for the facilitator home"),
    Setting("BRIEF_RESET_PRELOAD", "1",
            "1: the server loads the model as it starts and embeds answers as they are saved, so the "
            "reveal is ready moments after the close; 0: only when an analysis needs them (less memory "
            "while collecting)"),
    Setting("PORT", str(DEFAULT_PORT), "the port bin/app serves on"),
)}


def get(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The value of the setting `name` (one of SETTINGS), or None when it is unset or empty.

    `environ` stands in for the process environment in tests.
    """
    if name not in SETTINGS:
        raise KeyError(f"{name} is not a setting; declare it in workshop.settings.SETTINGS")
    return (environ if environ is not None else os.environ).get(name) or None


def database_path() -> Path:
    return Path(get("BRIEF_RESET_DB") or REPO_ROOT / "data" / "brief_reset.db")


def model_name() -> str | None:
    """The configured model, or None for the bundled default.

    A relative folder is looked up from the repository root too, so
    `BRIEF_RESET_MODEL=.models/all-mpnet-base-v2` works from any directory.
    """
    value = get("BRIEF_RESET_MODEL")
    if value and not Path(value).is_absolute() and not Path(value).exists() and (REPO_ROOT / value).is_dir():
        return str(REPO_ROOT / value)
    return value


def admin_key_override() -> str | None:
    return get("BRIEF_RESET_ADMIN_KEY")


def base_url_override(environ: Mapping[str, str] | None = None) -> str | None:
    """BRIEF_RESET_BASE_URL as set (links.configured_base_url tidies it)."""
    return get("BRIEF_RESET_BASE_URL", environ)


def port() -> str:
    """The port the app serves on, as bin/app passes it to Streamlit."""
    return get("PORT") or str(DEFAULT_PORT)


def preload() -> bool:
    """Load the model at server start and embed answers while they come in (default on)."""
    return (get("BRIEF_RESET_PRELOAD") or "1").strip().lower() not in ("0", "false", "no", "off")
