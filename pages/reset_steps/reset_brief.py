"""Step 7: the reset brief, prompt by prompt, beside the old one, with what changed."""

from __future__ import annotations

import math
from datetime import date

import streamlit as st

from pages.context import plain
from pages.reset_steps import sync
from pages.reset_steps.common import discussed_prompts, stored_report, titles
from workshop import edits
from workshop import reset_brief as rb
from workshop.text import offline_markdown

BUYER_KEY = "brief-buyer"
REVIEW_KEY = "brief-review"


def _save_draft(store, session_id: str, prompt_key: str) -> None:
    # Merged with what another tab saved for this prompt since this one showed it.
    sync.save_text(store, session_id, rb.DRAFT_STATE_KEY, f"brief-{prompt_key}", field=prompt_key)


def _redraft(store, session_id: str, prompt_key: str, text: str) -> None:
    edits.update_state(store, session_id, rb.DRAFT_STATE_KEY,
                       lambda drafts: {k: v for k, v in (drafts or {}).items() if k != prompt_key}, {})
    st.session_state[f"brief-{prompt_key}"] = text
    st.session_state.setdefault(sync.SHOWN, {})[f"brief-{prompt_key}"] = text


def _save_buyer(store, session_id: str) -> None:
    sync.save_text(store, session_id, rb.BUYER_STATE_KEY, BUYER_KEY)


def _save_review(store, session_id: str) -> None:
    value = st.session_state.get(REVIEW_KEY)
    store.set_state(session_id, rb.REVIEW_STATE_KEY, value.isoformat() if isinstance(value, date) else None)
    st.session_state.setdefault(sync.SHOWN, {})[REVIEW_KEY] = value


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
    sync.follow(BUYER_KEY, rb.buyer_statement(store, session))
    buyer, review = st.columns([4, 1], gap="large")
    with buyer:
        st.text_area("Primary buyer statement", key=BUYER_KEY, height=90, max_chars=1500,
                     on_change=_save_buyer, args=(store, session.id))
        sync.note(BUYER_KEY)
    sync.follow(REVIEW_KEY, rb.review_date(store, session.id))
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
        # The edited text, from this tab or another; not edited yet, the draft follows the decisions.
        sync.follow(key, edited.get(prompt.key, text))
        st.subheader(names[prompt.key])
        left, middle, right = st.columns([2, 3, 2], gap="medium")
        left.markdown(offline_markdown(old.get(prompt.key)) or "_Not in the old brief._")
        # Tall enough for the text as it wraps in the middle column, so nobody scrolls inside it.
        rows = sum(max(1, math.ceil(len(line) / 48)) for line in str(st.session_state[key]).splitlines())
        with middle:
            st.text_area(names[prompt.key], key=key, height=min(50 + 30 * max(rows, 2), 420),
                         label_visibility="collapsed", max_chars=5000, on_change=_save_draft,
                         args=(store, session.id, prompt.key))
            sync.note(key)
        right.markdown(_changed(change))
        if prompt.key in edited and edited[prompt.key] != text:
            right.button("Redraft from decisions", key=f"redraft-{prompt.key}",
                         on_click=_redraft, args=(store, session.id, prompt.key, text))
