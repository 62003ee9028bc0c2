"""A whole session written in one go: a CSV of answers, the demo, a restored backup.

One function, `import_session`, writes the session, its people, their
answers and whatever else the source carries inside one store transaction
(`Store.atomic`): all of it or nothing, even if the process is killed half-way,
so no caller ever has to undo a half-made session by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from workshop.models import DEFAULT_FUNCTIONS, DEFAULT_PROMPTS, Answer, Prompt, Session
from workshop.store import Store, now

# progress(done, total): called while the rows are written, and once at the end.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 50


@dataclass
class Person:
    """A participant to write, with their answers by prompt key."""

    name: str
    function: str
    answers: dict[str, str] = field(default_factory=dict)
    answered_at: dict[str, str] = field(default_factory=dict)  # prompt key -> time; now if missing
    token: str | None = None
    joined_at: str | None = None
    submitted_at: str | None = None


@dataclass
class SessionData:
    """Everything a new session starts with. Optional ids and times keep a restored one identical."""

    title: str
    company: str = ""
    facilitator: str = ""
    brief: str = ""
    functions: list[str] | tuple[str, ...] = DEFAULT_FUNCTIONS
    prompts: list[Prompt] | tuple[Prompt, ...] = DEFAULT_PROMPTS
    people: list[Person] = field(default_factory=list)
    collection_open: bool = False
    revealed: bool = False
    show_names: bool = False
    session_id: str | None = None
    join_code: str | None = None
    facilitator_key: str | None = None
    created_at: str | None = None
    decisions: list[dict] = field(default_factory=list)  # dimension, theme, choice, note, side, updated_at
    actions: list[dict] = field(default_factory=list)  # what, owner, due, done, created_at
    state: dict[str, Any] = field(default_factory=dict)
    state_times: dict[str, str] = field(default_factory=dict)


def people_from_answers(answers: list[Answer], submitted_at: str | None = None) -> list[Person]:
    """The people of an answers file, in the order they first appear.

    They answered elsewhere (a survey tool), so they count as submitted.
    """
    submitted_at = submitted_at or now()
    people: dict[str, Person] = {}
    for a in answers:
        person = people.setdefault(a.participant, Person(a.participant, a.function, submitted_at=submitted_at))
        person.answers[a.dimension] = a.text
    return list(people.values())


def import_session(
    store: Store, data: SessionData, *, replace: bool = False, progress: Progress | None = None,
) -> Session:
    """Write `data` as a new session in one transaction and return it.

    `replace`: a session with the same id is deleted in the same transaction,
    so it is only gone if the new one is wholly written. Raises StoreError
    (the message is for the person) and writes nothing when anything fails.
    """
    total = len(data.people) + sum(len(p.answers) for p in data.people)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)

    with store.atomic():
        if replace and data.session_id:
            store.delete_session(data.session_id)
        session = store.create_session(
            data.title, company=data.company, brief=data.brief, functions=data.functions,
            prompts=data.prompts, facilitator=data.facilitator, session_id=data.session_id,
            join_code=data.join_code, facilitator_key=data.facilitator_key, created_at=data.created_at,
        )
        session = store.update_session(
            session.id, collection_open=data.collection_open, revealed=data.revealed,
            show_names=data.show_names,
        )
        for person in data.people:
            made = store.add_participant(
                session.id, person.name, person.function, token=person.token,
                joined_at=person.joined_at or session.created_at, submitted_at=person.submitted_at,
            )
            step()
            for dimension, text in person.answers.items():
                store.put_answer(made.id, dimension, text, updated_at=person.answered_at.get(dimension))
                step()
        for d in data.decisions:
            store.save_decision(session.id, d["dimension"], d["theme"], d["choice"], d.get("note", ""),
                                d.get("side", ""), updated_at=d.get("updated_at"))
        for a in data.actions:
            store.add_action(session.id, a["what"], a.get("owner", ""), a.get("due", ""),
                             bool(a.get("done")), a.get("created_at"))
        for key, value in data.state.items():
            store.set_state(session.id, key, value, updated_at=data.state_times.get(key))
    if progress is not None:
        progress(total, total)
    return session
