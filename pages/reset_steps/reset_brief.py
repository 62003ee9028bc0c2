"""Step 7: the reset brief, prompt by prompt, beside the old one, with what changed."""

from __future__ import annotations

import math
from datetime import date

import streamlit as st

from pages.context import plain
from pages.reset_steps.common import discussed_prompts, init_state, stored_report, titles
from workshop import reset_brief as rb
from workshop.text import offline_markdown

BUYER_KEY = "brief-buyer"
REVIEW_KEY = "brief-review"


def _save_draft(store, session_id: str, prompt_key: str) -> None:
    rb.save_draft(store, session_id, prompt_key, st.session_state[f"brief-{prompt_key}"])


def _redraft(store, session_id: str, prompt_key: str, text: str) -> None:
    drafts = rb.load_drafts(store, session_id)
    drafts.pop(prompt_key, None)
    store.set_state(session_id, rb.DRAFT_STATE_KEY, drafts)
    st.session_state[f"brief-{prompt_key}"] = text


def _save_buyer(store, session_id: str) -> None:
    store.set_state(session_id, rb.BUYER_STATE_KEY, st.session_state[BUYER_KEY])


def _save_review(store, session_id: str) -> None:
    value = st.session_state.get(REVIEW_KEY)
    store.set_state(session_id, rb.REVIEW_STATE_KEY, value.isoformat() if isinstance(value, date) else None)


def _changed(change: rb.Change) -> str:
    lines = [f"- :green[**+** {plain(a)}]" for a in change.added]
    lines += [f"- :red[~~{plain(r)}~~]" for r in change.retired]
    lines += [f"- :orange[**?** {plain(q)}]" for q in change.open]
    return "\n".join(lines) or "_No change decided._"


def render(store, session, agenda) -> None:
    prompts = discussed_prompts(session)
    decisions = store.decisions(session.id)
    report = stored_report(store, session)
    drafts = rb.draft(prompts, session.brief, decisions, rb.in_brief_map(report), report)
    edited = rb.load_drafts(store, session.id)
    old = rb.brief_sections(session.brief, prompts, report)
    names = titles(session)

    st.markdown('<p class="reset-big">The buyer we agree on, written down. Edit freely: '
                "every change is saved.</p>", unsafe_allow_html=True)
    init_state(BUYER_KEY, rb.buyer_statement(store, session))
    buyer, review = st.columns([4, 1], gap="large")
    buyer.text_area("Primary buyer statement", key=BUYER_KEY, height=90, max_chars=1500,
                    on_change=_save_buyer, args=(store, session.id))
    init_state(REVIEW_KEY, rb.review_date(store, session.id))
    review.date_input("Next review", key=REVIEW_KEY, format="YYYY-MM-DD",
                      on_change=_save_review, args=(store, session.id))
    if store.get_state(session.id, rb.REVIEW_STATE_KEY) is None:
        # Store the default so the summary and export show the same date the room saw.
        _save_review(store, session.id)

    head = st.columns([2, 3, 2], gap="medium")
    head[0].markdown("**Old brief**")
    head[1].markdown("**Reset brief**")
    head[2].markdown("**What changed**")
    for prompt in prompts:
        text, change = drafts[prompt.key]
        key = f"brief-{prompt.key}"
        if prompt.key in edited:
            init_state(key, edited[prompt.key])
        else:
            # Not edited yet: follow the decisions as they change.
            st.session_state[key] = text
        st.subheader(names[prompt.key])
        left, middle, right = st.columns([2, 3, 2], gap="medium")
        left.markdown(offline_markdown(old.get(prompt.key)) or "_Not in the old brief._")
        # Tall enough for the text as it wraps in the middle column, so nobody scrolls inside it.
        rows = sum(max(1, math.ceil(len(line) / 48)) for line in str(st.session_state[key]).splitlines())
        middle.text_area(names[prompt.key], key=key, height=min(50 + 30 * max(rows, 2), 420), label_visibility="collapsed",
                         max_chars=5000, on_change=_save_draft, args=(store, session.id, prompt.key))
        right.markdown(_changed(change))
        if prompt.key in edited and edited[prompt.key] != text:
            right.button("Redraft from decisions", key=f"redraft-{prompt.key}",
                         on_click=_redraft, args=(store, session.id, prompt.key, text))
