"""The votes step, after the reveal: everyone votes on their own device for the themes that matter most.

While voting is open the projector shows how many people have voted, not
which themes lead (so nobody votes with the crowd); once it is closed, the
top-voted themes with their votes. The deep dive orders its columns by them.
"""

from __future__ import annotations

from html import escape

import streamlit as st

from workshop import votes
from workshop.summary import vote_line
from workshop.votes import VoteError

ERROR = "votes-error"


def _open(store, session_id: str) -> None:
    try:
        votes.open_voting(store, store.get_session(session_id))
    except VoteError as error:
        st.session_state[ERROR] = str(error)


@st.fragment(run_every=2)
def _live(store, session_id: str) -> None:
    session = store.get_session(session_id)
    if session is None:
        return
    state = votes.voting(store, session_id)
    counts = votes.tally(store, session_id)
    people = len(store.participants(session_id))
    with st.container(key="votes-live"):
        status, action = st.columns([1.6, 1], vertical_alignment="center")
        if not state.opened:
            status.markdown("**Voting has not started.** Phones show the themes when you open it.")
            action.button("Open voting", key="votes-open", type="primary", width="stretch",
                          on_click=_open, args=(store, session_id))
        elif state.open:
            status.markdown(f"**Voting is open:** {counts.voters} of {people} people have voted "
                            f"({votes.votes_words(counts.votes)}). The results show when you close it.")
            action.button("Close voting", key="votes-close", type="primary", width="stretch",
                          on_click=votes.close_voting, args=(store, session_id))
        else:
            status.markdown(f"**Voting is closed:** {votes.votes_words(counts.votes)} from {counts.voters} "
                            f"of {people} people. The deep dive shows the themes in this order.")
            action.button("Open voting again", key="votes-again", width="stretch",
                          on_click=_open, args=(store, session_id))
        if st.session_state.get(ERROR):
            st.error(st.session_state.pop(ERROR))
        if state.closed:
            from workshop.analysis import session_report

            ranked = votes.top(votes.themes_to_vote(session_report(store, session), session), counts)
            if not ranked:
                st.caption("Nobody voted.")
            else:
                st.html("".join(f'<p class="reset-line">{escape(vote_line(theme, count))}</p>'
                                for theme, count in ranked))


def render(store, session, agenda) -> None:
    if not session.revealed:
        st.info("Show the reveal first: people vote on its themes.")
        return
    st.markdown(
        f'<p class="reset-big">On your own device: vote for the <b>{votes.votes_per_person()} themes</b> that '
        "matter most for the new brief, one vote per theme. You can change them until voting closes.</p>",
        unsafe_allow_html=True,
    )
    _live(store, session.id)
