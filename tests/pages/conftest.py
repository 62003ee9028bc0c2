"""Helpers for the page tests: open app.py with one role's query string, as a browser would.

Each AppTest opens the app with the query string of one role. A fresh
AppTest with the same query string is what a refresh (or a second device)
does: only the store carries anything over. Page tests that need the fixed
admin key and base URL say so with `pytestmark = pytest.mark.usefixtures("admin_key")`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ADMIN_KEY = "test-admin-key"


@pytest.fixture
def admin_key(monkeypatch):
    monkeypatch.setenv("BRIEF_RESET_ADMIN_KEY", ADMIN_KEY)
    monkeypatch.setenv("BRIEF_RESET_BASE_URL", "http://10.1.2.3:8501")


def open_app(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_protos(node) -> list[str]:
    """Everything the server sent for the page, as text."""
    out = []
    for child in getattr(node, "children", {}).values():
        out += page_protos(child)
    proto = getattr(node, "proto", None)
    if proto is not None:
        out.append(str(proto))
    return out


def page_sends(at: AppTest, text: str) -> bool:
    return any(text in p for p in page_protos(at._tree))


def values(elements) -> list[str]:
    return [e.value for e in elements]


def facilitator(session) -> dict:
    return {"session": session.id, "key": session.facilitator_key}
