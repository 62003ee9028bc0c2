"""The reset session on the projector: one step at a time, a clock, next and back.

Where the room is (the step) and how long each step took are stored on every
move, so closing the laptop and opening the facilitator link again resumes here.
"""

from __future__ import annotations

import importlib

import streamlit as st

from pages.context import facilitator_session, get_store
from pages.reset_steps import actions, sync
from pages.reset_steps.common import PROJECTOR_CSS
from workshop import agenda as agenda_mod
from workshop import crossread
from workshop.agenda import STEPS

PICKER = "reset-step-picker"


def step_module(key: str) -> str:
    """The module that draws a step: pages/reset_steps/KEY.py (the steps are listed in workshop.agenda.STEPS)."""
    return f"pages.reset_steps.{key}"


def _move(store, session_id: str, index: int) -> None:
    agenda = agenda_mod.load(store, session_id)
    agenda_mod.go_to(agenda, index)
    agenda_mod.save(store, session_id, agenda)
    st.session_state[PICKER] = agenda.current


def _picked(store, session_id: str) -> None:
    index = st.session_state.get(PICKER)
    if index is None:  # a click on the selected step deselects it; stay where we are
        st.session_state[PICKER] = agenda_mod.load(store, session_id).current
        return
    _move(store, session_id, index)


def _restart_clock(store, session_id: str) -> None:
    agenda = agenda_mod.load(store, session_id)
    agenda_mod.save(store, session_id, agenda_mod.restart_clock(agenda))


@st.fragment(run_every=5)
def _timer(store, session_id: str) -> None:
    agenda = agenda_mod.load(store, session_id)
    key = agenda.step.key
    elapsed = agenda_mod.elapsed_seconds(agenda, key)
    over = " over" if agenda_mod.is_over(agenda, key) else ""
    st.html(
        f'<div class="reset-timer{over}">{agenda_mod.clock_text(elapsed)}'
        f" <small>of {agenda.minutes_for(key)} min</small></div>"
    )


# Ten steps in one row at 1280 pixels: the step buttons keep little padding.
PICKER_CSS = f"""
<style>
.st-key-{PICKER} button {{ padding-left: 0.45rem !important; padding-right: 0.45rem !important; min-width: 0; }}
</style>
"""


def main(store) -> None:
    session = facilitator_session(store)
    st.html(PROJECTOR_CSS + PICKER_CSS)
    agenda = agenda_mod.load(store, session.id)
    if agenda.entered_at is None:
        agenda_mod.save(store, session.id, agenda_mod.start(agenda))
    current = agenda.step

    # Another tab may have moved the room on: always show the stored step.
    st.session_state[PICKER] = agenda.current
    # A step the session leaves out (cross-reading when it is off) is not in the row.
    skipped = crossread.skipped_steps(store, session.id)
    shown = agenda_mod.shown_steps(skipped, agenda.current)
    number = {index: position + 1 for position, index in enumerate(shown)}
    st.segmented_control(
        "Step", shown, key=PICKER, format_func=lambda i: f"{number[i]} {STEPS[i].short}",
        on_change=_picked, args=(store, session.id), label_visibility="collapsed", width="stretch",
    )

    head, clock, restart, back, forward = st.columns([5.5, 2.2, 0.75, 1, 1], vertical_alignment="center")
    head.title(f"{number[agenda.current]}. {current.title}")
    with clock:
        _timer(store, session.id)
    restart.button("↺", key="reset-clock", help="Restart this step's clock (e.g. after a break)",
                   on_click=_restart_clock, args=(store, session.id))
    back.button("◀ Back", key="reset-back", disabled=agenda.current == shown[0], width="stretch",
                on_click=_move, args=(store, session.id, agenda_mod.neighbour(agenda, -1, skipped)))
    forward.button("Next ▶", key="reset-next", type="primary", disabled=agenda.current == shown[-1],
                   width="stretch", on_click=_move, args=(store, session.id, agenda_mod.neighbour(agenda, 1, skipped)))

    module = importlib.import_module(step_module(current.key))
    module.render(store, session, agenda)

    if current.key != "actions":
        st.divider()
        with st.expander("Add an action", icon=":material/add_task:"):
            actions.add_action_form(store, session, prefix=f"quick-{current.key}")

    # A second facilitator tab (the projector and a laptop): follow what it stores.
    sync.remember(store, session.id)
    sync.watch(store, session.id)


if __name__ == "__main__":
    main(get_store())
