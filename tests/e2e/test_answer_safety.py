"""Nothing a participant types is lost or mixed, in a real browser (issue 18, items 1 and 2):
two tabs of one personal link, and the facilitator closing while someone types."""

from __future__ import annotations

import subprocess
import time

import pytest

from tests.e2e.conftest import start_server
from workshop.store import Store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    db = tmp_path_factory.mktemp("safety") / "safety.db"
    store = Store(db)
    proc, url = start_server(db)
    yield store, url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _settle(page, seconds: float = 1.0) -> None:
    time.sleep(0.3)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    time.sleep(seconds)


def _open(context, url: str, token: str):
    page = context.new_page()
    page.goto(f"{url}/?p={token}")
    page.get_by_text("Your personal link").wait_for(timeout=30_000)
    _settle(page)
    return page


def test_two_tabs_of_one_participant_neither_leak_drafts_nor_overwrite(room, browser, shoot):
    store, url = room
    session = store.create_session("Two tabs")
    token = store.join(session.id, "Ana", "sales").token
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    tab_a, tab_b = _open(phone, url, token), _open(phone, url, token)

    tab_a.bring_to_front()
    box_a = tab_a.locator("textarea").nth(0)
    box_a.click()
    box_a.type("Tab one: audit finding", delay=20)
    time.sleep(3)  # tab B's draft restore used to send tab A's keystrokes
    assert store.own_answers(token) == {}
    box_a.press("Control+Enter")
    _settle(tab_a)
    assert store.own_answers(token) == {"trigger": "Tab one: audit finding"}

    tab_b.bring_to_front()
    box_b = tab_b.locator("textarea").nth(0)
    box_b.click()
    box_b.type("Tab two: new CFO", delay=20)
    box_b.press("Control+Enter")
    _settle(tab_b)
    assert store.own_answers(token) == {"trigger": "Tab one: audit finding"}
    tab_b.get_by_text("changed in another tab", exact=False).wait_for(timeout=15_000)
    shoot(tab_b, "safety-two-tabs")
    tab_b.get_by_role("button", name="Save mine instead").click()
    _settle(tab_b)
    assert store.own_answers(token) == {"trigger": "Tab two: new CFO"}
    phone.close()


def test_text_typed_while_collection_closes_is_shown_back(room, browser, shoot):
    store, url = room
    session = store.create_session("Closing")
    token = store.join(session.id, "Ana", "sales").token
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = _open(phone, url, token)
    box = page.locator("textarea").nth(1)
    box.click()
    box.type("Typed while the facilitator closed", delay=10)  # never leaves the box
    store.set_collection_open(session.id, False)
    page.get_by_text("shown read-only", exact=False).first.wait_for(timeout=30_000)
    _settle(page)
    assert page.locator("textarea").nth(1).is_disabled()
    assert page.locator("code", has_text="Typed while the facilitator closed").count() == 1
    shoot(page, "safety-closed-while-typing")
    phone.close()
