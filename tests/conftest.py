"""Fixtures shared by the whole suite. Keep this small; name fixtures plainly.

`store`    a Store on a fresh SQLite file in the test's tmp directory.
`session`  a default session (sales + marketing, the five prompts) in `store`.
`db_path`  the SQLite file behind `store`, with BRIEF_RESET_DB pointing at it,
           for code that opens the store itself (pages, the command line).
"""

from __future__ import annotations

import os

import pytest

from workshop.store import Store

# Tests load the model only where they ask for it: no preloading, no embedding
# ahead in the background (tests/workshop/test_background.py turns it on).
os.environ.setdefault("BRIEF_RESET_PRELOAD", "0")


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "brief_reset.db"
    monkeypatch.setenv("BRIEF_RESET_DB", str(path))
    return path


@pytest.fixture
def store(db_path) -> Store:
    return Store(db_path)


@pytest.fixture
def session(store):
    return store.create_session("Q3 brief reset", company="Acme Analytics")
