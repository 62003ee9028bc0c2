"""Step 6: the metrics marketing is judged on, and whether it can move them."""

from __future__ import annotations

import streamlit as st

from pages.context import plain
from pages.reset_steps import sync
from workshop import edits
from workshop import scorecard as card
from workshop.scorecard import INFLUENCE, ScorecardError

LABELS = {"yes": "Yes", "partly": "Partly", "no": "No"}


def _add(store, session_id: str, name: str | None = None) -> None:
    name = name if name is not None else st.session_state.get("metric-new", "")
    try:
        card.save(store, session_id, card.add_metric(card.load(store, session_id), name))
    except ScorecardError as error:
        st.session_state["metric-error"] = str(error)
        return
    st.session_state["metric-error"] = ""
    st.session_state["metric-new"] = ""


def _suggest(store, session_id: str) -> None:
    picked = st.session_state.get("metric-suggest")
    st.session_state["metric-suggest"] = None
    if picked:
        _add(store, session_id, picked)


def _rate(store, session_id: str, name: str, index: int) -> None:
    influence = st.session_state.get(f"metric-{index}-influence")
    note_key = f"metric-{index}-note"
    note = st.session_state.get(note_key, "") or ""
    before = next((m for m in card.load(store, session_id) if m.name == name), None)
    # A note another tab wrote since this one showed it is named, not silently replaced.
    sync.saved(note_key, edits.merge_line(sync.base(note_key) or "", note, before.note if before else ""))
    st.session_state.setdefault(sync.SHOWN, {})[f"metric-{index}-influence"] = influence
    edits.update_state(store, session_id, card.STATE_KEY, lambda rows: card.dump(
        card.rate(card.parse(rows), name, influence, note)), [])


def _remove(store, session_id: str, name: str) -> None:
    card.save(store, session_id, card.remove(card.load(store, session_id), name))
    for key in [k for k in st.session_state if str(k).startswith("metric-") and k[7:8].isdigit()]:
        del st.session_state[key]  # rows shift up; let them reload from the store
        st.session_state.get(sync.SHOWN, {}).pop(key, None)


def render(store, session, agenda) -> None:
    st.markdown(
        '<p class="reset-big">Which metrics is marketing judged on? Under the brief we are about '
        "to adopt, can marketing <b>materially influence</b> each one?</p>",
        unsafe_allow_html=True,
    )
    metrics = card.load(store, session.id)
    for index, metric in enumerate(metrics):
        name, choice, note, remove = st.columns([3, 2.4, 4, 0.7], vertical_alignment="center")
        name.markdown(f"### {plain(metric.name)}")
        sync.follow(f"metric-{index}-influence", metric.influence or None)
        sync.follow(f"metric-{index}-note", metric.note)
        choice.segmented_control(
            "Can marketing move it?", INFLUENCE, format_func=LABELS.get, key=f"metric-{index}-influence",
            on_change=_rate, args=(store, session.id, metric.name, index), label_visibility="collapsed",
        )
        with note:
            st.text_input("Note", key=f"metric-{index}-note", placeholder="note", label_visibility="collapsed",
                          on_change=_rate, args=(store, session.id, metric.name, index), max_chars=300)
            sync.note(f"metric-{index}-note")
        remove.button(":material/delete:", key=f"metric-{index}-remove", help="Remove this metric",
                      on_click=_remove, args=(store, session.id, metric.name))
    if metrics:
        counts = card.tally(metrics)
        st.caption(" · ".join(f"{LABELS.get(k, 'Not yet answered')}: {v}" for k, v in counts.items() if v))

    new, add = st.columns([6, 1], vertical_alignment="bottom")
    new.text_input("Add a metric", key="metric-new", placeholder="e.g. Marketing-qualified leads", max_chars=120)
    add.button("Add", key="metric-add", on_click=_add, args=(store, session.id), width="stretch")
    if st.session_state.get("metric-error"):
        st.error(st.session_state["metric-error"])
    suggestions = [m for m in card.COMMON_METRICS if m.lower() not in {x.name.lower() for x in metrics}]
    if suggestions:
        # Pills wrap onto a second line instead of cutting a long name short.
        st.pills("Common ones, if they apply", suggestions, key="metric-suggest", on_change=_suggest,
                 args=(store, session.id))
