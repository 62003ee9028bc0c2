"""Step 8: who does what, by when. The add form also sits under every other step."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pages.context import plain
from pages.reset_steps import sync
from workshop import edits
from workshop.store import StoreError


def _add(store, session_id: str, prefix: str) -> None:
    what = st.session_state.get(f"{prefix}-what", "")
    owner = st.session_state.get(f"{prefix}-owner", "")
    due = st.session_state.get(f"{prefix}-due")
    try:
        store.add_action(session_id, what, owner, due.isoformat() if isinstance(due, date) else "")
    except StoreError as error:
        st.session_state[f"{prefix}-error"] = str(error)
        return
    st.session_state[f"{prefix}-error"] = ""
    st.session_state[f"{prefix}-added"] = what.strip()
    for field in ("what", "owner"):
        st.session_state[f"{prefix}-{field}"] = ""
    st.session_state[f"{prefix}-due"] = None


def add_action_form(store, session, prefix: str = "action") -> None:
    what, owner, due, add = st.columns([5, 2, 2, 1.3], vertical_alignment="bottom")
    what.text_input("What", key=f"{prefix}-what", placeholder="e.g. write the proof asset sales keeps asking for",
                    max_chars=300)
    owner.text_input("Owner", key=f"{prefix}-owner", max_chars=80)
    due.date_input("Due", key=f"{prefix}-due", value=None, format="YYYY-MM-DD")
    add.button("Add", key=f"{prefix}-add", on_click=_add, args=(store, session.id, prefix), width="stretch")
    if st.session_state.get(f"{prefix}-error"):
        st.error(st.session_state[f"{prefix}-error"])
    elif st.session_state.get(f"{prefix}-added"):
        st.success(f"Added: {plain(st.session_state[f'{prefix}-added'])}")
        st.session_state[f"{prefix}-added"] = ""


def _update(store, session_id: str, action_id: int, field: str, key: str) -> None:
    value = st.session_state.get(key)
    if field in ("what", "owner"):
        current = next((getattr(a, field) for a in store.actions(session_id) if a.id == action_id), "")
        # Another tab may have changed it since this one showed it: say what this replaces.
        sync.saved(key, edits.merge_line(sync.base(key) or "", value or "", current))
    else:
        st.session_state.setdefault(sync.SHOWN, {})[key] = value
    if field == "due":
        value = value.isoformat() if isinstance(value, date) else ""
    if field == "what" and not (value or "").strip():
        return  # an action keeps a description; delete it instead
    try:
        store.update_action(action_id, **{field: value})
    except StoreError:
        pass  # deleted in another tab meanwhile: the list below no longer shows it


def _parse_due(due: str) -> date | None:
    try:
        return date.fromisoformat(due) if due else None
    except ValueError:
        return None


def render(store, session, agenda) -> None:
    st.markdown('<p class="reset-big">What will each of us do next, and by when?</p>', unsafe_allow_html=True)
    add_action_form(store, session, prefix="action")
    items = store.actions(session.id)
    if not items:
        st.info("No actions yet. Add the first one above.")
        return
    st.subheader(f"{len(items)} action{'s' if len(items) != 1 else ''}", anchor=False)
    for column, label in zip(st.columns([0.6, 5, 2, 2, 0.8]), ("Done", "What", "Owner", "Due", "")):
        column.caption(label)
    for item in items:
        done, what, owner, due, remove = st.columns([0.6, 5, 2, 2, 0.8], vertical_alignment="center")
        keys = {f: f"act-{item.id}-{f}" for f in ("done", "what", "owner", "due")}
        sync.follow(keys["done"], item.done)
        sync.follow(keys["what"], item.what)
        sync.follow(keys["owner"], item.owner)
        sync.follow(keys["due"], _parse_due(item.due))
        done.checkbox("Done", key=keys["done"], label_visibility="collapsed",
                      on_change=_update, args=(store, session.id, item.id, "done", keys["done"]))
        what.text_input("What", key=keys["what"], label_visibility="collapsed",
                        on_change=_update, args=(store, session.id, item.id, "what", keys["what"]))
        owner.text_input("Owner", key=keys["owner"], label_visibility="collapsed", placeholder="owner",
                         on_change=_update, args=(store, session.id, item.id, "owner", keys["owner"]))
        due.date_input("Due", key=keys["due"], label_visibility="collapsed", format="YYYY-MM-DD",
                       on_change=_update, args=(store, session.id, item.id, "due", keys["due"]))
        for key in (keys["what"], keys["owner"]):
            sync.note(key)
        remove.button(":material/delete:", key=f"act-{item.id}-delete", help="Delete this action",
                      on_click=store.delete_action, args=(item.id,))
    st.divider()
    st.page_link("pages/summary.py", label="Next: the session summary everyone gets", icon=":material/description:")
