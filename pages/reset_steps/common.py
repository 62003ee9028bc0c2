"""What several steps share: the stored analysis, prompt titles, the projector look."""

from __future__ import annotations

import re

import streamlit as st

from embeddings.report import Report
from pages.context import READABLE_CSS
from workshop.agenda import READINESS_KEY
from workshop.charts import prompt_title
from workshop.models import Session
from workshop.text import offline_markdown

# Large type and no sidebar: the page is read from the back of a room at 1280x720.
PROJECTOR_CSS = READABLE_CSS + """
<style>
html { font-size: 19px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 4.2rem; padding-bottom: 2rem;
  max-width: 100%; padding-left: 2.2rem; padding-right: 2.2rem; }
h1 { font-size: 2.3rem !important; padding-bottom: 0.2rem !important; }
h2 { font-size: 1.8rem !important; }
h3 { font-size: 1.45rem !important; }
h4 { font-size: 1.3rem !important; }
[data-testid="stButtonGroup"] button p, .stButton button p { font-size: 1.1rem !important; }
:where([data-testid="stMarkdownContainer"]) :where(p, li) { font-size: 1.1rem; }
.reset-timer { font-size: 1.9rem; font-weight: 700; font-variant-numeric: tabular-nums; text-align: right; }
.reset-timer.over { color: #D55E00; }
.reset-timer small { font-size: 1rem; font-weight: 400; color: #666; }
.reset-big { font-size: 1.5rem; line-height: 1.35; margin-bottom: 0.4rem; }
.reset-line { font-size: 1.15rem; line-height: 1.4; margin: 0.15rem 0; }
textarea, input { font-size: 1.1rem !important; }
.reset-count { color: #555; font-size: 1rem; }
.st-key-check-link p { font-size: 1.15rem !important; }
</style>
"""


def stored_report(store, session: Session) -> Report | None:
    """The stored analysis (with the facilitator's corrections), without running anything."""
    from workshop import analysis

    return analysis.session_report(store, session)


def discussed_prompts(session: Session) -> list:
    """The prompts the divergence analysis is about (the readiness prompt has its own chart)."""
    return [p for p in session.prompts if p.key != READINESS_KEY]


def titles(session: Session) -> dict[str, str]:
    return {p.key: prompt_title(p.key) for p in session.prompts}


def init_state(key: str, value) -> None:
    """Give a widget its stored value once per browser session, then let it own it."""
    if key not in st.session_state:
        st.session_state[key] = value


def quiet_markdown(text: str) -> str:
    """A brief shown beside other content: its headings become bold lines, not banners.

    Without images, links or HTML (offline_markdown): the projector must not
    fetch anything a brief's author pointed it at.
    """
    quiet = re.sub(r"(?m)^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", r"\n**\1**\n", text or "").strip()
    return offline_markdown(quiet)


def who(participant: str, function: str, show_names: bool) -> str:
    return participant if show_names else function.capitalize()
