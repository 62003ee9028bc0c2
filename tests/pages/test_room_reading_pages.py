"""The room's reading on the facilitator's pages: beside the verdict on the reveal, flagged in the check."""

from __future__ import annotations

import pytest

from tests.pages.test_crossread_facilitator import env, facilitator, open_app, open_step, sent  # noqa: F401
from tests.reset_sample import sample_report, store_report
from workshop import crossread


@pytest.fixture
def read_room(store):
    """The sample analysis, with answers that are its statements, and a cross-reading in which every reader
    found the other side's evidence new although the analysis calls evidence aligned."""
    report = sample_report()
    session = store.create_session("Read room", company="Northwind Ledger")
    said: dict[tuple[str, str], dict[str, list[str]]] = {}
    for dimension in report.dimensions:
        for point in dimension.map:
            said.setdefault((point.participant, point.function), {}).setdefault(dimension.key, []).append(point.text)
    tokens = {}
    for (name, function), answers in said.items():
        person = store.add_participant(session.id, name, function)
        tokens[name] = (person.token, function)
        for key, lines in answers.items():
            store.put_answer(person.id, key, "\n".join(lines))
    store.set_collection_open(session.id, False)
    session = store.get_session(session.id)
    store_report(store, session, report)
    crossread.set_enabled(store, session.id, True)
    crossread.start(store, session)
    for token, _ in tokens.values():
        view = crossread.reader_view(store, token)
        for prompt in view.prompts:
            for statement in prompt.statements:
                crossread.mark(store, token, statement.id, crossread.NEW if prompt.key == "evidence" else crossread.SAME)
    return session


def test_the_reveal_shows_what_the_room_recognised_beside_the_verdict(store, read_room):
    page = sent(open_step(store, read_room, "reveal")._tree)
    disagree = "(the readers and the analysis disagree)"
    assert f"<b>Evidence</b>, the room: marketing recognised 0 of 3 · sales recognised 0 of 2 {disagree}" in page
    assert f"<b>Compare</b>, the room: marketing recognised 1 of 1 · sales recognised 1 of 1<" in page
    # Trigger is divergent, yet every reader recognised the other side: the map's prompt says why.
    assert "readers recognised most of the other side&#x27;s statements (10 of 10)" in page
    assert not any(name in page for name in ("Ana", "Ben", "Chen", "Dita", "Eva", "Femi", "Gus"))
    assert crossread.phase(store, read_room.id).closed  # the reveal ended the reading


def test_the_check_flags_the_prompt_where_readers_and_analysis_disagree(store, read_room):
    at = open_app("pages/check.py", **facilitator(read_room))
    picker = at.segmented_control(key="check-prompt")
    assert [picker.format_func(k).endswith("· :material/flag:") for k in ("trigger", "objections", "evidence", "compare")] == [
        True, True, True, False]
    assert any("The analysis says divergent, but readers recognised most" in w.value for w in at.warning)
    at = at.segmented_control(key="check-prompt").set_value("compare").run()
    assert any("disagree on Trigger, Objections, Evidence" in w.value for w in at.warning)
    at = at.segmented_control(key="check-prompt").set_value("evidence").run()
    assert any("The analysis says aligned, but readers found most of the other side's statements new \\(5 of 5\\)"
               in w.value for w in at.warning)
