"""Step 5: one prompt at a time, divergent ones first: what only one side says, and what we do about it.

Every decision (adopt / retire / investigate) and its note is stored the
moment it is made. Themes only one side names but that the analysis is less
sure of (possible one-sided themes) are shown apart, with their own
decisions, never mixed into what both sides say.
"""

from __future__ import annotations

import hashlib
import json
from html import escape

import streamlit as st

from embeddings.report import POSSIBLE, SHARED
from pages.context import plain
from pages.reset_steps import sync
from pages.reset_steps.common import discussed_prompts, quiet_markdown, titles, who
from pages.reset_steps.descriptions import ensure_report
from workshop import edits
from workshop.charts import FUNCTION_COLOURS, function_colour, reveal_rows
from workshop.models import MARKETING, SALES
from workshop.reset_brief import brief_points, brief_sections
from workshop.summary import POSSIBLE_THEMES_NOTE, ordered_statements, quote_text, strength_note, strength_words

PROMPT_STATE_KEY = "deep_dive_prompt"
NOTES_STATE_KEY = "decision_notes"  # notes typed before a choice was made
CHOICE_LABELS = {"adopt": "Adopt", "retire": "Retire", "investigate": "Investigate"}
QUESTIONS = (
    "What changed in the last year?",
    "Is this the buyer who actually closes?",
    "What proof do we not have yet?",
)
QUOTES_SHOWN = 2  # the theme's central quote and one more; the rest on demand
NAMES_KEY = "deep-names"

# Cards stay compact so one prompt fits a 720-pixel projector with little scrolling.
CARD_CSS = """
<style>
[class*="st-key-card-"] [data-testid="stVerticalBlock"] { gap: 0.45rem; }
[class*="st-key-card-"] h4 { padding: 0 !important; line-height: 1.25; }
.deep-quote { font-size: 1.05rem; line-height: 1.35; margin: 0; }
.deep-quote .by { color: #444; font-style: normal; font-size: 1rem; }
.deep-meta { color: #444; font-size: 1rem; margin: 0; }
</style>
"""


def _key(dimension: str, theme: str) -> str:
    return hashlib.sha1(f"{dimension}\x1f{theme}".encode()).hexdigest()[:10]


def _note_key(dimension: str, theme: str) -> str:
    # JSON, not a control-character separator: the store cleans control characters
    # out of every stored key, and the note could then never be found again.
    return json.dumps([dimension, theme], ensure_ascii=False)


def _decide(store, session_id: str, dimension: str, theme: str, side: str, key: str) -> None:
    choice = st.session_state.get(f"dec-{key}")
    note = st.session_state.get(f"note-{key}", "") or ""
    stored = next((d for d in store.decisions(session_id) if (d.dimension, d.theme) == (dimension, theme)), None)
    notes = store.get_state(session_id, NOTES_STATE_KEY, {}) or {}
    current_note = stored.note if stored else notes.get(_note_key(dimension, theme), "")
    # Another tab may have written a note since this one showed it: say so rather than lose it silently.
    sync.saved(f"note-{key}", edits.merge_line(sync.base(f"note-{key}") or "", note, current_note))
    st.session_state.setdefault(sync.SHOWN, {})[f"dec-{key}"] = choice
    if choice:
        store.save_decision(session_id, dimension, theme, choice, note, side)
    else:
        store.delete_decision(session_id, dimension, theme)
    edits.update_state(store, session_id, NOTES_STATE_KEY,
                       lambda value: {**(value or {}), _note_key(dimension, theme): note}, {})


def _pick_prompt(store, session_id: str) -> None:
    store.set_state(session_id, PROMPT_STATE_KEY, st.session_state.get("deep-prompt"))
    st.session_state.setdefault(sync.SHOWN, {})["deep-prompt"] = st.session_state.get("deep-prompt")


def _show_names(store, session_id: str) -> None:
    store.update_session(session_id, show_names=bool(st.session_state[NAMES_KEY]))
    st.session_state.setdefault(sync.SHOWN, {})[NAMES_KEY] = bool(st.session_state[NAMES_KEY])


def _decision_controls(store, session, dimension: str, theme: str, side: str, decided: dict, notes: dict,
                       used: dict) -> None:
    # Two themes (or a theme and a stale brief point) may share a label: they share
    # the stored decision, but each control needs its own widget key.
    key = _key(dimension, theme)
    used[key] = used.get(key, -1) + 1
    if used[key]:
        key = f"{key}-{used[key]}"
    stored = decided.get((dimension, theme))
    sync.follow(f"dec-{key}", stored.choice if stored else None)
    sync.follow(f"note-{key}", stored.note if stored else notes.get(_note_key(dimension, theme), ""))
    st.segmented_control(
        "Decision", list(CHOICE_LABELS), key=f"dec-{key}", format_func=CHOICE_LABELS.get,
        on_change=_decide, args=(store, session.id, dimension, theme, side, key), label_visibility="collapsed",
        width="stretch",
    )
    st.text_input("Note", key=f"note-{key}", placeholder="note", label_visibility="collapsed", max_chars=500,
                  on_change=_decide, args=(store, session.id, dimension, theme, side, key))
    sync.note(f"note-{key}")


def _quote(statement, show_names: bool) -> str:
    by = escape(who(statement.participant, statement.function, show_names))
    return f'<p class="deep-quote"><i>“{escape(quote_text(statement.text))}”</i> <span class="by">— {by}</span></p>'


def _theme_card(store, session, dimension, theme, decided, notes, used) -> None:
    people = len(set(theme.participants))
    flags = []
    if theme.label in dimension.brief_gaps:
        flags.append(":orange-badge[:material/warning: not in the brief]")
    elif theme.in_brief is True:
        flags.append(":blue-badge[in the brief]")
    elif theme.in_brief is False:
        flags.append(":gray-badge[not in the brief]")
    statements = ordered_statements(theme)
    count = len(statements)
    # A label that is the statement itself (a one-line theme) is not quoted twice.
    statements = [s for s in statements if quote_text(s.text).lower() != quote_text(theme.label).lower()]
    with st.container(border=True, key=f"card-{_key(dimension.key, theme.label)}-{used.get('cards', 0)}"):
        used["cards"] = used.get("cards", 0) + 1
        st.markdown(f"#### {plain(theme.label)}")
        if statements:
            st.html("".join(_quote(s, session.show_names) for s in statements[:QUOTES_SHOWN]))
        meta = (f"{people} {'person' if people == 1 else 'people'} · "
                f"{count} statement{'s' if count != 1 else ''} " + " ".join(flags))
        more = statements[QUOTES_SHOWN:]
        if more:
            left, right = st.columns([1.6, 1], vertical_alignment="center")
            left.markdown(meta)
            with right.popover(f"{len(more)} more", width="stretch"):
                st.html("".join(_quote(s, session.show_names) for s in more))
        else:
            st.markdown(meta)
        _decision_controls(store, session, dimension.key, theme.label, theme.side, decided, notes, used)


def _column_header(column, text: str, colour: str) -> None:
    column.html(
        f'<div style="border-bottom:6px solid {colour};font-size:1.45rem;font-weight:700;'
        f'padding-bottom:4px;margin-bottom:4px">{escape(text)}</div>'
    )


def _header(store, session, dimension, row, prompt) -> None:
    question, names = st.columns([6, 1.3], vertical_alignment="top")
    note = strength_note(dimension) or strength_words(dimension.strength)
    question.html(
        f'<p class="reset-line" style="font-size:1.3rem;margin:0"><b>{escape(prompt.text if prompt else row["prompt"])}</b></p>'
        f'<p class="reset-line" style="margin:0.2rem 0 0"><b>{escape(row["verdict"])}</b>, alignment '
        f'{row["alignment"]:.2f}' + (f" · {escape(note)}" if note else "")
        + (" Discuss briefly." if row["verdict"] == "aligned" and dimension.strength == "clear" else "") + "</p>"
    )
    with names:
        sync.follow(NAMES_KEY, session.show_names)
        st.toggle("Show names", key=NAMES_KEY, on_change=_show_names, args=(store, session.id),
                  help="Names on the quotes here, on the map and in the summary. Off: each quote says only sales or marketing.")


def render(store, session, agenda) -> None:
    if session.collection_open and session.revealed:
        st.caption("Collection is open again: this is the analysis from before. It updates when collection closes.")
    if session.collection_open and not session.revealed:
        st.info("The deep dive needs the analysis: close collection in step 3 first.")
        return
    report = ensure_report(store, session)
    if report is None:
        return  # ensure_report drew why (running, or failed without an earlier analysis)
    keys = [p.key for p in discussed_prompts(session)]
    rows = [r for r in reveal_rows(report, titles(session)) if r["key"] in keys]
    if not rows:
        st.warning("The analysis has no prompts to discuss.")
        return
    st.html(CARD_CSS)
    options = [r["key"] for r in rows]
    verdicts = {r["key"]: r for r in rows}
    stored_pick = store.get_state(session.id, PROMPT_STATE_KEY)
    sync.follow("deep-prompt", stored_pick if stored_pick in options else options[0])
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
    # The names switch sits here, with the quotes it changes.
    _header(store, session, dimension, row, prompt)

    if row["verdict"] == "insufficient" and dimension.why:
        st.caption(dimension.why)
    wording = brief_sections(session.brief, session.prompts, report).get(chosen, "")
    points = brief_points(wording)
    # The room's questions in one line, the brief's points folded: the cards say which
    # themes it covers, so the themes reach the first screen.
    st.html('<p class="reset-line"><b>Ask the room:</b> ' + " · ".join(QUESTIONS) + "</p>")
    if points:
        with st.expander(f"The brief says ({len(points)} point{'s' if len(points) != 1 else ''})"):
            st.html("".join(f'<p class="reset-line">“{escape(p)}”</p>' for p in points))
    elif session.brief:
        with st.expander("The brief has no section for this prompt: the whole brief"):
            st.markdown(quiet_markdown(session.brief))
    else:
        st.html('<p class="reset-line"><b>The brief says:</b> <i>there is no brief of record.</i></p>')

    decided = {(d.dimension, d.theme): d for d in store.decisions(session.id)}
    notes = store.get_state(session.id, NOTES_STATE_KEY, {}) or {}
    used: dict[str, int] = {}
    sure = [t for t in dimension.themes if t.confidence != POSSIBLE or t.side == SHARED]
    possible = [t for t in dimension.themes if t.confidence == POSSIBLE and t.side != SHARED]
    groups = (
        (f"Only {SALES}", [t for t in sure if t.side == SALES], FUNCTION_COLOURS[SALES]),
        ("Both", [t for t in sure if t.side == SHARED], FUNCTION_COLOURS["shared"]),
        (f"Only {MARKETING}", [t for t in sure if t.side == MARKETING], FUNCTION_COLOURS[MARKETING]),
    )
    columns = st.columns(3, gap="medium")
    for column, (title, themes, colour) in zip(columns, groups):
        _column_header(column, f"{title} · {len(themes)}", colour)
        with column:
            if not themes:
                st.caption("Nothing here.")
            for theme in themes:
                _theme_card(store, session, dimension, theme, decided, notes, used)

    others = [t for t in sure if t.side not in (SALES, MARKETING, SHARED)]
    if others:
        st.subheader("Only other functions", anchor=False)
        columns = st.columns(3)
        for index, theme in enumerate(others):
            with columns[index % 3]:
                _column_header(st, f"Only {theme.side}", function_colour(theme.side, session.functions))
                _theme_card(store, session, dimension, theme, decided, notes, used)

    if possible:
        st.subheader(f"Possibly one-sided · {len(possible)}", anchor=False)
        st.caption(POSSIBLE_THEMES_NOTE)
        columns = st.columns(3, gap="medium")
        for index, theme in enumerate(possible):
            with columns[index % 3]:
                _column_header(st, f"Possibly only {theme.side}", function_colour(theme.side, session.functions))
                _theme_card(store, session, dimension, theme, decided, notes, used)

    if dimension.stale_points:
        st.subheader("In the brief, but only marketing still says it", anchor=False)
        for point in dimension.stale_points:
            with st.container(border=True):
                text, controls = st.columns([3, 2], vertical_alignment="center")
                text.markdown(f"#### “{plain(point)}”  \n:orange-badge[stale?]")
                with controls:
                    _decision_controls(store, session, dimension.key, point, MARKETING, decided, notes, used)
    if dimension.brief_gaps:
        st.caption("Not in the brief: " + "; ".join(plain(g) for g in dimension.brief_gaps))
