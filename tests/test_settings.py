"""Every environment variable is read through workshop.settings, and the settings keep their meaning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workshop import links, settings

ROOT = Path(__file__).resolve().parent.parent
APP_CODE = [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py")), *sorted((ROOT / "workshop").rglob("*.py")),
            *sorted((ROOT / "embeddings").rglob("*.py"))]
# The encoder only sets the Hugging Face libraries' offline switches; it reads no setting of ours.
NOT_YET = {ROOT / "embeddings" / "encoder.py"}
READS = re.compile(r"\bos\.environ\b|\bgetenv\b|\benviron\.get\b")


@pytest.mark.parametrize("path", [p for p in APP_CODE if p != ROOT / "workshop" / "settings.py" and p not in NOT_YET],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_but_settings_reads_the_environment(path):
    assert not READS.search(path.read_text(encoding="utf-8"))


def test_an_unknown_setting_is_refused():
    with pytest.raises(KeyError):
        settings.get("BRIEF_RESET_NOT_A_SETTING", {})


def test_an_empty_setting_counts_as_unset(monkeypatch, tmp_path):
    monkeypatch.setenv("BRIEF_RESET_DB", "")
    assert settings.database_path() == settings.REPO_ROOT / "data" / "brief_reset.db"
    monkeypatch.setenv("BRIEF_RESET_DB", str(tmp_path / "x.db"))
    assert settings.database_path() == tmp_path / "x.db"
    monkeypatch.setenv("PORT", "")
    assert settings.port() == "8501"
    monkeypatch.setenv("PORT", "8610")
    assert settings.port() == "8610"
    assert links.configured_base_url({"BRIEF_RESET_BASE_URL": " http://reset.lan/ "}) == "http://reset.lan"


def test_settings_reads_the_environment_in_one_place_only():
    # A setting read beside settings.get would be missing from SETTINGS and so from the README.
    source = (ROOT / "workshop" / "settings.py").read_text(encoding="utf-8")
    assert len(READS.findall(source)) == 1
