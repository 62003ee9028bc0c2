"""The server is killed (SIGKILL) mid-session and started again.

A child process writes through the Store as fast as it can and reports each
write after it returned; we kill it at an arbitrary moment, several times.
Afterwards every reported write is there, the file is consistent, and the
personal links still open the right participant.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from workshop.models import DIMENSIONS
from workshop.store import Store

REPO = Path(__file__).resolve().parents[2]

# Each write has its own key (no overwrites), so "reported" implies "stored".
CHILD = r"""
import sys
from workshop.store import Store
from workshop.models import DIMENSIONS

store = Store(sys.argv[1])
session_id, round_ = sys.argv[2], sys.argv[3]

def report(*fields):
    print("\t".join(str(f) for f in fields), flush=True)

n = 0
while True:
    n += 1
    name = f"r{round_} person {n}"
    p = store.join(session_id, name, "sales" if n % 2 else "marketing")
    report("P", p.token, name)
    for d in DIMENSIONS:
        text = f"{name} on {d}: procurement wants a flat fee"
        store.save_answer(p.token, d, text)
        report("A", p.token, d, text)
    theme = f"theme {round_}-{n}"
    store.save_decision(session_id, "objections", theme, "adopt", note=name)
    report("D", theme)
    action = store.add_action(session_id, f"follow up {round_}-{n}", owner=name)
    report("X", action.id, action.what)
"""


def run_and_kill(db: Path, session_id: str, round_: int, after_lines: int) -> list[list[str]]:
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), session_id, str(round_)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    ) as child:
        reported = []
        try:
            for line in child.stdout:
                reported.append(line.rstrip("\n").split("\t"))
                if len(reported) >= after_lines:
                    break
            child.send_signal(signal.SIGKILL)
            # Lines already in the pipe were written after their write returned.
            reported += [line.rstrip("\n").split("\t") for line in child.stdout]
        finally:
            child.kill()
            child.wait(timeout=30)
        errors = child.stderr.read()
    assert child.returncode == -signal.SIGKILL, errors
    # A partly written last line would not be a finished report.
    if reported and len(reported[-1]) < {"P": 3, "A": 4, "D": 2, "X": 3}[reported[-1][0]]:
        reported.pop()
    return reported


def test_every_returned_write_survives_sigkill_and_links_still_work(tmp_path):
    db = tmp_path / "restart.db"
    session = Store(db).create_session("Killed mid-session", company="Acme")
    rng = random.Random(7)
    reported: list[list[str]] = []
    for round_ in range(4):
        reported += run_and_kill(db, session.id, round_, after_lines=rng.randint(20, 120))

    store = Store(db)  # the server starting again
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    people = [r for r in reported if r[0] == "P"]
    answers = [r for r in reported if r[0] == "A"]
    decisions = {r[1] for r in reported if r[0] == "D"}
    actions = {(int(r[1]), r[2]) for r in reported if r[0] == "X"}
    assert len(people) >= 4 and answers and decisions and actions

    for _, token, name in people:
        participant = store.participant_by_token(token)
        assert participant is not None and participant.name == name
        assert participant.session_id == session.id
    for _, token, dimension, text in answers:
        assert store.own_answers(token).get(dimension) == text

    stored = store.answers(session.id)
    assert len({(a.participant_id, a.dimension) for a in stored}) == len(stored)
    # Nothing but the reported writes, plus at most the one in flight per kill.
    assert len(stored) - len(answers) <= 4
    assert decisions <= {d.theme for d in store.decisions(session.id)}
    assert actions <= {(a.id, a.what) for a in store.actions(session.id)}

    # The meeting goes on: a personal link from before the kill still writes.
    token = people[0][1]
    store.save_answer(token, "trigger", "edited after the restart")
    assert store.own_answers(token)["trigger"] == "edited after the restart"
    assert store.get_session_by_code(session.join_code).id == session.id
    assert set(store.own_answers(token)) <= set(DIMENSIONS)
