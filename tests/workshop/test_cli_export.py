"""`python -m workshop export` and `restore`: files, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.workshop.summary_data import make_session
from workshop.backup import load
from workshop.cli import main
from workshop.export import to_markdown
from workshop.store import Store
from workshop.summary import gather

REPO = str(Path(__file__).resolve().parents[2])


@pytest.fixture
def session(db_path):
    return make_session(Store(db_path))


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err


@pytest.mark.parametrize("fmt, start", [("md", b"# Q3 brief reset"), ("html", b"<!doctype html>"),
                                         ("pdf", b"%PDF-"), ("csv", b"participant,function,dimension,answer"),
                                         ("json", b"{")])
def test_export_each_format_to_a_file(session, tmp_path, fmt, start):
    out = tmp_path / f"summary.{fmt}"
    assert main(["export", session.id, "--format", fmt, "-o", str(out)]) == 0
    assert out.read_bytes().startswith(start)


def test_export_by_join_code_to_stdout(session, db_path, capsys):
    assert main(["export", session.join_code.lower(), "--format", "md"]) == 0
    assert capsys.readouterr().out == to_markdown(gather(Store(db_path), session))


def test_export_actions_csv(session, capsys):
    assert main(["export", session.id, "--format", "csv", "--what", "actions"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "what,owner,due,done"


def test_export_unknown_session_exits_2(db_path, capsys):
    assert main(["export", "nope", "--format", "md"]) == 2
    assert "no session with id or join code 'nope'" in one_line_error(capsys)


def test_export_bad_format_exits_2(session, capsys):
    assert main(["export", session.id, "--format", "docx"]) == 2


def test_export_to_an_unwritable_place_exits_2(session, tmp_path, capsys):
    assert main(["export", session.id, "--format", "md", "-o", str(tmp_path / "no" / "dir" / "x.md")]) == 2
    assert "cannot write" in one_line_error(capsys)


def test_restore_round_trip_and_refusals(session, db_path, tmp_path, monkeypatch, capsys):
    backup_file = tmp_path / "backup.json"
    assert main(["export", session.id, "--format", "json", "-o", str(backup_file)]) == 0
    before = to_markdown(gather(Store(db_path), session))

    # The same installation: refused without --replace, and nothing changes.
    assert main(["restore", str(backup_file)]) == 2
    err = one_line_error(capsys)
    assert "already exists" in err and "--replace" in err
    assert main(["restore", str(backup_file), "--replace"]) == 0
    assert f"session={session.id}" in capsys.readouterr().out

    # Another installation.
    other = tmp_path / "other.db"
    monkeypatch.setenv("BRIEF_RESET_DB", str(other))
    assert main(["restore", str(backup_file)]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out and session.facilitator_key in out
    assert to_markdown(gather(Store(other), Store(other).get_session(session.id))) == before


def test_restore_refuses_damaged_foreign_and_missing_files(db_path, tmp_path, capsys):
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"sessions": []}')
    assert main(["restore", str(foreign)]) == 2
    assert "not a Brief Reset" in one_line_error(capsys)

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "brief-reset-session-backup", "version": 1, "checks')
    assert main(["restore", str(broken)]) == 2
    assert "not valid JSON" in one_line_error(capsys)

    assert main(["restore", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in one_line_error(capsys)
    assert Store(db_path).list_sessions() == []


def test_restore_refuses_an_edited_file(session, db_path, tmp_path, capsys, monkeypatch):
    backup_file = tmp_path / "backup.json"
    assert main(["export", session.id, "--format", "json", "-o", str(backup_file)]) == 0
    data = json.loads(backup_file.read_text())
    data["content"]["session"]["title"] = "Renamed by hand"
    backup_file.write_text(json.dumps(data))
    monkeypatch.setenv("BRIEF_RESET_DB", str(tmp_path / "other.db"))
    assert main(["restore", str(backup_file)]) == 2
    assert "checksum does not match" in one_line_error(capsys)


def test_the_module_entry_point(session, db_path, tmp_path):
    """The real command line: exit status and a single stderr line."""
    out = subprocess.run(
        [sys.executable, "-m", "workshop", "export", "NOPE99", "--format", "json"],
        capture_output=True, text=True, env={"BRIEF_RESET_DB": str(db_path), "PATH": ""},
        cwd=REPO,
    )
    assert out.returncode == 2
    assert out.stderr.strip().startswith("error: no session") and out.stderr.count("\n") == 1
    data = subprocess.run(
        [sys.executable, "-m", "workshop", "export", session.id, "--format", "json"],
        capture_output=True, env={"BRIEF_RESET_DB": str(db_path), "PATH": ""},
        cwd=REPO,
    )
    assert data.returncode == 0
    assert load(data.stdout)["content"]["session"]["id"] == session.id


def test_an_exported_file_is_readable_by_its_owner_only(session, tmp_path):
    out = tmp_path / "answers.csv"
    assert main(["export", session.id, "--format", "csv", "-o", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
