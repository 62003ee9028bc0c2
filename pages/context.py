"""What every page needs: the store, the role in the URL, the checked session.

Kept apart from the pages so the pages stay a script of the meeting.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import streamlit as st

from workshop import links, settings
from workshop.models import Session
from workshop.store import StorageUnavailable, Store


@st.cache_resource
def _store(path: str) -> Store:
    return Store(path)


def get_store() -> Store:
    # Keyed by path so tests that point BRIEF_RESET_DB elsewhere get their own store.
    return _store(str(settings.database_path()))


# -- storage failures ------------------------------------------------------------


def show_storage_problem(error: StorageUnavailable) -> None:
    """The store's plain message instead of Streamlit's error page; the page above it stays."""
    st.error(str(error), icon=":material/cloud_off:")


def _on_script_error(error: Exception) -> bool:
    if isinstance(error, StorageUnavailable):
        show_storage_problem(error)
        return True  # handled: no traceback page
    return False


def catch_storage_failures_in_callbacks() -> None:
    """Widget callbacks run before the page script, outside any try the page has.

    Streamlit's hook for them (`on_script_error`) is public only for apps
    served through `st.App`; for `streamlit run` it is set on this browser
    session's runtime objects. If Streamlit changes them, callbacks fall back
    to Streamlit's own error display; page code is still caught in app.py.
    """
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is None or not Runtime.exists():
            return
        if hasattr(ctx, "on_script_error"):
            ctx.on_script_error = _on_script_error
        info = Runtime.instance()._session_mgr.get_active_session_info(ctx.session_id)
        if info is not None and hasattr(info.session, "_on_script_error"):
            info.session._on_script_error = _on_script_error
    except Exception:  # noqa: BLE001 - a missing hook must never take a page down
        pass


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
    address); then the address this browser used, when it is one other
    devices can reach; then this machine's network address on the port this
    browser used, as Streamlit's "Network URL" finds it. localhost only when
    the machine is on no network at all.
    """
    configured = links.configured_base_url()
    if configured:
        return configured
    try:
        url = st.context.url
    except Exception:  # no browser context (tests, bare mode)
        url = None
    path = (st.get_option("server.baseUrlPath") or "").strip("/")
    browser = None
    port = st.get_option("server.port")
    if url:
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            browser = f"{parts.scheme}://{parts.netloc}" + (f"/{path}" if path else "")
            port = parts.port or port
    if browser and not links.is_local(browser):
        return browser
    return links.network_base_url(port, path) or browser or links.DEFAULT_BASE_URL


# -- rendering people's text --------------------------------------------------

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:@])")


def plain(text: str) -> str:
    """`text` escaped so st.markdown shows it literally.

    Names, titles and answers are typed by people: `**x**`, `<script>` or a
    `$` must be shown as typed, never become formatting, markup or maths.
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text or ""))


# Projected pages are read from the back of a room at 1280x720: no text under
# 18 px (the root size is 19 px; Streamlit draws labels, captions, badges and
# the navigation at 0.875rem), and nothing fades while a live part refreshes
# (Streamlit dims "stale" elements during every rerun, every two seconds in
# the lobby). Static styling only; nothing typed by a person goes through here.
READABLE_CSS = """
<style>
[data-testid="stWidgetLabel"] p, [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stTopNav"] p, [data-testid="stTopNav"] span, [data-testid="stExpander"] summary p,
[data-testid="stFileUploaderDropzoneInstructions"] span, [data-testid="stDateInputFieldsScroller"] span,
[data-testid="stPopoverButton"] p, [data-testid="stFileUploaderDropzone"] button p,
[data-testid="stButtonGroup"] p {
  font-size: max(18px, 1rem) !important; }
[data-testid="stMarkdownContainer"] span { font-size: max(18px, 0.875em) !important; }
:where([data-testid="stMarkdownContainer"]) p { font-size: max(18px, 1em); }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #444 !important; opacity: 1 !important; }
[data-stale="true"], [data-stale="true"] * { opacity: 1 !important; transition: none !important; }
</style>
"""

# The lobby's own look (the reset session's is PROJECTOR_CSS in pages/reset_steps/common.py).
LOBBY_CSS = READABLE_CSS + """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
.st-key-join-panel p { font-size: 1.2rem; }
.st-key-join-code p { font-size: clamp(3.5rem, 6.5vw, 7rem); font-weight: 800;
  letter-spacing: .18em; line-height: 1.05; margin: 0; font-family: ui-monospace, monospace; }
.st-key-join-link p { font-size: clamp(1.1rem, 1.9vw, 1.8rem); font-weight: 600; word-break: break-all; }
.st-key-lobby-live p, .st-key-check-link p { font-size: 1.2rem; }
.st-key-lobby-live [data-testid="stMetricValue"] p { font-size: 3rem; font-weight: 700; line-height: 1.1; }
.st-key-lobby-live [data-testid="stMetricLabel"] p { font-size: 1.3rem; font-weight: 600; }
</style>
"""


def projector_style() -> None:
    st.markdown(LOBBY_CSS, unsafe_allow_html=True)


READING_CSS = """
<style>
[data-testid="stMainBlockContainer"] { max-width: 52rem; }
</style>
"""


def reading_width() -> None:
    """A comfortable line length for a page people read and type on."""
    st.markdown(READING_CSS, unsafe_allow_html=True)
