"""Two facilitator tabs on one session (the projector and a laptop) stay in step.

Each tab polls a cheap signature of what the room has stored (the version of
every state value, the decisions, the actions, the session's switches) and
reruns when another tab changed it, within a few seconds. A widget follows
the stored value only while this tab's person has not changed it since it
was shown, so nothing typed here is replaced; a save that finds another tab's
write since is merged by workshop.edits and said out loud.
"""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from workshop import edits

SHOWN = "sync-shown"  # widget key -> the stored value this tab last put in it (the base of an edit)
SEEN = "sync-seen"  # the store's signature when this tab last drew the page
NOTES = "sync-notes"  # widget key -> what happened to this tab's last save, said once
POLL_SECONDS = 3


def follow(key: str, stored) -> None:
    """Show `stored` in widget `key`, unless the person changed the widget since this tab last showed it.

    Call before the widget is drawn.
    """
    shown = st.session_state.setdefault(SHOWN, {})
    if key not in st.session_state or key not in shown or (
        st.session_state[key] == shown[key] and stored != shown[key]
    ):
        st.session_state[key] = stored
        shown[key] = stored


def base(key: str):
    """The stored value this tab's widget `key` started from."""
    return st.session_state.get(SHOWN, {}).get(key, st.session_state.get(key))


def saved(key: str, result: edits.Merged) -> None:
    """After a save: the widget shows what is stored now, and says when another tab's text is in it."""
    st.session_state.setdefault(SHOWN, {})[key] = result.text
    if result.text != st.session_state.get(key):
        st.session_state[key] = result.text
    notes = st.session_state.setdefault(NOTES, {})
    if result.conflict:
        notes[key] = ("warning", "Another window changed the same lines a moment ago. Both versions are "
                                 "kept here: tidy them up.")
    elif result.merged:
        notes[key] = ("info", "Another window added to this a moment ago; both changes are kept.")
    elif result.replaced is not None:
        notes[key] = ("warning", f"Another window had changed this to “{result.replaced}”; yours replaced it.")


def save_text(store, session_id: str, state_key: str, widget_key: str, field: str | None = None,
              one_line: bool = False) -> edits.Merged:
    """Store widget `widget_key`'s text under state `state_key` (or its `field`), merging any write since."""
    read, write = edits.field_of(field) if field else ((lambda v: v if isinstance(v, str) else None),
                                                       (lambda v, text: text))
    result = edits.save_edit(store, session_id, state_key, base(widget_key) or "",
                             st.session_state.get(widget_key) or "", read, write, one_line=one_line)
    saved(widget_key, result)
    return result


def note(key: str) -> None:
    """Say, once, what happened to this tab's last save of widget `key`."""
    said = st.session_state.get(NOTES, {}).pop(key, None)
    if said:
        level, text = said
        getattr(st, level)(text)


def signature(store, session_id: str) -> str:
    """Changes when anything a facilitator edits is stored, by any tab."""
    session = store.get_session(session_id)
    payload = {
        "state": store.state_versions(session_id),
        "decisions": [(d.dimension, d.theme, d.choice, d.note) for d in store.decisions(session_id)],
        "actions": [(a.id, a.what, a.owner, a.due, a.done) for a in store.actions(session_id)],
        "session": None if session is None else (session.collection_open, session.revealed, session.show_names),
    }
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def remember(store, session_id: str) -> None:
    """Call at the end of a full run: what this tab has drawn."""
    st.session_state[SEEN] = signature(store, session_id)


@st.fragment(run_every=POLL_SECONDS)
def watch(store, session_id: str) -> None:
    """Rerun the page when another tab stored something this one has not drawn."""
    if SEEN in st.session_state and signature(store, session_id) != st.session_state[SEEN]:
        st.rerun(scope="app")
