"""Step 2: has who buys, how, and with what support shifted in the last 12-24 months?"""

from __future__ import annotations

import streamlit as st

from pages.context import plain
from pages.reset_steps import sync
from pages.reset_steps.common import quiet_markdown
from workshop import deals as deals_mod
from workshop.charts import deals_mix_chart
from workshop.deals import FIELD_TITLES, MIX_FIELDS, DealsError, DealsFile

DEALS_STATE_KEY = "deals"
NOTES_STATE_KEY = "reality_notes"
QUESTION = (
    "Has <b>who buys</b>, in what proportion, through <b>which channel</b>, with what "
    "<b>decision support</b>, shifted in the last 12–24 months?"
)


def _save_notes(store, session_id: str) -> None:
    sync.save_text(store, session_id, NOTES_STATE_KEY, "reality-notes")


def _read_upload(store, session_id: str) -> None:
    upload = st.session_state.get("deals-upload")
    if upload is None:
        return
    try:
        parsed = deals_mod.parse_deals(upload.getvalue())
    except DealsError as error:
        # The deals stored before stay; a bad file loses nothing.
        st.session_state["deals-error"] = f"{upload.name}: {error}"
        return
    store.set_state(session_id, DEALS_STATE_KEY, {**parsed.to_dict(), "file": upload.name})
    st.session_state["deals-error"] = ""


def _uploader(store, session_id: str) -> None:
    st.file_uploader(
        "Closed deals (CSV): close date, segment, channel or source, buyer role, amount, won/lost",
        type=["csv", "txt"], key="deals-upload", on_change=_read_upload, args=(store, session_id),
    )


def _forget(store, session_id: str) -> None:
    store.set_state(session_id, DEALS_STATE_KEY, None)


def render(store, session, agenda) -> None:
    st.markdown(f'<p class="reset-big">{QUESTION}</p>', unsafe_allow_html=True)
    stored = store.get_state(session.id, DEALS_STATE_KEY)
    data = DealsFile.from_dict(stored)

    left, right = st.columns([3, 2], gap="large")
    with left:
        if data is None:
            _uploader(store, session.id)
        else:
            _mix(data, stored.get("file", ""))
            with st.expander("Another file"):
                # The data shown stays until a new file has been read successfully.
                _uploader(store, session.id)
                st.button("Remove the deals data", key="deals-forget", on_click=_forget, args=(store, session.id))
        if st.session_state.get("deals-error"):
            st.error(st.session_state["deals-error"])
        sync.follow("reality-notes", store.get_state(session.id, NOTES_STATE_KEY, "") or "")
        st.text_area("What the room says has changed", key="reality-notes", height=140,
                     on_change=_save_notes, args=(store, session.id), max_chars=5000,
                     placeholder="e.g. more deals through partners; procurement in every enterprise deal")
        sync.note("reality-notes")
    with right:
        st.subheader("What the brief of record says")
        with st.container(height=430):
            st.markdown(quiet_markdown(session.brief) or "_No brief of record was given for this session._")


def _mix(data: DealsFile, file_name: str) -> None:
    fields = [f for f in MIX_FIELDS if f in data.columns]
    shown = st.segmented_control(
        "Mix by", fields, default=fields[0], key="deals-field", format_func=lambda f: FIELD_TITLES[f].capitalize(),
    ) or fields[0]
    weight = "deals"
    if "amount" in data.columns:
        weight = "amount" if st.toggle("Weight by amount", key="deals-weight") else "deals"
    rows = deals_mod.mix_by_quarter(data.deals, shown, weight=weight)
    quarters = list(dict.fromkeys(r["quarter"] for r in rows))
    st.altair_chart(
        deals_mix_chart(rows, f"{FIELD_TITLES[shown].capitalize()} mix per quarter, {deals_mod.span(quarters)}, "
                              f"share of {deals_mod.basis(data.deals, weight)}"),
        width="stretch",
    )
    # Deal values and headers are whatever the CRM export holds: shown as text, never as Markdown.
    shifts = deals_mod.shift_summary(deals_mod.mix_by_period(data.deals, shown, weight=weight),
                                     deals_mod.basis(data.deals, weight))
    for sentence in shifts:
        st.markdown(f"**{plain(sentence)}**")
    if not shifts and len(quarters) < 2:
        st.caption("The file covers one quarter: there is no earlier period to compare with.")
    note = f"{len(data.deals):,} deals read from {file_name or 'the file'}"
    older = deals_mod.outside_periods(data.deals)
    if older:
        note += f"; {older:,} older deal{'s' if older != 1 else ''} not counted"
    if data.ignored:
        note += f"; columns not used: {', '.join(data.ignored[:6])}"
    st.caption(plain(note))
    if data.duplicates:
        st.caption(plain(deals_mod.duplicates_note(data)))
    if data.problems:
        skipped = max(data.skipped, len(data.problems))
        with st.expander(f"{skipped:,} row(s) skipped"):
            st.markdown("\n".join(f"- {plain(p)}" for p in data.problems[:50]))
            if skipped > 50:
                st.caption(f"The first 50 of {skipped:,} are listed.")
