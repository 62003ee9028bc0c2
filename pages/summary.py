"""The summary step: what everyone gets after the meeting, and the session backup.

Download the summary (Markdown for a wiki or an email, HTML for a phone, PDF
to attach), the answers and actions as CSV, and a JSON backup that restores
the whole session here or on another installation.
"""

from __future__ import annotations

import re

import streamlit as st

from pages.context import facilitator_session, get_store
from pages.restore_panel import restore_panel, restore_upload  # noqa: F401 - restore_upload for tests
from workshop import export
from workshop.backup import backup_bytes
from workshop.store import Store
from workshop.summary import gather

PREVIEW_HEIGHT = 900


def file_stem(title: str) -> str:
    """A file name people recognise: the session title, safe on every system."""
    stem = re.sub(r"[^\w\-]+", "-", title, flags=re.UNICODE).strip("-_").lower()
    return (stem[:60] or "session") + "-summary"


def _downloads(store: Store, session) -> None:
    summary = gather(store, session)
    stem = file_stem(session.title)
    html = export.to_html(summary)
    st.subheader("Send the summary")
    md_col, html_col, pdf_col = st.columns(3)
    md_col.download_button(
        "Markdown (wiki, email)", export.to_markdown(summary), f"{stem}.md", "text/markdown",
        key="dl-md", on_click="ignore", icon=":material/description:", width="stretch",
    )
    html_col.download_button(
        "HTML (phone, browser)", html, f"{stem}.html", "text/html",
        key="dl-html", on_click="ignore", icon=":material/language:", width="stretch",
    )
    # The PDF is made only when someone asks for it.
    pdf_col.download_button(
        "PDF (attachment, print)", lambda: export.to_pdf(summary), f"{stem}.pdf", "application/pdf",
        key="dl-pdf", on_click="ignore", icon=":material/picture_as_pdf:", width="stretch",
    )

    st.subheader("Keep the data")
    answers_col, actions_col, backup_col = st.columns(3)
    answers_col.download_button(
        "Answers (CSV, import format)", export.answers_csv(store, session), f"{stem}-answers.csv",
        "text/csv", key="dl-answers", on_click="ignore", width="stretch",
    )
    actions_col.download_button(
        "Actions (CSV)", export.actions_csv(store, session), f"{stem}-actions.csv", "text/csv",
        key="dl-actions", on_click="ignore", width="stretch",
    )
    backup_col.download_button(
        "Whole session backup (JSON)", lambda: backup_bytes(store, session.id), f"{stem}-backup.json",
        "application/json", key="dl-backup", on_click="ignore", width="stretch",
    )
    st.caption(
        "The backup holds everything, including the participants' personal links: "
        "keep it where you keep the facilitator link."
    )

    st.subheader("Preview")
    st.iframe(html, height=PREVIEW_HEIGHT)


def main(store: Store) -> None:
    session = facilitator_session(store)
    st.title("Summary")
    st.markdown(
        "Send the summary to everyone who took part and to the leadership team; "
        "keep the backup with the facilitator link."
    )
    _downloads(store, session)
    restore_panel(store, within=session.id)


if __name__ == "__main__":  # run as a page, not when imported
    main(get_store())
