"""The demo session and the `sessions` / `demo` commands."""

from __future__ import annotations

import sys

from workshop.answers_csv import read_answers_csv, write_answers_csv
from workshop.cli import main
from workshop.demo import DEMO_BRIEF, DEMO_SESSION_ID, ensure_demo_session
from workshop.models import DIMENSIONS, MARKETING, SALES
from workshop.store import Store


def test_demo_session_is_populated_closed_and_made_once(store):
    session = ensure_demo_session(store)
    again = ensure_demo_session(store)
    assert again == session and [s.id for s in store.list_sessions()] == [DEMO_SESSION_ID]
    assert not session.collection_open and not session.revealed
    assert session.company and session.facilitator
    assert 150 <= len(DEMO_BRIEF.split()) <= 300 and session.brief == DEMO_BRIEF.strip()

    people = store.participants(session.id)
    sales = [p for p in people if p.function == SALES]
    marketing = [p for p in people if p.function == MARKETING]
    assert 4 <= len(sales) <= 6 and 3 <= len(marketing) <= 5
    assert all(p.submitted for p in people)

    answers = store.answers(session.id)
    assert {a.dimension for a in answers} == set(DIMENSIONS)
    for function in (SALES, MARKETING):
        for dimension in DIMENSIONS:
            assert sum(a.function == function and a.dimension == dimension for a in answers) >= 2
    assert len(answers) >= 0.9 * len(people) * len(DIMENSIONS)
    assert len({a.text for a in answers}) == len(answers)  # nothing copy-pasted


def test_demo_answers_are_a_valid_import_file(store):
    session = ensure_demo_session(store)
    answers = store.answers(session.id)
    back = read_answers_csv(write_answers_csv(answers).encode(), functions=session.functions)
    assert [(a.participant, a.text) for a in back] == [(a.participant, a.text) for a in answers]


def test_a_demo_cut_short_is_made_again(store):
    session = ensure_demo_session(store)
    store.set_state(session.id, "demo_complete", False)
    redone = ensure_demo_session(store)
    assert redone.id == DEMO_SESSION_ID and len(store.participants(redone.id)) >= 7


def test_demo_command_prints_the_three_links(db_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)  # as bin/app on a terminal
    monkeypatch.setenv("BRIEF_RESET_BASE_URL", "http://10.1.2.3:8501/")
    monkeypatch.setenv("BRIEF_RESET_ADMIN_KEY", "the-admin-key")
    assert main(["demo"]) == 0
    session = Store(db_path).get_session(DEMO_SESSION_ID)
    out = capsys.readouterr().out
    assert "http://10.1.2.3:8501/?admin=the-admin-key" in out
    assert f"http://10.1.2.3:8501/?session=demo&key={session.facilitator_key}" in out
    assert f"http://10.1.2.3:8501/?code={session.join_code}" in out
    assert main(["demo"]) == 0
    assert len(Store(db_path).list_sessions()) == 1


def test_demo_command_defaults_to_this_machines_network_address(db_path, capsys, monkeypatch):
    from workshop import links

    monkeypatch.delenv("BRIEF_RESET_BASE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.setattr(links, "lan_address", lambda probe=None: "192.168.1.20")
    main(["demo"])
    out = capsys.readouterr().out
    assert "http://192.168.1.20:8501/?session=demo&key=" in out
    assert "Phones on this computer's network open http://192.168.1.20:8501" in out


def test_demo_command_without_a_network_says_localhost_and_why(db_path, capsys, monkeypatch):
    from workshop import links

    monkeypatch.delenv("BRIEF_RESET_BASE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.setattr(links, "lan_address", lambda probe=None: None)
    main(["demo"])
    out = capsys.readouterr().out
    assert "http://localhost:8501/?session=demo&key=" in out and "no network address" in out


def test_demo_command_follows_the_port_bin_app_serves_on(db_path, capsys, monkeypatch):
    from workshop import links

    monkeypatch.delenv("BRIEF_RESET_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "8610")
    monkeypatch.setattr(links, "lan_address", lambda probe=None: "10.0.0.7")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    main(["demo"])
    out = capsys.readouterr().out
    assert "http://10.0.0.7:8610/?admin=" in out and "http://10.0.0.7:8610/?code=" in out


def test_the_admin_link_is_never_written_into_a_log(db_path, capsys, monkeypatch):
    """Output that is not a terminal (bin/app > app.log) gets a note, not the key."""
    import builtins

    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", lambda f, *a, **k: (_ for _ in ()).throw(OSError("no tty"))
                        if f == "/dev/tty" else real_open(f, *a, **k))
    monkeypatch.setenv("BRIEF_RESET_ADMIN_KEY", "the-admin-key")
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "the-admin-key" not in out and "admin-link" in out
    assert main(["admin-link"]) == 0
    assert capsys.readouterr().out.strip().endswith("/?admin=the-admin-key")


def test_sessions_command_lists_counts(store, capsys):
    assert main(["sessions"]) == 0
    assert "No sessions yet" in capsys.readouterr().out
    demo = ensure_demo_session(store)
    other = store.create_session("Spring reset", company="Acme")
    p = store.join(other.id, "Ana", "sales")
    store.save_answer(p.token, "trigger", "x")
    assert main(["sessions"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "CODE", "TITLE", "COMPANY", "CREATED", "PEOPLE", "ANSWERS"]
    row = next(line for line in lines if line.startswith(other.id))
    assert other.join_code in row and "Spring reset" in row and row.split()[-2:] == ["1", "1"]
    demo_row = next(line for line in lines if line.startswith("demo"))
    assert demo_row.split()[-2:] == [str(len(store.participants(demo.id))),
                                     str(len(store.answers(demo.id)))]


def test_demo_command_is_quick_and_leaves_the_analysis_to_the_server(db_path, capsys, monkeypatch):
    """bin/app shows its first page in seconds: the server's worker analyses the demo, not this command."""
    from workshop import analysis

    monkeypatch.setattr(analysis, "run_analysis", lambda *a, **k: (_ for _ in ()).throw(AssertionError("ran")))
    assert main(["demo"]) == 0
    assert "the server analyses them as it starts" in capsys.readouterr().out
