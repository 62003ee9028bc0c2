"""Restore a session from its JSON backup: on a session's summary page (that session
only) and on the facilitator home (any session). Not a page of its own."""

from __future__ import annotations

import streamlit as st

from pages.context import base_url, plain
from workshop import links
from workshop.backup import BackupError, SessionExists, kept_backups, restore
from workshop.store import Store


def restore_upload(store: Store, data: bytes, replace: bool, within: str | None = None) -> tuple[str, str, str]:
    """Restore an uploaded backup: (level, message, facilitator link or "").

    `within`: the session whose page this is; a backup of any other session is refused.
    """
    try:
        restored = restore(store, data, replace=replace, within=within)
    except SessionExists as error:
        return "warning", f"{error} Tick the box above to replace it, or keep it as it is.", ""
    except BackupError as error:
        return "error", str(error), ""
    link = links.facilitator_url(restored.id, restored.facilitator_key, base_url())
    message = f"Restored {restored.title}. Its facilitator link:"
    if replace and kept_backups(store, restored.id):
        message = (f"Restored {restored.title}. The session it replaced was backed up first "
                   "(download it below to undo). Its facilitator link:")
    return "success", message, link


def restore_panel(store: Store, within: str | None = None) -> None:
    with st.expander("Restore a session from a backup"):
        if within is None:
            st.caption(
                "Restores a session exactly as it was backed up, on this or another installation. "
                "A session that is already here is only replaced if you tick the box, and a backup "
                "of it is kept first."
            )
        else:
            st.caption(
                "Brings this session back exactly as it was backed up. It replaces what the session "
                "holds now only if you tick the box, and a backup of it is kept first. A backup of "
                "another session is restored from the facilitator home."
            )
        upload = st.file_uploader("Backup file (JSON)", type=["json"], key="restore-file")
        replace = st.checkbox("Replace the session with the same id if it is here", key="restore-replace")
        if st.button("Restore", key="restore-go", disabled=upload is None):
            level, message, link = restore_upload(store, upload.getvalue(), replace, within)
            getattr(st, level)(plain(message))
            if link:
                st.code(link, language=None, wrap_lines=True)
                kept = kept_backups(store, within or _restored_id(link))
                if replace and kept:
                    st.download_button(
                        "The replaced session's backup (JSON)", kept[0].read_bytes(), kept[0].name,
                        "application/json", key="restore-kept", on_click="ignore",
                    )
                    st.caption(f"Also kept on the server: {plain(str(kept[0]))}")


def _restored_id(link: str) -> str:
    from urllib.parse import parse_qs, urlsplit

    return (parse_qs(urlsplit(link).query).get("session") or [""])[0]
