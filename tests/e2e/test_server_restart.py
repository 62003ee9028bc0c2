"""The server process dies mid-session (SIGKILL) and is started again on the same file.

Every saved answer, decision and action is still there, and a participant's
personal link still opens and saves their answers.
"""

from __future__ import annotations

import re
import signal

import pytest

from tests.e2e.conftest import start_server
from tests.e2e.test_meeting import _settle, _wait_text
from workshop.store import Store

pytestmark = pytest.mark.browser


def test_answers_and_links_survive_a_killed_server(browser, tmp_path):
    db = tmp_path / "restart.db"
    store = Store(db)
    session = store.create_session("Restart check", "Ledgerline")
    colleague = store.join(session.id, "Dee", "marketing")
    store.save_answer(colleague.token, "fears", "Bill shock from a runaway cluster")

    proc, url = start_server(db)
    try:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(f"{url}/?code={session.join_code}")
        page.get_by_label("Your name").fill("Ana")
        page.get_by_text("Sales", exact=True).click()
        page.get_by_role("button", name="Join and start answering").click()
        page.wait_for_url(re.compile(r"[?&]p="), timeout=30_000)
        personal_link = page.url
        boxes = page.locator("textarea")
        boxes.nth(0).wait_for()
        boxes.nth(0).fill("Auditor flagged manual journal entries")
        boxes.nth(0).press("Control+Enter")
        _settle(page)
        boxes.nth(3).fill("Procurement wants a flat fee")
        boxes.nth(3).press("Control+Enter")
        _settle(page)
        store.save_decision(session.id, "objections", "flat fee", "adopt", "price page")
        store.add_action(session.id, "Draft flat-fee offer", "Tom", "2026-12-15")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    # Nothing saved before the kill is lost...
    after = Store(db)
    mine = after.participant_by_token(personal_link.split("p=")[1])
    assert mine is not None and mine.name == "Ana"
    assert after.own_answers(mine.token) == {
        "trigger": "Auditor flagged manual journal entries",
        "objections": "Procurement wants a flat fee",
    }
    assert after.own_answers(colleague.token) == {"fears": "Bill shock from a runaway cluster"}
    assert [(d.theme, d.choice, d.note) for d in after.decisions(session.id)] == [
        ("flat fee", "adopt", "price page")
    ]
    assert [a.what for a in after.actions(session.id)] == ["Draft flat-fee offer"]

    # ...and the same personal link opens and saves on the restarted server.
    proc, url = start_server(db)
    try:
        page = context.new_page()
        page.goto(re.sub(r"^http://[^/]+", url, personal_link))
        _wait_text(page, "Your personal link")
        _settle(page)
        boxes = page.locator("textarea")
        assert boxes.nth(0).input_value() == "Auditor flagged manual journal entries"
        assert "Bill shock" not in page.content()
        boxes.nth(4).fill("A reference call with a company their size")
        boxes.nth(4).press("Control+Enter")
        _settle(page)
        assert Store(db).own_answers(mine.token)["evidence"] == (
            "A reference call with a company their size"
        )
        context.close()
    finally:
        proc.terminate()
        proc.wait(10)
