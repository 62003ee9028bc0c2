"""Two facilitator tabs in a real browser (issue 15 item 2): each follows the other within seconds,
and what is being typed in one is not replaced while the other saves."""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import start_server
from tests.reset_sample import make_session
from workshop import agenda
from workshop import reset_brief as rb
from workshop.store import Store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    db = tmp_path_factory.mktemp("tabs") / "tabs.db"
    store = Store(db)
    session = make_session(store)
    a = agenda.load(store, session.id)
    agenda.go_to(a, agenda.STEP_KEYS.index("reset_brief"))
    agenda.save(store, session.id, a)
    proc, url = start_server(db)
    yield store, session, f"{url}/?session={session.id}&key={session.facilitator_key}"
    proc.terminate()
    proc.wait(10)


def _eventually(check, seconds: float = 15.0):
    """A save lands a moment after the box is left; wait for it rather than guess how long."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = check()
            if value:
                return value
        except (KeyError, TypeError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError("not stored in time")
        time.sleep(0.2)


def _idle(page) -> None:
    time.sleep(0.3)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def test_two_tabs_follow_each_other_and_keep_what_is_being_typed(seeded, browser, shoot):
    store, session, link = seeded
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab_a, tab_b = context.new_page(), context.new_page()
    for tab in (tab_a, tab_b):
        tab.goto(link)
        tab.get_by_test_id("stTopNav").get_by_role("link", name="Reset session").click(timeout=60_000)
        tab.get_by_text("8. The reset brief").wait_for(timeout=60_000)
        _idle(tab)
    buyer_a = tab_a.locator(".st-key-brief-buyer textarea")
    buyer_b = tab_b.locator(".st-key-brief-buyer textarea")
    trigger_b = tab_b.locator(".st-key-brief-trigger textarea")

    # B starts typing in the trigger box and has not left it yet.
    trigger_b.click()
    trigger_b.press("End")
    trigger_b.press("Control+End")
    trigger_b.type("\n- Typed in B, not saved yet")
    # Meanwhile A writes the buyer statement and leaves the box: it is saved.
    buyer_a.fill("The CFO, with procurement in the room")
    buyer_a.press("Control+Enter")
    _idle(tab_a)
    _eventually(lambda: store.get_state(session.id, rb.BUYER_STATE_KEY) == "The CFO, with procurement in the room")

    # Within a few seconds B shows A's statement, and B's typing is still there.
    tab_b.wait_for_function(
        "() => document.querySelector('.st-key-brief-buyer textarea').value.includes('procurement in the room')",
        timeout=15_000,
    )
    assert "Typed in B, not saved yet" in trigger_b.input_value()
    trigger_b.press("Control+Enter")
    _idle(tab_b)
    _eventually(lambda: "- Typed in B, not saved yet" in rb.load_drafts(store, session.id)["trigger"])

    # A moves the room on; B follows.
    tab_a.get_by_role("button", name="Next").click()
    tab_b.get_by_text("9. Actions").first.wait_for(timeout=15_000)
    shoot(tab_b, "tabs-b-followed")
    context.close()
