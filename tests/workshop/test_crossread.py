"""Cross-reading: who sees what and when, marks stored at once, and what the room's reading adds up to."""

from __future__ import annotations

import pytest

from embeddings.report import ALIGNED, DIVERGENT, POSSIBLE, SHARED, DimensionResult, MapPoint, Report, Statement, Theme
from workshop import analysis, corrections, crossread
from workshop.crossread import NEW, SAME, CrossreadError

ANSWERS = {
    ("Ana", "sales"): {"objections": "Procurement wants a flat fee\nPrice per seat", "trigger": "Audit finding"},
    ("Ben", "sales"): {"objections": "price per seat\nSecurity review takes months"},
    ("Mia", "marketing"): {"objections": "They think they can build it in-house\nIntegration worries"},
    ("Noa", "marketing"): {"objections": "Integration worries\nNot a priority this year"},
}


@pytest.fixture
def room(store, session):
    people = {}
    for (name, function), answers in ANSWERS.items():
        person = store.join(session.id, name, function)
        for key, text in answers.items():
            store.save_answer(person.token, key, text)
        people[name] = person
    return people


def _start(store, session):
    store.set_collection_open(session.id, False)
    crossread.set_enabled(store, session.id, True)
    return crossread.start(store, session)


def _statements(store, token, key="objections"):
    view = crossread.reader_view(store, token)
    return next(p for p in view.prompts if p.key == key).statements


def _mark_all(store, token, value, key="objections", only=None):
    for s in _statements(store, token, key):
        if only is None or s.text in only:
            crossread.mark(store, token, s.id, value)


# -- who sees what, and when -------------------------------------------------------------


def test_nothing_of_anybody_else_before_the_start(store, session, room):
    assert crossread.reader_view(store, room["Ana"].token) is None
    store.set_collection_open(session.id, False)
    crossread.set_enabled(store, session.id, True)
    assert crossread.reader_view(store, room["Ana"].token) is None  # on, closed, not started


def test_start_needs_collection_closed(store, session, room):
    crossread.set_enabled(store, session.id, True)
    with pytest.raises(CrossreadError, match="Close collection first"):
        crossread.start(store, session)
    assert not crossread.phase(store, session.id).started


def test_a_reader_sees_only_the_other_sides_statements_and_no_names(store, session, room):
    _start(store, session)
    view = crossread.reader_view(store, room["Ana"].token)
    seen = {s.text for p in view.prompts for s in p.statements}
    assert seen == {"They think they can build it in-house", "Integration worries", "Not a priority this year"}
    assert {s.function for p in view.prompts for s in p.statements} == {"marketing"}
    assert not any(name in repr(view) for name in ("Ana", "Ben", "Mia", "Noa"))
    # The same line from two marketers is one statement.
    assert sum(s.text == "Integration worries" for p in view.prompts for s in p.statements) == 1
    marketer = crossread.reader_view(store, room["Mia"].token)
    assert {s.text for s in next(p for p in marketer.prompts if p.key == "objections").statements} == {
        "Procurement wants a flat fee", "Price per seat", "Security review takes months"}


def test_the_order_is_shuffled_the_same_way_for_one_reader(store, session):
    writers = [store.join(session.id, f"M{i}", "marketing") for i in range(8)]
    for i, person in enumerate(writers):
        store.save_answer(person.token, "fears", f"Fear number {i}")
    readers = [store.join(session.id, f"S{i}", "sales") for i in range(2)]
    _start(store, session)
    first = [s.text for s in _statements(store, readers[0].token, "fears")]
    assert first == [s.text for s in _statements(store, readers[0].token, "fears")]
    assert first != [s.text for s in _statements(store, readers[1].token, "fears")]
    assert sorted(first) == sorted(f"Fear number {i}" for i in range(8))


def test_closing_or_reopening_collection_stops_showing_statements(store, session, room):
    _start(store, session)
    store.set_collection_open(session.id, True)
    assert crossread.reader_view(store, room["Ana"].token) is None  # answers could change: paused
    store.set_collection_open(session.id, False)
    assert crossread.reader_view(store, room["Ana"].token) is not None
    crossread.close(store, session.id)
    assert crossread.reader_view(store, room["Ana"].token) is None


# -- marks --------------------------------------------------------------------------------


def test_a_mark_is_stored_at_once_changed_and_cleared(store, session, room):
    _start(store, session)
    token = room["Ana"].token
    first = _statements(store, token)[0]
    crossread.mark(store, token, first.id, SAME)
    assert crossread.reader_view(store, token).marks == {first.id: SAME}
    crossread.mark(store, token, first.id, NEW)
    assert crossread.reader_view(store, token).marks == {first.id: NEW}
    assert len(crossread.marks(store, session.id)) == 1
    crossread.mark(store, token, first.id, None)  # skipped after all
    assert crossread.marks(store, session.id) == []


def test_marks_on_own_statements_unknown_marks_and_late_marks_are_refused(store, session, room):
    _start(store, session)
    own = _statements(store, room["Mia"].token)[0]  # a sales statement: Ana's own side
    with pytest.raises(CrossreadError, match="no longer"):
        crossread.mark(store, room["Ana"].token, own.id, SAME)
    theirs = _statements(store, room["Ana"].token)[0]
    with pytest.raises(CrossreadError):
        crossread.mark(store, room["Ana"].token, theirs.id, "maybe")
    crossread.close(store, session.id)
    with pytest.raises(CrossreadError, match="closed"):
        crossread.mark(store, room["Ana"].token, theirs.id, SAME)
    assert crossread.marks(store, session.id) == []


# -- what it adds up to --------------------------------------------------------------------------


def test_recognition_per_statement_and_per_side(store, session, room):
    _start(store, session)
    _mark_all(store, room["Ana"].token, NEW)
    _mark_all(store, room["Ben"].token, NEW, only={"They think they can build it in-house", "Not a priority this year"})
    _mark_all(store, room["Ben"].token, SAME, only={"Integration worries"})
    for name in ("Mia", "Noa"):
        _mark_all(store, room[name].token, SAME)
    prompt = crossread.reading(store, session)["objections"]
    marketing = prompt.side("marketing")
    assert (marketing.readers, marketing.statements, marketing.recognised, marketing.new, marketing.split) == (2, 3, 0, 2, 1)
    worries = next(s for s in prompt.statements if s.text == "Integration worries")
    assert (worries.same, worries.new, worries.share, worries.outcome) == (1, 1, 0.5, crossread.SPLIT)  # a tie
    assert marketing.sentence() == "sales recognised 0 of marketing's 3 statements on objections"
    sales = prompt.side("sales")
    assert sales.score == 1.0 and sales.sentence() == "marketing recognised 3 of sales' 3 statements on objections"
    assert prompt.sentence() == ("Marketing recognised 3 of sales' 3 statements; "
                                 "sales recognised 0 of marketing's 3 statements.")


def test_fewer_than_two_readers_says_so_rather_than_scoring(store, session, room):
    _start(store, session)
    _mark_all(store, room["Ana"].token, SAME)
    prompt = crossread.reading(store, session)["objections"]
    marketing = prompt.side("marketing")
    assert not marketing.scored and marketing.score is None
    assert "too few to score" in marketing.sentence() and "only 1 sales reader" in marketing.sentence()
    assert prompt.side("sales").sentence() == "nobody from marketing marked sales' statements on objections"
    assert prompt.view is None and crossread.disagreement(prompt, ALIGNED) == ""
    assert crossread.room_words(prompt) == "too few readers to score"


def test_a_late_joiner_reads_and_is_read(store, session, room):
    _start(store, session)
    _mark_all(store, room["Mia"].token, SAME)
    store.set_collection_open(session.id, True)  # the facilitator lets one more in
    late = store.join(session.id, "Lea", "sales")
    store.save_answer(late.token, "objections", "Legal wants our DPA first")
    store.set_collection_open(session.id, False)
    assert "Legal wants our DPA first" in {s.text for s in _statements(store, room["Noa"].token)}
    _mark_all(store, late.token, NEW)
    _mark_all(store, room["Ana"].token, NEW)
    prompt = crossread.reading(store, session)["objections"]
    assert prompt.side("marketing").readers == 2 and prompt.side("marketing").new == 3
    sales = prompt.side("sales")
    assert sales.statements == 4 and sales.recognised == 3 and sales.unread == 1  # Mia marked before Lea wrote
    assert crossread.progress(store, session)[0].joined == 3


def test_the_readers_and_the_verdict_disagree(store, session, room):
    _start(store, session)
    for name in ("Ana", "Ben"):
        _mark_all(store, room[name].token, NEW)
    for name in ("Mia", "Noa"):
        _mark_all(store, room[name].token, NEW)
    prompt = crossread.reading(store, session)["objections"]
    assert "readers found most of the other side's statements new (6 of 6)" in crossread.disagreement(prompt, ALIGNED)
    assert crossread.disagreement(prompt, DIVERGENT) == ""
    for name in ("Ana", "Ben", "Mia", "Noa"):
        _mark_all(store, room[name].token, SAME)
    prompt = crossread.reading(store, session)["objections"]
    assert "readers recognised most" in crossread.disagreement(prompt, DIVERGENT)
    assert crossread.disagreement(prompt, ALIGNED) == ""


def test_the_lobby_counts_readers_and_marks_never_text(store, session, room):
    _start(store, session)
    _mark_all(store, room["Ana"].token, SAME)
    rows = crossread.progress(store, session)
    assert [(r.function, r.joined, r.reading, r.marks) for r in rows] == [("sales", 2, 1, 3), ("marketing", 2, 0, 0)]


# -- one-sided candidates ---------------------------------------------------------------------------


def _report() -> Report:
    mixed = Theme("Integration", SHARED, ["Mia", "Ana"], [Statement("Mia", "marketing", "Integration worries"),
                                                           Statement("Ana", "sales", "Price per seat")])
    alone = Theme("Build it", SHARED, ["Mia"], [Statement("Mia", "marketing", "They think they can build it in-house")])
    points = [MapPoint(0, 0, s.participant, s.function, s.text, n)
              for n, t in enumerate((mixed, alone)) for s in t.statements]
    points += [MapPoint(1, 1, "Noa", "marketing", "Not a priority this year"),
               MapPoint(1, 1, "Noa", "marketing", "Integration worries"),
               MapPoint(1, 1, "Ana", "sales", "Procurement wants a flat fee")]
    return Report([DimensionResult("objections", ALIGNED, 0.8, "", themes=[mixed, alone], map=points)])


def test_a_statement_most_readers_found_new_becomes_a_candidate(store, session, room):
    _start(store, session)
    for name in ("Ana", "Ben"):
        _mark_all(store, room[name].token, NEW)
    _mark_all(store, room["Mia"].token, NEW, only={"Procurement wants a flat fee"})  # one reader: unscored
    report = _report()
    fixed = crossread.apply_reading(report, crossread.reading(store, session))
    themes = {t.label: t for t in fixed.dimension("objections").themes}
    assert themes["Integration"].side == SHARED  # both sides speak in it: left alone
    assert (themes["Build it"].side, themes["Build it"].confidence) == ("marketing", POSSIBLE)
    assert crossread.from_room(themes["Build it"])
    added = themes["Not a priority this year"]
    assert (added.side, added.confidence, added.participants) == ("marketing", POSSIBLE, ["Noa"])
    assert "Procurement wants a flat fee" not in themes  # sales was read by one marketer only
    point = next(p for p in fixed.dimension("objections").map if p.text == "Not a priority this year")
    assert fixed.dimension("objections").themes[point.theme] is added
    assert report.dimension("objections").themes[1].side == SHARED  # the input is unchanged


def test_the_stored_report_shows_the_candidates_and_they_can_be_corrected(store, session, room):
    _start(store, session)
    for name in ("Ana", "Ben"):
        _mark_all(store, room[name].token, NEW)
    analysis.save_report(store, session, _report())
    report = analysis.session_report(store, session)
    added = next(t for t in report.dimension("objections").themes if t.label == "Not a priority this year")
    corrections.add(store, session.id, corrections.dismiss("objections", added))
    after = analysis.session_report(store, session)
    assert "Not a priority this year" not in [t.label for t in after.dimension("objections").themes]
    stored = store.get_state(session.id, analysis.STATE_KEY)["report"]
    assert len(stored["dimensions"][0]["themes"]) == 2  # the stored analysis stays the analysis's own


def test_without_cross_reading_the_report_is_untouched(store, session, room):
    analysis.save_report(store, session, _report())
    assert analysis.session_report(store, session) == _report()
    assert crossread.reading(store, session) == {}
