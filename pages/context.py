"""What every page needs: the store, the role in the URL, the checked session.

Kept apart from the pages so the pages stay a script of the meeting.
"""

from __future__ import annotations

import streamlit as st

from workshop import settings
from workshop.models import Session
from workshop.store import Store


@st.cache_resource
def _store(path: str) -> Store:
    return Store(path)


def get_store() -> Store:
    # Keyed by path so tests that point BRIEF_RESET_DB elsewhere get their own store.
    return _store(str(settings.database_path()))


def role_from_query(params) -> str:
    if params.get("p"):
        return "participant"
    if params.get("session") and params.get("key"):
        return "facilitator"
    if params.get("admin"):
        return "admin"
    return "join"


def facilitator_session(store: Store) -> Session:
    """The session named in the URL, or stop the page with a plain message."""
    session = store.facilitator_session(
        st.query_params.get("session", ""), st.query_params.get("key", "")
    )
    if session is None:
        st.error(
            "This facilitator link is not valid. Open the link you were given "
            "when the session was created, or ask the person who set it up."
        )
        st.stop()
    return session


def require_admin(store: Store) -> None:
    if st.query_params.get("admin", "") != store.admin_key():
        st.error("This facilitator link is not valid. Use the link printed when the app started.")
        st.stop()
