"""A full disk or a read-only database: the store says so plainly and keeps what it had.

The store turns sqlite3.OperationalError ("database or disk is full", "attempt
to write a readonly database") into StorageUnavailable, a StoreError with a
message for the person. Tested on a real full filesystem (a 400 KB tmpfs in
a private mount namespace) and a real read-only mount where the machine
allows it, and always with SQLite's own limit on the file's size.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workshop.store import STORAGE_MESSAGE, StorageUnavailable, Store, StoreError

ROOT = Path(__file__).resolve().parents[2]


def freeze_size(monkeypatch) -> None:
    """Every new connection may not grow the file: SQLite's 'database or disk is full'."""
    real = sqlite3.connect

    def limited(*args, **kwargs):
        conn = real(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count={max(pages, 1)}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", limited)


def read_only(monkeypatch) -> None:
    """Every new connection opens the file read-only: 'attempt to write a readonly database'."""
    real = sqlite3.connect

    def ro(path, *args, **kwargs):
        return real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", ro)


def test_a_full_disk_is_a_plain_storage_error_and_loses_nothing_saved(store, session, monkeypatch):
    p = store.join(session.id, "Ana", "sales")
    store.save_answer(p.token, "trigger", "saved before the disk filled")
    freeze_size(monkeypatch)
    with pytest.raises(StorageUnavailable) as caught:
        for n in range(200):
            other = store.join(session.id, f"P{n}", "sales")
            store.save_answer(other.token, "fears", f"a long answer {n} " * 200)
    assert isinstance(caught.value, StoreError) and str(caught.value) == STORAGE_MESSAGE
    assert "sqlite" not in str(caught.value).lower()
    monkeypatch.undo()
    assert store.own_answers(p.token)["trigger"] == "saved before the disk filled"
    assert store.save_answer(p.token, "fears", "room again") is not None  # the same call works later


def test_a_read_only_database_is_a_plain_storage_error_and_still_reads(store, session, monkeypatch):
    p = store.join(session.id, "Ana", "sales")
    store.save_answer(p.token, "trigger", "kept")
    read_only(monkeypatch)
    with pytest.raises(StorageUnavailable):
        store.save_answer(p.token, "trigger", "not saved")
    with pytest.raises(StorageUnavailable):
        store.create_session("Another")
    assert store.own_answers(p.token) == {"trigger": "kept"}
    assert store.get_session(session.id).title == session.title


def test_a_failed_write_inside_an_import_leaves_nothing(store, monkeypatch):
    from workshop.session_import import Person, SessionData, import_session

    people = [Person(f"P{n}", "sales", answers={"trigger": "x " * 2000}) for n in range(50)]
    freeze_size(monkeypatch)
    with pytest.raises(StorageUnavailable):
        import_session(store, SessionData("Too big", people=people))
    monkeypatch.undo()
    assert store.list_sessions() == []


SCRIPT = textwrap.dedent("""
    import subprocess, sys
    from workshop.store import StorageUnavailable, Store
    folder = sys.argv[1]
    store = Store(folder + "/full.db")
    session = store.create_session("Full disk")
    p = store.join(session.id, "Ana", "sales")
    store.save_answer(p.token, "trigger", "saved before the disk filled")
    try:
        for n in range(10_000):
            q = store.join(session.id, f"P{n}", "sales")
            store.save_answer(q.token, "fears", f"answer {n} " * 400)
        print("never full")
    except StorageUnavailable as error:
        print("FULL:", error)
    print("KEPT:", Store(folder + "/full.db").own_answers(p.token)["trigger"])
    store.close()  # a filesystem with a file open for writing cannot be remounted read-only
    import gc; gc.collect()
    subprocess.run(["mount", "-o", "remount,ro", folder], check=True)
    try:
        store.save_answer(p.token, "trigger", "not saved")
        print("wrote on a read-only mount")
    except StorageUnavailable as error:
        print("READ-ONLY:", error)
    print("STILL READS:", store.own_answers(p.token)["trigger"])
""")


@pytest.mark.skipif(not shutil.which("unshare"), reason="needs unshare for a private mount namespace")
def test_a_real_full_filesystem_and_a_read_only_mount(tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    command = ["unshare", "-rm", "sh", "-c",
               f'mount -t tmpfs -o size=400k tmpfs "{folder}" && exec "{sys.executable}" -c "$0" "{folder}"',
               SCRIPT]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    if "mount:" in result.stderr and "FULL" not in result.stdout:
        pytest.skip(f"cannot mount a small filesystem here: {result.stderr.strip()[:200]}")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"FULL: {STORAGE_MESSAGE}" in out
    assert "KEPT: saved before the disk filled" in out
    assert f"READ-ONLY: {STORAGE_MESSAGE}" in out
    assert "STILL READS: saved before the disk filled" in out
