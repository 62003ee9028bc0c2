"""Brief Reset: the entry point. Who is asking (the URL) decides the pages.

    /?p=TOKEN                  a participant's personal page
    /?admin=KEY                the facilitator home: sessions, create, import
    /?session=ID&key=KEY       the facilitator inside one session
    /  (or /?code=ABC123)      join a session with its code
"""

import streamlit as st

from pages.context import catch_storage_failures_in_callbacks, get_store, role_from_query, show_storage_problem
from workshop import background
from workshop.store import StorageUnavailable

# The parameters that say who is asking. Streamlit clears the query string
# when the top navigation switches page, so they are remembered for this
# browser session and put back, keeping the facilitator in their session and
# the URL shareable after every page switch.
ROLE_PARAMS = ("p", "session", "key", "admin")


def remember_role_params() -> None:
    given = {k: st.query_params[k] for k in ROLE_PARAMS if st.query_params.get(k)}
    if given:
        st.session_state["role_params"] = given
        return
    for name, value in st.session_state.get("role_params", {}).items():
        st.query_params[name] = value

# Material icons, not emoji: a projector laptop without a colour emoji font
# draws emoji as empty boxes; Streamlit ships the Material Symbols font.
st.set_page_config(page_title="Brief Reset", page_icon=":material/explore:", layout="wide")

PAGES = {
    "participant": [st.Page("pages/answer.py", title="Your answers", icon=":material/edit_note:", default=True)],
    "admin": [st.Page("pages/sessions.py", title="Sessions", icon=":material/folder_open:", default=True)],
    "facilitator": [
        st.Page("pages/lobby.py", title="Lobby", icon=":material/groups:", default=True),
        st.Page("pages/check.py", title="Check the analysis", icon=":material/fact_check:"),
        st.Page("pages/reset.py", title="Reset session", icon=":material/explore:"),
        st.Page("pages/summary.py", title="Summary", icon=":material/description:"),
    ],
    "join": [st.Page("pages/join.py", title="Join", icon=":material/login:", default=True)],
}

remember_role_params()
catch_storage_failures_in_callbacks()
try:
    # The background worker (started by `python -m workshop serve`, else here on the
    # first page) embeds this store's answers as they come in and analyses at the close.
    background.watch(get_store())
except StorageUnavailable:
    pass  # the page below shows the plain message
role = role_from_query(st.query_params)
page = st.navigation(PAGES[role], position="top" if len(PAGES[role]) > 1 else "hidden")
try:
    page.run()
except StorageUnavailable as error:  # disk full, read-only file: one plain message on every page
    show_storage_problem(error)
