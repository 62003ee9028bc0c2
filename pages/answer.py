"""A participant's own page: the prompts, answered privately, saved as they are written.

Everything shown comes from this participant's token: `own_answer_versions(token)`,
never the session's answers, so nobody's text can reach anybody else's page. After
the close, and only once the facilitator starts it, the cross-reading shows the
other functions' statements without names (`crossread.reader_view(token)`,
pages/crossread_view.py); after the reveal the vote shows theme names
(pages/vote_view.py).

A room of sixty shares one server, so the page is built to be cheap to re-run
(benchmarks/server_load.py): the whole page runs when it opens and when
collection closes or reopens; a save re-runs only its own box (each box is a
fragment); Submit re-runs only its own panel; and every five seconds a
fragment reads one flag to learn whether collection is still open.
"""

from __future__ import annotations

import uuid

import streamlit as st

from pages import crossread_view, vote_view
from pages.context import StorageUnavailable, base_url, get_store, plain, reading_width
from pages.unsaved_guard import blur_typing_box, commit_typing_on_leave
from workshop import crossread, links, votes
from workshop.agenda import READINESS_KEY, READINESS_STAGES, readiness_stage
from workshop.models import MAX_ANSWER_CHARS, Prompt
from workshop.store import AnswerConflict, CollectionClosed, Store, StoreError

CANNOT_SAVE = "The server cannot save right now; your text is kept here."
RETRY_SECONDS = 5


def _field(prompt: Prompt) -> str:
    return f"answer_{prompt.key}"


def _saved() -> dict[str, tuple[str, int]]:
    """What this tab last knew the store held, per prompt: (text, version)."""
    return st.session_state.setdefault("saved", {})


def _problems() -> dict[str, dict]:
    """Per prompt, why its text is not saved: {"kind", "message", "text", ...}."""
    return st.session_state.setdefault("problems", {})


def _points(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def _save_text(store: Store, token: str, key: str, text: str, base: int | None) -> None:
    """Save one box's text; whatever the store refuses is kept, with the reason."""
    problems = _problems()
    try:
        answer = store.save_answer(token, key, text, base_version=base)
    except AnswerConflict as error:
        problems[key] = {"kind": "conflict", "message": str(error), "text": text,
                         "stored": error.stored_text, "version": error.stored_version}
    except StorageUnavailable:
        problems[key] = {"kind": "unavailable", "message": CANNOT_SAVE, "text": text}
    except CollectionClosed as error:
        problems[key] = {"kind": "closed", "message": str(error), "text": text}
    except StoreError as error:
        problems[key] = {"kind": "refused", "message": str(error), "text": text}
    else:
        problems.pop(key, None)
        _saved()[key] = (answer.text, answer.version) if answer else ("", 0)


def _on_box_change(store: Store, token: str, prompt: Prompt) -> None:
    """on_change: store the one box that changed, from the version this tab last saw.

    Saving a single box means a second tab or device that edits another
    prompt is never overwritten with this tab's older copy; the version check
    means one that edited the same prompt is not overwritten either.
    """
    key = _field(prompt)
    text = st.session_state[key] or ""
    if len(text) > MAX_ANSWER_CHARS:
        # Said, not dropped: the box keeps the first part and shows the rest.
        st.session_state[f"cut_{prompt.key}"] = text[MAX_ANSWER_CHARS:]
        text = text[:MAX_ANSWER_CHARS]
        st.session_state[key] = text
    else:
        st.session_state.pop(f"cut_{prompt.key}", None)
    _save_text(store, token, prompt.key, text, _saved().get(prompt.key, ("", 0))[1])


def _keep_mine(store: Store, token: str, prompt: Prompt) -> None:
    problem = _problems()[prompt.key]
    _save_text(store, token, prompt.key, problem["text"], problem["version"])


def _take_stored(prompt: Prompt) -> None:
    problem = _problems().pop(prompt.key)
    _saved()[prompt.key] = (problem["stored"], problem["version"])
    st.session_state[_field(prompt)] = problem["stored"]


def _show_problem(prompt: Prompt, problem: dict) -> None:
    if problem["kind"] == "conflict":
        st.warning(
            f"{problem['message']} Both versions are kept until you choose. "
            "Your text is in the box; the one saved elsewhere:"
        )
        st.code(problem["stored"] or "(empty)", language=None, wrap_lines=True)
        return
    if problem["kind"] == "unavailable":
        st.warning(f"{CANNOT_SAVE} It is tried again every few seconds; keep this page open.")
        return
    st.error(f"Not saved: {problem['message']} Copy your text before leaving this page.")
    st.code(problem["text"], language=None, wrap_lines=True)


@st.fragment
def _box(store: Store, token: str, prompt: Prompt, number: int, is_open: bool) -> None:
    """One prompt: its box and whether it is saved. A save re-runs only this."""
    key = _field(prompt)
    st.markdown(f"**{number}. {plain(prompt.text)}**")
    if prompt.example.strip():
        # How to answer, in the facilitator's words; never a sample answer to copy.
        st.caption(plain(" ".join(prompt.example.split())))
    st.text_area(
        plain(prompt.text),
        key=key,
        height=150,
        placeholder="One point per line",
        label_visibility="collapsed",
        disabled=not is_open,
        on_change=_on_box_change,
        args=(store, token, prompt),
    )
    cut = st.session_state.get(f"cut_{prompt.key}")
    if cut:
        st.warning(
            f"Answers are kept to {MAX_ANSWER_CHARS:,} characters: the box keeps the first "
            f"{MAX_ANSWER_CHARS:,}, these {len(cut):,} did not fit. Copy what matters into "
            "fewer words:"
        )
        st.code(cut, language=None, wrap_lines=True)
    problem = _problems().get(prompt.key)
    if problem:
        _show_problem(prompt, problem)
        if problem["kind"] == "conflict" and is_open:
            mine, theirs = st.columns(2)
            mine.button("Save mine instead", key=f"mine_{prompt.key}",
                        on_click=_keep_mine, args=(store, token, prompt))
            theirs.button("Use the one saved elsewhere", key=f"theirs_{prompt.key}",
                          on_click=_take_stored, args=(prompt,))
        return
    saved = _saved().get(prompt.key, ("", 0))[0]
    if saved:
        points = _points(saved)
        st.caption(f"✓ Saved · {points} point{'s' if points != 1 else ''}")
    else:
        st.caption(f"Not answered yet · up to {MAX_ANSWER_CHARS:,} characters")


def _on_stage_change(store: Store, token: str, prompt: Prompt) -> None:
    _save_text(store, token, prompt.key, st.session_state[_field(prompt)] or "", None)


@st.fragment
def _readiness(store: Store, token: str, prompt: Prompt, number: int, is_open: bool) -> None:
    """The optional readiness prompt: one of five stages, chosen rather than typed."""
    st.markdown(f"**{number}. {plain(prompt.text)}**")
    stored = _saved().get(prompt.key, ("", 0))[0]
    st.radio(
        plain(prompt.text),
        READINESS_STAGES,
        index=readiness_stage(stored),
        key=_field(prompt),
        label_visibility="collapsed",
        disabled=not is_open,
        on_change=_on_stage_change,
        args=(store, token, prompt),
    )
    problem = _problems().get(prompt.key)
    if problem:
        st.error(f"Not saved: {problem['message']}")
    elif stored:
        st.caption("✓ Saved")


def _retry_kept(store: Store, token: str, is_open: bool) -> bool:
    """Save again the texts kept because the server could not save (or collection
    was closed and is open again); True if any of them is saved now."""
    retry = {"unavailable", "closed"} if is_open else {"unavailable"}
    waiting = {k: p for k, p in _problems().items() if p["kind"] in retry}
    for key, problem in waiting.items():
        _save_text(store, token, key, problem["text"], _saved().get(key, ("", 0))[1])
    return any(key not in _problems() for key in waiting)


@st.fragment(run_every=RETRY_SECONDS)
def _watch_collection(store: Store, token: str, session_id: str, was_open: bool, was_room=None) -> None:
    """Every few seconds, one read: has the facilitator closed (or reopened) collection,
    started or closed cross-reading, opened or closed voting?

    Also where texts kept on the page are tried again. On a close, the box
    being typed in is committed first (its text reaches the server, which
    refuses it and keeps it on the page with a way to copy it), and the page
    turns read-only on the next tick.
    """
    try:
        signal = crossread.room_signal(store, session_id)
        is_open = signal[0] if signal else None
        if is_open is not None and _problems() and _retry_kept(store, token, is_open):
            st.rerun(scope="app")  # the boxes show ✓ Saved again
    except StoreError:
        return  # the store said why where it matters: in the box
    if is_open is not None and is_open == was_open and signal[1:] != was_room:
        st.rerun(scope="app")  # cross-reading or voting started or stopped: the page shows it
    if is_open is None or is_open == was_open:
        st.session_state.pop("closing_seen", None)
        return
    if was_open and not st.session_state.get("closing_seen"):
        st.session_state["closing_seen"] = True
        blur_typing_box(uuid.uuid4().hex)
        return
    st.session_state.pop("closing_seen", None)
    st.rerun(scope="app")


def _on_submit(store: Store, token: str) -> None:
    try:
        store.mark_submitted(token)
    except StoreError as error:
        st.session_state["submit_error"] = str(error)
    else:
        st.session_state.pop("submit_error", None)
        st.session_state["submitted"] = True


@st.fragment
def _submit(store: Store, token: str, prompts: list[Prompt]) -> None:
    """Submit re-runs only this panel."""
    if st.session_state.get("submitted"):
        answered = sum(1 for p in prompts if _saved().get(p.key, ("", 0))[0])
        st.success(
            f"Submitted. You answered {answered} of {len(prompts)} questions and can still "
            "change your answers until the facilitator closes collection; changes are "
            "saved automatically."
        )
        return
    st.write("When you are done, submit so the facilitator sees you are ready.")
    st.button("Submit my answers", type="primary", on_click=_on_submit, args=(store, token))
    if st.session_state.get("submit_error"):
        st.error(st.session_state["submit_error"])


def _sync_from_store(store: Store, token: str, prompts: list[Prompt]) -> None:
    """Fill the boxes from the store when the page opens, and again only for
    boxes another tab or device changed since, which show what this tab last
    saved (a box holding text the store refused keeps it, so nothing typed is lost).
    """
    stored = store.own_answer_versions(token)
    saved, problems = _saved(), _problems()
    for prompt in prompts:
        key = _field(prompt)
        now = stored.get(prompt.key, ("", 0))
        before = saved.get(prompt.key)
        if prompt.key in problems:
            st.session_state[key] = problems[prompt.key]["text"]
            continue
        if key not in st.session_state or before is None or (
            now != before and st.session_state[key] == before[0]
        ):
            st.session_state[key] = now[0]
            saved[prompt.key] = now


def room_step(store: Store, token: str, session) -> bool:
    """After the close: the vote, or the cross-reading, when the facilitator has opened it (True if drawn)."""
    if votes.voting(store, session.id).opened:
        vote_view.voting(store, token)
        return True
    current = crossread.phase(store, session.id)
    if crossread.reading_open(session, current):
        crossread_view.reading(store, token)
        return True
    if current.enabled and not current.started:
        st.info("**Next:** you will read what the other side wrote here, without names, when the "
                "facilitator starts it. This page changes by itself.")
    elif current.closed:
        st.success("Cross-reading is closed. Thank you: your marks are in.")
    return False


def main(store: Store) -> None:
    reading_width()
    token = st.query_params.get("p", "")
    participant = store.participant_by_token(token)
    session = store.get_session(participant.session_id) if participant else None
    if participant is None or session is None:
        st.title("This link does not open a session")
        st.error("This personal link is not valid (any more). Join again with the code on the screen.")
        st.link_button("Join a session", base_url() + "/")
        st.stop()

    st.title(plain(session.title))
    st.caption(f"{plain(participant.name)} · {plain(participant.function.capitalize())}")
    signal = crossread.room_signal(store, session.id)
    # After the close the room may read the other side, then vote: that comes first on the page.
    room = not session.collection_open and room_step(store, token, session)

    st.info(
        "**Your personal link.** Keep this link to come back or continue on another "
        "device; it opens your answers and nobody else's."
    )
    st.code(links.personal_url(token, base_url()), language=None, wrap_lines=True)

    is_open = session.collection_open
    _watch_collection(store, token, session.id, is_open, signal[1:] if signal else None)
    commit_typing_on_leave()
    if is_open:
        st.write(
            "Answer each question on your own, **one point per line**. Your answers are "
            "saved as you write (click outside the box or press Ctrl+Enter); nobody sees "
            "them before the reveal."
        )
    else:
        st.warning("The facilitator has closed collection. Your answers are final and shown read-only.")

    _sync_from_store(store, token, session.prompts)
    with st.expander("Your answers (final)") if room else st.container():
        for number, prompt in enumerate(session.prompts, start=1):
            if prompt.key == READINESS_KEY:
                _readiness(store, token, prompt, number, is_open)
            else:
                _box(store, token, prompt, number, is_open)

    st.divider()
    if not is_open:
        answered = sum(1 for p in session.prompts if _saved().get(p.key, ("", 0))[0])
        st.write(f"You answered {answered} of {len(session.prompts)} questions. Thank you.")
        return
    if participant.submitted:
        st.session_state["submitted"] = True
    _submit(store, token, session.prompts)


if __name__ == "__main__":  # run as a page, not when imported
    main(get_store())
