"""Step 1: why we are here, how we work, and how long each step may take."""

from __future__ import annotations

import streamlit as st

from pages.reset_steps import sync
from workshop import agenda as agenda_mod
from workshop import crossread
from workshop.agenda import MAX_MINUTES, MIN_MINUTES, STEPS

WHY = (
    "Customer briefs drift. Sales hears the new buyer first: new objections, procurement in the room, "
    "other proof demanded. Marketing keeps producing for the buyer it last wrote down."
)
RULES = (
    "**The point is not to blame anyone.** Drift is a normal risk, not a verdict on a team.",
    "Everyone describes the buyer **alone and in writing** before we talk.",
    "We decide together: **adopt**, **retire** or **investigate** each difference.",
    "We leave with **one brief** and **actions with owners**.",
)


def _set_minutes(store, session_id: str, key: str) -> None:
    agenda = agenda_mod.load(store, session_id)
    agenda_mod.set_minutes(agenda, key, st.session_state[f"minutes-{key}"])
    agenda_mod.save(store, session_id, agenda)
    st.session_state.setdefault(sync.SHOWN, {})[f"minutes-{key}"] = agenda.minutes_for(key)


def render(store, session, agenda) -> None:
    st.markdown(f'<p class="reset-big">{WHY}</p>', unsafe_allow_html=True)
    for rule in RULES:
        st.markdown(f"### {rule}")

    st.divider()
    skipped = crossread.skipped_steps(store, session.id)
    st.subheader(f"Today's plan · {agenda_mod.planned_minutes(agenda, skipped)} minutes")
    cells = st.columns(4)
    for index, step in enumerate(STEPS[i] for i in agenda_mod.shown_steps(skipped)):
        key = f"minutes-{step.key}"
        sync.follow(key, agenda.minutes_for(step.key))
        cells[index % 4].number_input(
            f"{index + 1}. {step.title} (min)", min_value=MIN_MINUTES, max_value=MAX_MINUTES, step=5,
            key=key, on_change=_set_minutes, args=(store, session.id, step.key),
        )
