"""What every page needs: the store, the role in the URL, the checked session.

Kept apart from the pages so the pages stay a script of the meeting.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import streamlit as st

from workshop import links, settings
from workshop.models import Session
from workshop.store import Store, StoreError

try:
    from workshop.store import StorageUnavailable
except ImportError:  # until the store tells a full disk or a read-only file apart (issue 18, item 3)
    class StorageUnavailable(StoreError):
        """The database cannot be written right now (disk full, read-only file).

        Defined here, imported once, so the pages and their tests share one class.
        """


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


# -- links ------------------------------------------------------------------


def base_url() -> str:
    """The address other devices should open.

    BRIEF_RESET_BASE_URL wins (the facilitator knows the meeting-room
    address); otherwise the address this browser used, so a facilitator who
    opened the app by its network address gets links that work on phones.
    """
    configured = links.configured_base_url()
    if configured:
        return configured
    try:
        url = st.context.url
    except Exception:  # no browser context (tests, bare mode)
        url = None
    if url:
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            path = (st.get_option("server.baseUrlPath") or "").strip("/")
            return f"{parts.scheme}://{parts.netloc}" + (f"/{path}" if path else "")
    return links.DEFAULT_BASE_URL


# -- rendering people's text --------------------------------------------------

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str) -> str:
    """`text` escaped so st.markdown shows it literally.

    Names, titles and answers are typed by people: `**x**`, `<script>` or a
    `$` must be shown as typed, never become formatting, markup or maths.
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text or ""))


# Static styling only; nothing typed by a person ever goes through here.
PROJECTOR_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
.st-key-join-code p { font-size: clamp(3.5rem, 6.5vw, 7rem); font-weight: 800;
  letter-spacing: .18em; line-height: 1.05; margin: 0; font-family: ui-monospace, monospace; }
.st-key-join-link p { font-size: clamp(1.1rem, 1.9vw, 1.8rem); font-weight: 600; word-break: break-all; }
.st-key-lobby-live p { font-size: 1.2rem; }
.st-key-lobby-live [data-testid="stMetricValue"] p { font-size: 3rem; font-weight: 700; line-height: 1.1; }
.st-key-lobby-live [data-testid="stMetricLabel"] p { font-size: 1.3rem; font-weight: 600; }
</style>
"""


def projector_style() -> None:
    st.markdown(PROJECTOR_CSS, unsafe_allow_html=True)


READING_CSS = """
<style>
[data-testid="stMainBlockContainer"] { max-width: 52rem; }
</style>
"""


def reading_width() -> None:
    """A comfortable line length for a page people read and type on."""
    st.markdown(READING_CSS, unsafe_allow_html=True)
