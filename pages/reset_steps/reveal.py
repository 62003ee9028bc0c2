"""Step 4: per prompt, aligned or divergent and how sure, and where the two clouds of statements separate.

Anonymous: the map's hover says sales or marketing. Names are switched on in
the deep dive, beside the quotes they change.
"""

from __future__ import annotations

import streamlit as st

from html import escape

from pages.reset_steps.common import discussed_prompts, titles
from pages.reset_steps.descriptions import ensure_report
from workshop import agenda as agenda_mod
from workshop.charts import (
    map_key,
    map_rows,
    numbered_themes,
    readiness_chart,
    reveal_chart,
    reveal_rows,
    semantic_map_chart,
)
from workshop.summary import strength_note

MAP_PROMPT = "reveal-map-prompt"
MAP_HEIGHT = 330


def render(store, session, agenda) -> None:
    if session.collection_open and not session.revealed:
        st.info("Collection is still open. Close it in step 3 to see the reveal.")
        return
    if session.collection_open:
        st.caption("Collection is open again: this is the analysis from before. It updates when collection closes.")
    report = ensure_report(store, session)
    if report is None:
        return  # ensure_report drew why (running, or failed without an earlier analysis)
    if not session.revealed:
        session = store.update_session(session.id, revealed=True)

    keys = [p.key for p in discussed_prompts(session)]
    rows = [r for r in reveal_rows(report, titles(session)) if r["key"] in keys or not keys]
    if not rows:
        st.warning("The analysis has no prompts to show.")
        return

    chart_col, map_col = st.columns([2, 3], gap="large")
    with chart_col:
        exclude = tuple(d.key for d in report.dimensions if keys and d.key not in keys)
        st.altair_chart(reveal_chart(report, titles(session), exclude=exclude), width="stretch")
        # Leaning and thin verdicts say so in a sentence, under the chart the room is reading.
        unsure = [r for r in rows if (r["strength"] != "clear" or report.dimension(r["key"]).override)
                  and r["note"]]
        st.html("".join(f'<p class="reset-line"><b>{escape(r["prompt"])}</b>: {escape(r["note"])}</p>'
                        for r in unsure))
    with map_col:
        options = [r["key"] for r in rows if report.dimension(r["key"]).map]
        if not options:
            st.info("No statements to map.")
        else:
            if st.session_state.get(MAP_PROMPT) not in options:
                st.session_state[MAP_PROMPT] = options[0]
            st.segmented_control("Map of", options, key=MAP_PROMPT, format_func=titles(session).get,
                                 label_visibility="collapsed")
            chosen = st.session_state.get(MAP_PROMPT) or options[0]
            dimension = report.dimension(chosen)
            points = map_rows(dimension, session.show_names)
            st.html('<p class="reset-line">' + " &nbsp; ".join(
                f'<span style="color:{colour};font-size:1.3em">●</span> {escape(function)}'
                for function, colour in map_key(points, session.functions)) + "</p>")
            st.altair_chart(semantic_map_chart(points, session.functions, height=MAP_HEIGHT), width="stretch")
            said = [dimension.why] + ([strength_note(dimension)] if dimension.strength == "clear" else [])
            said += [f"{n} = {name}" for n, name in numbered_themes(points, height=MAP_HEIGHT)]
            st.html("".join(f'<p class="reset-line">{escape(x)}</p>' for x in said if x))

    if agenda_mod.readiness_enabled(session):
        answers = store.answers(session.id)
        tally = agenda_mod.readiness_tally(answers, session.functions)
        comparison = agenda_mod.readiness_comparison(answers, session.functions)
        if tally and comparison is not None:
            st.subheader("When the buyer first talks to us", anchor=False)
            st.html(f'<p class="reset-big"><b>{escape(comparison.verdict_words)}.</b> '
                    f'{escape(comparison.detail[:1].upper() + comparison.detail[1:])}</p>')
            st.altair_chart(readiness_chart(tally, session.functions), width="stretch")
