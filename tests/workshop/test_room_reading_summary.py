"""The room's own reading in the summary, every export and the backup (restored, it is the same)."""

from __future__ import annotations

import json

import pytest

from tests.room_sample import LONE, make_read_room
from workshop import backup, crossread, summary, votes
from workshop.backup import BackupError
from workshop.export import to_html, to_markdown, to_pdf
from workshop.store import Store

NAMES = ("Ana", "Ben", "Chen", "Dita", "Eva", "Femi", "Gus")


@pytest.fixture
def room(store):
    session = make_read_room(store)
    session = store.update_session(session.id, revealed=True)
    crossread.close(store, session.id)
    votes.open_voting(store, session)
    for name, labels in (("Ana", ["Price per seat", "Pilot on their own data"]), ("Eva", ["Price per seat"]),
                         ("Ben", ["Migration effort"])):
        token = next(p.token for p in store.participants(session.id) if p.name == name)
        themes = {t.label: t.id for t in votes.voter_view(store, token).themes}
        for label in labels:
            votes.cast(store, token, themes[label])
    votes.close_voting(store, session.id)
    return session


def test_the_summary_says_what_each_side_recognised_per_prompt(store, room):
    s = summary.gather(store, room)
    lines = {r.prompt: r for r in s.recognition}
    assert lines["Evidence"].sentences == ["Marketing recognised 0 of sales' 3 statements on evidence",
                                           "Sales recognised 0 of marketing's 3 statements on evidence"]
    assert "The analysis says aligned" in lines["Evidence"].disagreement
    assert lines["Compare"].sentences[0] == "Marketing recognised 1 of sales' 1 statement on compare"
    assert not lines["Compare"].disagreement


def test_a_statement_most_readers_found_new_is_among_the_possible_themes(store, room):
    s = summary.gather(store, room)
    lone = next(t for t in s.possible_themes if t.label == LONE[3])
    assert lone.room and lone.side == "marketing" and lone.prompt == "Evidence"
    assert not any(t.room for t in s.themes)


def test_the_summary_lists_the_top_voted_themes_with_their_votes(store, room):
    s = summary.gather(store, room)
    assert [(v.theme, v.votes) for v in s.top_votes] == [("Price per seat", 2), ("Migration effort", 1),
                                                         ("Pilot on their own data", 1)]
    assert s.top_votes[0].sentence == "2 votes: Objections, “Price per seat” (both sides)"
    assert s.votes_note.startswith("3 people voted for the themes that matter most")


def test_every_format_reports_recognition_and_votes_and_names_nobody(store, room):
    s = summary.gather(store, room)
    markdown, html = to_markdown(s), to_html(s)
    for text in (markdown, html.replace("&#39;", "'")):
        assert "What each side recognised in the other's answers" in text
        assert "Sales recognised 0 of marketing's 3 statements on evidence." in text
        assert "Top-voted themes" in text and "Price per seat" in text
        assert "new to the other side's readers" in text.lower()
        assert not any(f"{name}," in text for name in NAMES)  # names are off in this session
    assert "| Objections | Price per seat | Both sides | 2 |" in markdown
    assert to_pdf(s).startswith(b"%PDF")


def test_without_cross_reading_or_votes_the_summary_has_neither(store):
    from tests.reset_sample import make_session

    s = summary.gather(store, make_session(store))
    assert s.recognition == [] and s.top_votes == [] and "Top-voted" not in to_markdown(s)


def test_the_backup_round_trips_marks_votes_and_their_switches(store, room, tmp_path):
    data = backup.backup_bytes(store, room.id)
    content = json.loads(data)["content"]
    assert len(content["crossread"]["marks"]) == len(crossread.marks(store, room.id)) > 0
    assert len(content["crossread"]["votes"]) == 4
    assert not any(name in json.dumps(content["crossread"]) for name in NAMES)  # readers by number
    elsewhere = Store(tmp_path / "elsewhere.db")
    restored = backup.restore(elsewhere, data)
    assert crossread.phase(elsewhere, restored.id) == crossread.phase(store, room.id)
    assert votes.voting(elsewhere, restored.id) == votes.voting(store, room.id)
    assert votes.tally(elsewhere, restored.id).counts == votes.tally(store, room.id).counts
    assert crossread.reading(elsewhere, restored) == crossread.reading(store, room)
    assert to_markdown(summary.gather(elsewhere, restored)) == to_markdown(summary.gather(store, room))
    # Replacing it here brings back the same marks (not twice as many).
    backup.restore(store, data, replace=True)
    assert len(crossread.marks(store, room.id)) == len(content["crossread"]["marks"])


def test_a_backup_with_a_damaged_mark_is_refused_whole(store, room, tmp_path):
    data = json.loads(backup.backup_bytes(store, room.id))
    data["content"]["crossread"]["marks"][0]["mark"] = "maybe"
    data["checksum"] = backup.checksum(data["content"])
    elsewhere = Store(tmp_path / "elsewhere.db")
    with pytest.raises(BackupError, match="cross-reading mark is 'maybe'"):
        backup.restore(elsewhere, data)
    assert elsewhere.list_sessions() == []


def test_an_older_backup_without_the_room_restores(store, room, tmp_path):
    data = json.loads(backup.backup_bytes(store, room.id))
    del data["content"]["crossread"]
    data["checksum"] = backup.checksum(data["content"])
    elsewhere = Store(tmp_path / "elsewhere.db")
    restored = backup.restore(elsewhere, data)
    assert crossread.marks(elsewhere, restored.id) == [] and votes.tally(elsewhere, restored.id).votes == 0
