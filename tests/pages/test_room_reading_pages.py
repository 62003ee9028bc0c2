"""The room's reading on the facilitator's pages: beside the verdict on the reveal, flagged in the check."""

from __future__ import annotations

import pytest

from tests.pages.test_crossread_facilitator import env, facilitator, open_app, open_step, sent  # noqa: F401
from tests.room_sample import make_read_room
from workshop import crossread


@pytest.fixture
def read_room(store):
    return make_read_room(store)


def test_the_reveal_shows_what_the_room_recognised_beside_the_verdict(store, read_room):
    page = sent(open_step(store, read_room, "reveal")._tree)
    disagree = "(the readers and the analysis disagree)"
    assert f"<b>Evidence</b>, the room: marketing recognised 0 of 3 · sales recognised 0 of 3 {disagree}" in page
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
    assert any("The analysis says aligned, but readers found most of the other side's statements new \\(6 of 6\\)"
               in w.value for w in at.warning)
    marked = " ".join(m.value for m in at.markdown)
    assert "Peer references close deals — *0 of 4 readers would say it too*" in marked.replace("\\", "")
