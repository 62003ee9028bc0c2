"""A full room at once: 50 people hitting save in the same second.

Threads share nothing but the database file, like Streamlit's script threads.
The busy timeout and BEGIN IMMEDIATE must make writers queue: every answer is
stored once and nobody sees "database is locked".
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from workshop.models import DIMENSIONS
from workshop.store import Store

PEOPLE = 50


def run_all_at_once(jobs):
    """Run the callables in threads released together; return their errors."""
    start = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job):
        start.wait()
        try:
            job()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        list(pool.map(run, jobs))
    return errors


def test_fifty_participants_join_and_save_at_once(store, session):
    def participant(i):
        def job():
            # Each thread opens its own Store, as a separate server worker would.
            own = Store(store.path)
            p = own.join(session.id, f"Person {i}", "sales" if i % 2 else "marketing")
            for dimension in DIMENSIONS:
                own.save_answer(p.token, dimension, f"{dimension} from person {i}\nsecond line")
            own.mark_submitted(p.token)
        return job

    errors = run_all_at_once([participant(i) for i in range(PEOPLE)])

    assert errors == [], [str(e) for e in errors[:3]]
    answers = store.answers(session.id)
    assert len(answers) == PEOPLE * len(DIMENSIONS)
    assert len({(a.participant, a.dimension) for a in answers}) == len(answers)
    assert all(a.text == f"{a.dimension} from {a.participant.lower()}\nsecond line" for a in answers)
    progress = store.progress(session.id)
    assert progress.total_joined == PEOPLE
    assert sum(progress.submitted.values()) == PEOPLE
    assert set(progress.answered.values()) == {PEOPLE}


def test_fifty_saves_on_one_shared_store_object(store, session):
    """The app shares one cached Store between sessions: that must be safe too."""
    people = [store.join(session.id, f"P{i}", "sales") for i in range(PEOPLE)]
    errors = run_all_at_once([
        (lambda p=p: [store.save_answer(p.token, d, f"{p.name} {d}") for d in DIMENSIONS])
        for p in people
    ])
    assert errors == []
    assert len(store.answers(session.id)) == PEOPLE * len(DIMENSIONS)


def test_two_tabs_of_one_participant_do_not_clobber_each_other(store, session):
    """Tab A types into one prompt while tab B types into another."""
    p = store.join(session.id, "Ana", "sales")

    def tab(dimension):
        return lambda: [
            store.save_answer(p.token, dimension, f"{dimension} draft {n}") for n in range(40)
        ]

    errors = run_all_at_once([tab("trigger"), tab("fears"), tab("evidence")])
    assert errors == []
    assert store.own_answers(p.token) == {
        "trigger": "trigger draft 39", "fears": "fears draft 39", "evidence": "evidence draft 39"}


def test_two_tabs_saving_the_same_prompt_keep_one_complete_answer(store, session):
    p = store.join(session.id, "Ana", "sales")
    texts = {"tab one " * 50, "tab two " * 50}
    errors = run_all_at_once([
        (lambda t=t: [store.save_answer(p.token, "fears", t) for _ in range(30)]) for t in texts
    ])
    assert errors == []
    assert store.own_answers(p.token)["fears"] in {t.strip() for t in texts}
    assert len(store.answers(session.id)) == 1


def test_the_facilitator_reading_the_lobby_while_people_save(store, session):
    people = [store.join(session.id, f"P{i}", "marketing") for i in range(20)]
    seen: list[int] = []

    def lobby():
        for _ in range(30):
            seen.append(sum(store.progress(session.id).answered.values()))

    errors = run_all_at_once(
        [lobby] + [(lambda p=p: [store.save_answer(p.token, d, "x") for d in DIMENSIONS])
                   for p in people]
    )
    assert errors == []
    assert seen == sorted(seen)  # counts only ever go up while people save
    assert sum(store.progress(session.id).answered.values()) == 20 * len(DIMENSIONS)
