"""A participant reads the other side's statements, prompt by prompt, and marks what their side would say too.

Drawn on the participant's own page (pages/answer.py) while the facilitator
has cross-reading open. Everything comes from `crossread.reader_view(token)`:
statements of the other functions only, without names, in this reader's own
shuffled order. A mark is stored the moment it is made and re-runs only this
fragment, so a room of phones stays cheap for the server.
"""

from __future__ import annotations

import streamlit as st

from pages.context import StorageUnavailable, plain
from workshop import crossread
from workshop.crossread import MARK_WORDS, MARKS, CrossreadError

PROMPT = "read-prompt"  # which prompt this reader is on (one past the last: done)
ERROR = "read-error"


def _on_mark(store, token: str, statement: str) -> None:
    try:
        crossread.mark(store, token, statement, st.session_state.get(f"mark-{statement}"))
    except CrossreadError as error:
        st.session_state[ERROR] = str(error)
    except StorageUnavailable:
        st.session_state[ERROR] = "The server cannot save right now; mark it again in a moment."
    else:
        st.session_state.pop(ERROR, None)


def _go(index: int) -> None:
    st.session_state[PROMPT] = index


def _names(functions: list[str]) -> str:
    return " and ".join(functions) if len(functions) < 3 else ", ".join(functions[:-1]) + " and " + functions[-1]


@st.fragment
def reading(store, token: str) -> None:
    """The cross-reading: one prompt at a time, each statement with its two marks."""
    view = crossread.reader_view(store, token)
    if view is None:
        st.info("Cross-reading has closed. Thank you: your marks are in.")
        return
    prompts = [p for p in view.prompts if p.statements]
    st.subheader("Read the other side", anchor=False)
    if not prompts:
        st.write(f"{_names(view.other_functions).capitalize()} wrote nothing to read. Thank you.")
        return
    index = min(max(int(st.session_state.get(PROMPT, 0)), 0), len(prompts))
    if index == len(prompts):
        st.success(f"Done: you marked {view.marked} of {view.total} statements. Thank you. You can change a "
                   "mark until the facilitator closes cross-reading.")
        st.button("Read them again", key="read-again", on_click=_go, args=(0,))
        return
    prompt = prompts[index]
    st.write(f"What {_names(view.other_functions)} wrote, without names, in a shuffled order. For each: "
             "would your side say it too, or is it new to you? Skip any you are unsure of. Nobody sees "
             "your marks, only the counts.")
    st.markdown(f"**{index + 1} of {len(prompts)}. {plain(prompt.question)}**")
    several = len(view.other_functions) > 1
    for statement in prompt.statements:
        key = f"mark-{statement.id}"
        if key not in st.session_state:
            st.session_state[key] = view.marks.get(statement.id)
        with st.container(border=True, key=f"stmt-{statement.id}"):
            st.markdown(plain(statement.text))
            if several:
                st.caption(f"From {plain(statement.function)}")
            st.segmented_control(
                "Your mark", list(MARKS), key=key, format_func=MARK_WORDS.get, label_visibility="collapsed",
                width="stretch", on_change=_on_mark, args=(store, token, statement.id),
            )
    if st.session_state.get(ERROR):
        st.error(st.session_state[ERROR])
    marked = sum(1 for s in prompt.statements if st.session_state.get(f"mark-{s.id}"))
    st.caption(f"{marked} of {len(prompt.statements)} marked here · a second tap on a mark takes it back")
    back, forward = st.columns(2)
    back.button("◀ Back", key="read-back", disabled=index == 0, width="stretch", on_click=_go, args=(index - 1,))
    last = index == len(prompts) - 1
    forward.button("Done" if last else "Next ▶", key="read-next", type="primary", width="stretch",
                   on_click=_go, args=(index + 1,))
