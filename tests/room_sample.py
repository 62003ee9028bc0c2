"""A session the room has cross-read and voted on, for tests that need the room's own reading.

The sample analysis (tests/reset_sample.py) with answers that are its statements, so the
cross-reading reads what the analysis grouped: every reader marks the other side's evidence
"new to us" (the analysis calls evidence aligned) and everything else "we'd say this too".
"""

from __future__ import annotations

from embeddings.report import MapPoint
from tests.reset_sample import sample_report, store_report
from workshop import crossread

# One more marketing line on evidence, in no theme of the analysis: the room makes it a candidate.
LONE = ("Gus", "marketing", "evidence", "An analyst report naming us")


def make_read_room(store, new_on=("evidence",)):
    report = sample_report()
    evidence = report.dimension("evidence")
    evidence.map.append(MapPoint(2.0, 2.0, LONE[0], LONE[1], LONE[3]))
    session = store.create_session("Read room", company="Northwind Ledger")
    said: dict[tuple[str, str], dict[str, list[str]]] = {}
    for dimension in report.dimensions:
        for point in dimension.map:
            said.setdefault((point.participant, point.function), {}).setdefault(dimension.key, []).append(point.text)
    for (name, function), answers in said.items():
        person = store.add_participant(session.id, name, function)
        for key, lines in answers.items():
            store.put_answer(person.id, key, "\n".join(lines))
    store.set_collection_open(session.id, False)
    session = store.get_session(session.id)
    store_report(store, session, report)
    crossread.set_enabled(store, session.id, True)
    crossread.start(store, session)
    for person in store.participants(session.id):
        view = crossread.reader_view(store, person.token)
        for prompt in view.prompts:
            for statement in prompt.statements:
                mark = crossread.NEW if prompt.key in new_on else crossread.SAME
                crossread.mark(store, person.token, statement.id, mark)
    return session
