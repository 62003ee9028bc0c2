"""A session written in one go (CSV import, demo, restore): all of it or nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workshop.answers_csv import read_answers_csv
from workshop.cli import main
from workshop.models import DIMENSIONS
from workshop.session_import import SessionData, import_session, people_from_answers
from workshop.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[2]
HEAD = "participant,function,dimension,answer\r\n"


def answers_file(people: int, words: int = 8) -> str:
    rows = [HEAD]
    for n in range(people):
        function = "sales" if n % 2 else "marketing"
        for dimension in DIMENSIONS:
            rows.append(f"Person {n},{function},{dimension},\"{' '.join(['answer'] * words)} {n}\"\r\n")
    return "".join(rows)


def table_counts(path: Path) -> dict[str, int]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("sessions", "participants", "answers", "session_state")}
    finally:
        conn.close()


def test_an_import_that_fails_half_way_leaves_nothing(store, monkeypatch):
    answers = read_answers_csv(answers_file(20).encode())
    real = store.put_answer
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 50:
            raise StoreError("The disk is full.")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "put_answer", failing)
    with pytest.raises(StoreError, match="disk is full"):
        import_session(store, SessionData("Half", people=people_from_answers(answers)))
    assert store.list_sessions() == []
    assert table_counts(store.path) == {"sessions": 0, "participants": 0, "answers": 0, "session_state": 0}


def test_atomic_blocks_nest_and_an_inner_failure_undoes_only_itself(store):
    with store.atomic():
        kept = store.create_session("Kept")
        with pytest.raises(StoreError):
            with store.atomic():
                store.create_session("Undone")
                raise StoreError("no")
    assert [s.title for s in store.list_sessions()] == ["Kept"]
    with pytest.raises(RuntimeError):
        with store.atomic():
            store.delete_session(kept.id)
            with store.atomic():
                store.create_session("Also undone")
            raise RuntimeError("the outer block fails")
    assert [s.title for s in store.list_sessions()] == ["Kept"]


def test_progress_is_reported_while_the_rows_are_written(store):
    answers = read_answers_csv(answers_file(30).encode())
    seen = []
    session = import_session(store, SessionData("Progress", people=people_from_answers(answers)),
                             progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (180, 180) and len(seen) > 2 and seen == sorted(seen)
    assert len(store.answers(session.id)) == 150 and not session.collection_open


def test_a_process_killed_during_an_import_leaves_no_session(tmp_path):
    """SIGKILL half-way through writing a 5 MB file: after the restart, nothing of it."""
    csv_path = tmp_path / "big.csv"
    csv_path.write_text(answers_file(400, words=320))
    assert 4_000_000 < csv_path.stat().st_size < 5_000_000
    db = tmp_path / "killed.db"
    script = textwrap.dedent(f"""
        import sys, time
        from workshop.answers_csv import read_answers_csv
        from workshop.session_import import SessionData, import_session, people_from_answers
        from workshop.store import Store
        store = Store({str(db)!r})
        answers = read_answers_csv(open({str(csv_path)!r}, "rb").read())
        def progress(done, total):
            if done >= total // 2:
                print("HALF", flush=True)
                time.sleep(60)
        import_session(store, SessionData("Killed", people=people_from_answers(answers)), progress=progress)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "HALF"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    store = Store(db)
    assert store.list_sessions() == []
    assert table_counts(db) == {"sessions": 0, "participants": 0, "answers": 0, "session_state": 0}


# -- python -m workshop import ----------------------------------------------------


def test_import_command_creates_a_closed_session_and_prints_its_link(db_path, tmp_path, capsys):
    path = tmp_path / "q3_survey.csv"
    path.write_text(answers_file(4) + "Cy,customer success,trigger,renewal\r\n")
    brief = tmp_path / "brief.md"
    brief.write_text("# Buyer\nThe AP manager.\x1b[2J\n")
    assert main(["import", str(path), "--company", "Acme", "--brief", str(brief)]) == 0
    out = capsys.readouterr().out
    (session,) = Store(db_path).list_sessions()
    assert (session.title, session.company, session.collection_open) == ("q3 survey", "Acme", False)
    assert session.functions == ["sales", "marketing", "customer success"]
    assert session.brief == "# Buyer\nThe AP manager.[2J"
    assert len(Store(db_path).answers(session.id)) == 21
    assert f"?session={session.id}&key={session.facilitator_key}" in out
    assert "21 answers from 5 participants" in out


@pytest.mark.parametrize("content,reason", [
    (None, "no such file"),
    ("participant;function;dimension;answer\r\n", "semicolons"),
    (HEAD + "Ana,sales,mood,x\r\n", "Line 2: unknown dimension"),
])
def test_import_command_refuses_bad_input_with_one_line_and_status_2(db_path, tmp_path, capsys, content, reason):
    path = tmp_path / "answers.csv"
    if content is not None:
        path.write_text(content)
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert reason in err and err.count("\n") == 1 and err.startswith("error: ")
    assert Store(db_path).list_sessions() == []


def test_import_command_refuses_an_oversized_brief(db_path, tmp_path, capsys):
    path = tmp_path / "answers.csv"
    path.write_text(answers_file(2))
    brief = tmp_path / "brief.md"
    brief.write_text("x" * 20_001)
    assert main(["import", str(path), "--brief", str(brief)]) == 2
    assert "the limit is 20,000" in capsys.readouterr().err
