"""Check the analysis: the facilitator reads the evidence and corrects it before the room sees the reveal.

On the facilitator's own screen, never projected. Every correction is
stored the moment it is made (workshop/corrections.py) and replayed on every
fresh analysis, so the reveal, the deep dive, the reset brief, the summary
and the exports all show the corrected analysis.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from pages.context import facilitator_session, get_store, plain
from workshop import corrections as fix
from workshop.analysis import session_report
from workshop.charts import prompt_title
from workshop.models import MARKETING, SALES

PROMPT_KEY = "check-prompt"
SIDE_WORDS = {"shared": "Both sides"}


def _key(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()[:10]


def _side_words(side: str) -> str:
    return SIDE_WORDS.get(side, f"Only {side}")


def _save(store, session_id: str, make, *args) -> None:
    """on_click: make one correction and store it; a refusal is shown, nothing is stored."""
    try:
        fix.add(store, session_id, make(*args))
    except fix.CorrectionError as error:
        st.session_state["check-error"] = str(error)


def _save_verdict(store, session_id: str, dimension: str, widget: str) -> None:
    _save(store, session_id, fix.override_verdict, dimension, st.session_state[f"{widget}-verdict"],
          st.session_state.get(f"{widget}-reason", ""))


def _save_rename(store, session_id: str, dimension: str, theme, widget: str) -> None:
    _save(store, session_id, fix.rename, dimension, theme, st.session_state.get(widget, ""))


def _save_side(store, session_id: str, dimension: str, theme, widget: str) -> None:
    _save(store, session_id, fix.set_side, dimension, theme, st.session_state[widget])


def _save_merge(store, session_id: str, dimension: str, theme, others: dict, widget: str) -> None:
    target = others.get(st.session_state.get(widget))
    if target is None:
        st.session_state["check-error"] = "Choose the theme to merge it into."
        return
    _save(store, session_id, fix.merge, dimension, theme, target)


def _save_split(store, session_id: str, dimension: str, theme, widget: str) -> None:
    chosen = set(st.session_state.get(widget) or [])
    _save(store, session_id, fix.split, dimension, theme, [s for s in theme.statements if s.text in chosen])


def _save_move(store, session_id: str, dimension: str, statement, source, targets: dict, widget: str) -> None:
    choice = st.session_state.get(widget)
    if choice is None:
        return
    _save(store, session_id, fix.move, dimension, statement, source, targets.get(choice))


def _verdict_panel(store, session, dimension, raw) -> None:
    head = (f"**{plain(dimension.verdict.capitalize())}** · alignment {dimension.alignment:.2f} · "
            f"{plain(dimension.strength)}")
    st.markdown(head)
    if dimension.strength_note:
        st.caption(plain(dimension.strength_note))
    st.write(plain(raw.why))
    if dimension.override:
        st.info(f"You changed this verdict from {plain(dimension.override['from'])}: "
                f"{plain(dimension.override['reason'])}")
    if dimension.verdict not in ("aligned", "divergent"):
        return
    widget = f"verdict-{_key(dimension.key)}"
    with st.form(widget, border=True):
        st.markdown("**Change the verdict**")
        st.radio("Verdict", ["aligned", "divergent"], key=f"{widget}-verdict", horizontal=True,
                 index=0 if dimension.verdict == "aligned" else 1)
        st.text_input("Why, in one line (the summary shows it)", key=f"{widget}-reason", max_chars=fix.MAX_REASON_CHARS)
        st.form_submit_button("Save the verdict", on_click=_save_verdict,
                              args=(store, session.id, dimension.key, widget))


def _evidence(session, dimension, new_keys: set) -> None:
    labels = {n: t.label for n, t in enumerate(dimension.themes)}
    columns = st.columns(2, gap="large")
    for column, function in zip(columns, (SALES, MARKETING)):
        with column:
            points = [p for p in dimension.map if p.function == function]
            st.markdown(f"**{plain(function.capitalize())}** · {dimension.people.get(function, 0)} people · "
                        f"{len(points)} statements")
            lines = []
            for p in points:
                theme = labels.get(p.theme)
                tag = f" — *{plain(theme)}*" if theme else ""
                mark = " :orange-badge[new]" if (p.participant, p.text) in new_keys else ""
                lines.append(f"- {plain(p.text)}{tag}{mark}")
            st.markdown("\n".join(lines) or "_No statements._")
    others = [p for p in dimension.map if p.function not in (SALES, MARKETING)]
    if others:
        st.caption("Other functions: " + " · ".join(plain(p.text) for p in others))
    if dimension.closest:
        st.markdown("**Closest sales–marketing pairs** (1 = same words and meaning)")
        st.markdown("\n".join(
            f"- {pair.similarity:.2f}: “{plain(pair.sales.text)}” ↔ “{plain(pair.marketing.text)}”"
            for pair in dimension.closest))


def _theme_controls(store, session, dimension, theme, number: int) -> None:
    widget = _key(dimension.key, theme.statements[0].participant, theme.statements[0].text)
    confidence = " (possible)" if theme.side != "shared" and theme.confidence != "high" else ""
    with st.container(border=True):
        st.markdown(f"#### {plain(theme.label)}")
        st.caption(f"{_side_words(theme.side)}{confidence} · {len(theme.participants)} people"
                   + (" · " + "; ".join(theme.corrected) if theme.corrected else ""))
        others = {t.label: t for t in dimension.themes if t is not theme}
        targets = {"Out of every theme": None, **{f"To “{t.label}”": t for t in dimension.themes if t is not theme}}
        for index, statement in enumerate(theme.statements):
            text, move = st.columns([3, 2], vertical_alignment="center")
            text.markdown(f"- {plain(statement.text)} — *{plain(statement.function)}*")
            move_key = f"move-{widget}-{index}"
            move.selectbox("Move", list(targets), index=None, key=move_key, placeholder="Move this statement…",
                           label_visibility="collapsed", on_change=_save_move,
                           args=(store, session.id, dimension.key, statement, theme, targets, move_key))
        name, side = st.columns(2)
        name.text_input("Name", value=theme.label, key=f"name-{widget}", max_chars=fix.MAX_LABEL_CHARS,
                        on_change=_save_rename, args=(store, session.id, dimension.key, theme, f"name-{widget}"))
        sides = ["shared"] + [f for f in session.functions]
        side.selectbox("Side", sides, index=sides.index(theme.side) if theme.side in sides else 0,
                       format_func=_side_words, key=f"side-{widget}", on_change=_save_side,
                       args=(store, session.id, dimension.key, theme, f"side-{widget}"))
        merge, split, drop = st.columns([2, 2, 1], vertical_alignment="bottom")
        with merge:
            st.selectbox("Merge into", list(others), index=None, key=f"merge-{widget}", placeholder="Another theme")
            st.button("Merge", key=f"merge-go-{widget}", disabled=not others, on_click=_save_merge,
                      args=(store, session.id, dimension.key, theme, others, f"merge-{widget}"))
        with split:
            st.multiselect("Split off", [s.text for s in theme.statements], key=f"split-{widget}",
                           placeholder="Statements that are another point")
            st.button("Split", key=f"split-go-{widget}", disabled=len(theme.statements) < 2, on_click=_save_split,
                      args=(store, session.id, dimension.key, theme, f"split-{widget}"))
        drop.button("Dismiss", key=f"dismiss-{widget}", help="Not a theme: take it off the reveal and the summary",
                    on_click=_save, args=(store, session.id, fix.dismiss, dimension.key, theme))


def _log(store, session, outcome, key: str) -> None:
    mine = [c for c in outcome.applied if c.dimension == key]
    stale = [c for c in outcome.stale if c.dimension == key]
    if not mine and not stale:
        return
    st.subheader("Your corrections on this prompt", anchor=False)
    titles = {p.key: prompt_title(p.key) for p in session.prompts}
    for c in mine + stale:
        line, undo = st.columns([5, 1], vertical_alignment="center")
        line.markdown(plain(fix.describe(c, titles)) + (" · *no longer applies: its statements are gone*"
                                                         if c in stale else ""))
        undo.button("Undo", key=f"undo-{c.id}", on_click=fix.undo, args=(store, session.id, c.id))


def main(store) -> None:
    session = facilitator_session(store)
    st.title("Check the analysis")
    st.write("On your own screen, before the room sees the reveal: read each prompt's verdict and its evidence, "
             "and correct what the analysis got wrong. Every change is saved at once; the reveal, the deep dive "
             "and the summary show the corrected analysis.")
    if session.collection_open:
        st.info("Collection is still open. The check starts when you close collection in the lobby.")
        st.stop()
    from pages.reset_steps.descriptions import ensure_report

    if ensure_report(store, session) is None:  # drew the progress, or why it failed
        st.stop()
    raw = session_report(store, session, corrected=False)
    if raw is None:
        st.stop()
    outcome = fix.corrected(store, session, raw)
    report = outcome.report
    if "check-error" in st.session_state:
        st.error(plain(st.session_state.pop("check-error")))

    keys = [d.key for d in report.dimensions if d.map]
    if not keys:
        st.info("Nobody has answered yet.")
        st.stop()
    if st.session_state.get(PROMPT_KEY) not in keys:
        st.session_state[PROMPT_KEY] = keys[0]
    st.segmented_control(
        "Prompt", keys, key=PROMPT_KEY, label_visibility="collapsed", width="stretch",
        format_func=lambda k: f"{prompt_title(k)} · {report.dimension(k).verdict}",
    )
    key = st.session_state.get(PROMPT_KEY) or keys[0]
    dimension, raw_dimension = report.dimension(key), raw.dimension(key)

    marks = fix.seen(store, session.id)
    now_keys = [(p.participant, p.text) for p in dimension.map]
    if key not in marks:
        fix.mark_seen(store, session.id, key, now_keys)
        marks[key] = now_keys
    new_keys = set(now_keys) - set(marks.get(key, []))
    if new_keys:
        st.warning(f"{len(new_keys)} statements came in since you last checked this prompt (marked new).")
        st.button("I have read them", key="check-seen", on_click=fix.mark_seen,
                  args=(store, session.id, key, now_keys))

    _verdict_panel(store, session, dimension, raw_dimension)
    st.subheader("The evidence", anchor=False)
    _evidence(session, dimension, new_keys)
    st.subheader(f"Themes · {len(dimension.themes)}", anchor=False)
    if not dimension.themes:
        st.caption("No theme here: no point was named by two people.")
    for number, theme in enumerate(dimension.themes):
        _theme_controls(store, session, dimension, theme, number)
    _log(store, session, outcome, key)


if __name__ == "__main__":  # run as a page, not when imported
    main(get_store())
