"""The database file becomes unwritable under a running server: a widget callback
that writes shows the store's plain message, not Streamlit's error page.

Root ignores file permissions, so the files are made immutable (chattr +i)
while the page is open; the test is skipped where that is not possible.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.e2e.conftest import start_server
from tests.e2e.test_meeting import _settle
from workshop import agenda
from workshop.agenda import STEP_KEYS
from workshop.store import STORAGE_MESSAGE, Store

pytestmark = pytest.mark.browser


def _immutable(files, on: bool) -> bool:
    flag = "+i" if on else "-i"
    done = subprocess.run(["chattr", flag, *map(str, files)], capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(not shutil.which("chattr"), reason="needs chattr to make the database unwritable")
def test_a_callback_on_an_unwritable_database_shows_the_plain_message(browser, tmp_path, shoot):
    db = tmp_path / "frozen.db"
    store = Store(db)
    session = store.create_session("Frozen disk")
    plan = agenda.load(store, session.id)
    agenda.go_to(plan, STEP_KEYS.index("scorecard"))
    agenda.save(store, session.id, plan)
    proc, url = start_server(db)
    files = sorted(tmp_path.glob("frozen.db*"))
    try:
        page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        page.goto(f"{url}/?session={session.id}&key={session.facilitator_key}")
        page.get_by_role("link", name="Reset session").click()
        page.get_by_label("Add a metric").wait_for(timeout=30_000)
        _settle(page)
        if not _immutable(files, True):
            pytest.skip("this filesystem cannot make files immutable")
        page.get_by_label("Add a metric").fill("Win rate")
        page.get_by_role("button", name="Add", exact=True).click()
        page.get_by_text(STORAGE_MESSAGE).wait_for(timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
        shoot(page, "storage-unavailable")
    finally:
        _immutable(files, False)
        proc.terminate()
        proc.wait(10)
