"""Step 5: one prompt at a time, divergent ones first: what only one side says, and what we do about it.

Every decision (adopt / retire / investigate) and its note is stored the
moment it is made.
"""

from __future__ import annotations

import hashlib
from html import escape

import streamlit as st

from pages.context import plain
from pages.reset_steps.common import discussed_prompts, quiet_markdown, init_state, titles, who
from pages.reset_steps.descriptions import ensure_report
from workshop.charts import FUNCTION_COLOURS, function_colour, reveal_rows
from workshop.models import MARKETING, SALES
from workshop.reset_brief import brief_points, brief_sections

PROMPT_STATE_KEY = "deep_dive_prompt"
NOTES_STATE_KEY = "decision_notes"  # notes typed before a choice was made
CHOICE_LABELS = {"adopt": "Adopt", "retire": "Retire", "investigate": "Investigate"}
QUESTIONS = (
    "What changed in the last year?",
    "Is this the buyer who actually closes?",
    "What proof do we not have yet?",
)
STATEMENTS_SHOWN = 3


def _key(dimension: str, theme: str) -> str:
    return hashlib.sha1(f"{dimension}\x1f{theme}".encode()).hexdigest()[:10]


def _decide(store, session_id: str, dimension: str, theme: str, side: str, key: str) -> None:
    choice = st.session_state.get(f"dec-{key}")
    note = st.session_state.get(f"note-{key}", "")
    if choice:
        store.save_decision(session_id, dimension, theme, choice, note, side)
    else:
        store.delete_decision(session_id, dimension, theme)
    notes = store.get_state(session_id, NOTES_STATE_KEY, {}) or {}
    notes[f"{dimension}\x1f{theme}"] = note
    store.set_state(session_id, NOTES_STATE_KEY, notes)


def _pick_prompt(store, session_id: str) -> None:
    store.set_state(session_id, PROMPT_STATE_KEY, st.session_state.get("deep-prompt"))


def _decision_controls(store, session, dimension: str, theme: str, side: str, decided: dict, notes: dict,
                       used: dict) -> None:
    # Two themes (or a theme and a stale brief point) may share a label: they share
    # the stored decision, but each control needs its own widget key.
    key = _key(dimension, theme)
    used[key] = used.get(key, -1) + 1
    if used[key]:
        key = f"{key}-{used[key]}"
    stored = decided.get((dimension, theme))
    init_state(f"dec-{key}", stored.choice if stored else None)
    init_state(f"note-{key}", stored.note if stored else notes.get(f"{dimension}\x1f{theme}", ""))
    st.segmented_control(
        "Decision", list(CHOICE_LABELS), key=f"dec-{key}", format_func=CHOICE_LABELS.get,
        on_change=_decide, args=(store, session.id, dimension, theme, side, key), label_visibility="collapsed",
        width="stretch",
    )
    st.text_input("Note", key=f"note-{key}", placeholder="note", label_visibility="collapsed", max_chars=500,
                  on_change=_decide, args=(store, session.id, dimension, theme, side, key))


def _theme_card(store, session, dimension, theme, decided, notes, used) -> None:
    people = len(theme.participants)
    flags = []
    if theme.label in dimension.brief_gaps:
        flags.append(":orange-badge[⚠ not in the brief]")
    elif theme.in_brief is True:
        flags.append(":blue-badge[in the brief]")
    elif theme.in_brief is False:
        flags.append(":gray-badge[not in the brief]")
    with st.container(border=True):
        st.markdown(f"#### {plain(theme.label)}")
        st.markdown(
            f'<span class="reset-count">{people} {"person" if people == 1 else "people"} · '
            f'{len(theme.statements)} statement{"s" if len(theme.statements) != 1 else ""}</span> ' + " ".join(flags),
            unsafe_allow_html=True,
        )
        lines = [
            f"- “{plain(s.text)}” — *{plain(who(s.participant, s.function, session.show_names))}*"
            for s in theme.statements[:STATEMENTS_SHOWN]
        ]
        st.markdown("\n".join(lines))
        if len(theme.statements) > STATEMENTS_SHOWN:
            with st.expander(f"{len(theme.statements) - STATEMENTS_SHOWN} more"):
                st.markdown("\n".join(
                    f"- “{plain(s.text)}” — *{plain(who(s.participant, s.function, session.show_names))}*"
                    for s in theme.statements[STATEMENTS_SHOWN:]
                ))
        _decision_controls(store, session, dimension.key, theme.label, theme.side, decided, notes, used)


def _column_header(column, text: str, colour: str) -> None:
    column.html(
        f'<div style="border-bottom:6px solid {colour};font-size:1.5rem;font-weight:700;'
        f'padding-bottom:4px;margin-bottom:6px">{text}</div>'
    )


def render(store, session, agenda) -> None:
    if session.collection_open and session.revealed:
        st.caption("Collection is open again: this is the analysis from before. It updates when collection closes.")
    report = ensure_report(store, session) if not session.collection_open or session.revealed else None
    if report is None:
        st.info("The deep dive needs the analysis: close collection in step 3 first.")
        return
    keys = [p.key for p in discussed_prompts(session)]
    rows = [r for r in reveal_rows(report, titles(session)) if r["key"] in keys]
    if not rows:
        st.warning("The analysis has no prompts to discuss.")
        return
    options = [r["key"] for r in rows]
    verdicts = {r["key"]: r for r in rows}
    stored_pick = store.get_state(session.id, PROMPT_STATE_KEY)
    init_state("deep-prompt", stored_pick if stored_pick in options else options[0])
    if st.session_state["deep-prompt"] not in options:
        st.session_state["deep-prompt"] = options[0]
    st.segmented_control(
        "Prompt", options, key="deep-prompt", label_visibility="collapsed", width="stretch",
        format_func=lambda k: f"{verdicts[k]['prompt']} · {verdicts[k]['verdict']}",
        on_change=_pick_prompt, args=(store, session.id),
    )
    chosen = st.session_state.get("deep-prompt") or options[0]
    dimension = report.dimension(chosen)
    prompt = session.prompt(chosen)
    row = verdicts[chosen]

    st.markdown(
        f'<p class="reset-line" style="font-size:1.3rem"><b>{escape(prompt.text if prompt else row["prompt"])}</b> '
        f'<span style="color:#555">— {row["verdict"]}, alignment {row["alignment"]:.2f}'
        + (" · discuss briefly" if row["verdict"] == "aligned" else "") + "</span></p>",
        unsafe_allow_html=True,
    )

    if row["verdict"] == "insufficient" and dimension.why:
        st.caption(dimension.why)
    wording = brief_sections(session.brief, session.prompts, report).get(chosen, "")
    points = brief_points(wording)
    if points:
        said = " · ".join(f"“{escape(p)}”" for p in points)
        st.html(f'<p class="reset-line"><b>The brief says:</b> {said}</p>')
    elif session.brief:
        with st.expander("The brief has no section for this prompt: the whole brief"):
            st.markdown(quiet_markdown(session.brief))
    else:
        st.html('<p class="reset-line"><b>The brief says:</b> <i>there is no brief of record.</i></p>')
    st.html('<p class="reset-line"><b>Ask the room:</b> ' + " · ".join(QUESTIONS) + "</p>")

    decided = {(d.dimension, d.theme): d for d in store.decisions(session.id)}
    notes = store.get_state(session.id, NOTES_STATE_KEY, {}) or {}
    used: dict[str, int] = {}
    groups = (
        (f"Only {SALES}", [t for t in dimension.themes if t.side == SALES], FUNCTION_COLOURS[SALES]),
        ("Both", [t for t in dimension.themes if t.side == "shared"], FUNCTION_COLOURS["shared"]),
        (f"Only {MARKETING}", [t for t in dimension.themes if t.side == MARKETING], FUNCTION_COLOURS[MARKETING]),
    )
    columns = st.columns(3, gap="medium")
    for column, (title, themes, colour) in zip(columns, groups):
        _column_header(column, f"{title} · {len(themes)}", colour)
        with column:
            if not themes:
                st.caption("Nothing here.")
            for theme in themes:
                _theme_card(store, session, dimension, theme, decided, notes, used)

    others = [t for t in dimension.themes if t.side not in (SALES, MARKETING, "shared")]
    if others:
        st.subheader("Only other functions")
        columns = st.columns(3)
        for index, theme in enumerate(others):
            with columns[index % 3]:
                _column_header(st, f"Only {theme.side}", function_colour(theme.side, session.functions))
                _theme_card(store, session, dimension, theme, decided, notes, used)

    if dimension.stale_points:
        st.subheader("In the brief, but only marketing still says it")
        for point in dimension.stale_points:
            with st.container(border=True):
                text, controls = st.columns([3, 2], vertical_alignment="center")
                text.markdown(f"#### “{plain(point)}”  \n:orange-badge[stale?]")
                with controls:
                    _decision_controls(store, session, dimension.key, point, MARKETING, decided, notes, used)
    if dimension.brief_gaps:
        st.caption("Not in the brief: " + "; ".join(plain(g) for g in dimension.brief_gaps))
