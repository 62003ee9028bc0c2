"""A participant votes, on their own device, for the themes that matter most for the new brief.

Drawn on the participant's own page (pages/answer.py) once the facilitator
has opened voting, after the reveal. It shows theme names and whose they
are, never statements or names; a vote is stored at once and re-runs only
this fragment.
"""

from __future__ import annotations

import streamlit as st

from pages.context import StorageUnavailable, plain
from workshop import votes
from workshop.votes import VoteError

ERROR = "vote-error"
# A thumb's worth of room per theme on a phone, in the page's reading size.
VOTE_CSS = """
<style>
.st-key-vote-list [data-testid="stCheckbox"] label { padding: 0.4rem 0; }
.st-key-vote-list [data-testid="stCheckbox"] p { font-size: 1rem; line-height: 1.35; }
</style>
"""


def _on_vote(store, token: str, theme: str) -> None:
    try:
        votes.cast(store, token, theme, bool(st.session_state.get(f"vote-{theme}")))
    except VoteError as error:
        st.session_state[ERROR] = str(error)
    except StorageUnavailable:
        st.session_state[ERROR] = "The server cannot save right now; vote again in a moment."
    else:
        st.session_state.pop(ERROR, None)


@st.fragment
def voting(store, token: str) -> None:
    view = votes.voter_view(store, token)
    if view is None:
        return
    st.subheader("Vote for what matters most", anchor=False)
    if not view.open:
        chosen = [t for t in view.themes if t.id in view.mine]
        st.success("Voting is closed. Thank you." + (" You voted for:" if chosen else ""))
        for theme in chosen:
            st.markdown(f"- {plain(theme.label)} · *{plain(theme.side_words)}*")
        return
    if not view.themes:
        st.write("The analysis has no themes to vote on.")
        return
    st.write(f"Which themes matter most for the new brief? You have {view.limit} votes, one per theme. "
             "You can change them until the facilitator closes voting.")
    st.markdown(f"**Votes left: {view.left} of {view.limit}**")
    if st.session_state.get(ERROR):
        st.error(st.session_state.pop(ERROR))
    st.html(VOTE_CSS)
    title = None
    with st.container(key="vote-list"):
        for theme in view.themes:
            if theme.title != title:
                title = theme.title
                st.markdown(f"**{plain(title)}**")
            key = f"vote-{theme.id}"
            st.session_state[key] = theme.id in view.mine  # the store decides: a refused vote is unticked again
            st.checkbox(f"{plain(theme.label)} · *{plain(theme.side_words)}*", key=key,
                        disabled=not view.left and theme.id not in view.mine,
                        on_change=_on_vote, args=(store, token, theme.id))
