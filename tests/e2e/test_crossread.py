"""The room's own reading in a real browser: two people per side cross-read, then everyone votes.

Four phones and a projector. What each participant's browser receives (its DOM
and every websocket frame) is checked: another participant's name never, and
the own side's statements never before the reveal; the lobby and the projector
show counts, not content, until the reveal.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.conftest import ADMIN_KEY
from tests.e2e.test_meeting import _collect_frames, _go_to_step, _readable, _settle, _wait_text

pytestmark = pytest.mark.browser

# Each person's statements carry a word nobody else writes.
PEOPLE = [
    ("Ana Quill", "Sales", "Zebrafinch", {
        "trigger": "Zebrafinch audit finding on manual reconciliations\nA new CFO consolidating vendors",
        "objections": "Zebrafinch procurement wants a flat fee not per seat",
    }),
    ("Tom Birch", "Sales", "Quokkamint", {
        "trigger": "Quokkamint the auditor wrote them up for manual journal entries",
        "objections": "Quokkamint security review takes a quarter",
    }),
    ("Mia Fern", "Marketing", "Narwhalberry", {
        "trigger": "Narwhalberry controller drowning in spreadsheets at month end",
        "objections": "Narwhalberry they think they can build it in house",
    }),
    ("Lea Stone", "Marketing", "Axolotlpine", {
        "trigger": "Axolotlpine month end close takes more than ten days",
        "objections": "Axolotlpine integration with the ERP worries IT",
    }),
]
NAMES = [p[0] for p in PEOPLE]
MARKERS = [p[2] for p in PEOPLE]


def _join(browser, server, code, name, function, answers):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    frames: list[str] = []
    _collect_frames(page, frames)
    page.goto(f"{server}/?code={code}")
    page.get_by_label("Your name").fill(name)
    page.get_by_text(function, exact=True).click()
    page.get_by_role("button", name="Join and start answering").click()
    page.wait_for_url(re.compile(r"[?&]p="), timeout=30_000)
    _wait_text(page, "Your personal link")
    boxes = page.locator("textarea")
    for index, key in enumerate(["trigger", "compare", "fears", "objections", "evidence"]):
        if key in answers:
            boxes.nth(index).fill(answers[key])
            boxes.nth(index).press("Control+Enter")
            _settle(page, 0.5)
    page.get_by_role("button", name="Submit my answers").click()
    _wait_text(page, "Submitted.")
    return page, frames


def _mark_everything(page, mark_for) -> int:
    """Mark each statement of each prompt as `mark_for(text)` says (None: skip), prompt by prompt."""
    marked = 0
    for _ in range(10):
        _settle(page, 0.3)
        if page.get_by_text("Done: you marked", exact=False).count():
            return marked
        cards = page.locator("[class*='st-key-stmt-']")
        for index in range(cards.count()):
            card = cards.nth(index)
            choice = mark_for(card.inner_text())
            if choice is None:
                continue
            card.locator("button").filter(has_text=choice).first.click()
            _settle(page, 0.3)
            marked += 1
        page.locator(".st-key-read-next button").click()
    raise AssertionError("the cross-reading never said it was done")


def _assert_private(pages, until_reveal: bool) -> None:
    """No other participant's name, and (before the reveal) no statement of the own side but one's own."""
    for (name, function, marker, _), (page, frames) in zip(PEOPLE, pages):
        seen = page.content() + "\n".join(frames)
        for other_name, other_function, other_marker, _ in PEOPLE:
            if other_name == name:
                continue
            assert other_name not in seen, f"{name}'s page received {other_name}'s name"
            if until_reveal and other_function == function:
                assert other_marker not in seen, f"{name}'s page received an own-side statement ({other_marker})"


def test_two_per_side_cross_read_then_vote(server, browser, shoot, tmp_path):
    facilitator = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    fpage = facilitator.new_page()
    fpage.goto(f"{server}/?admin={ADMIN_KEY}")
    _wait_text(fpage, "Brief reset sessions")
    fpage.get_by_role("tab", name="New session", exact=True).click()
    fpage.locator(".st-key-create_title input").fill("Cross-read reset")
    fpage.locator(".st-key-create_crossread label").click()
    fpage.get_by_role("button", name="Create session").click()
    _wait_text(fpage, "is ready")
    fpage.locator("code", has_text="key=").first.wait_for()
    code = re.search(r"Join code:\s*([A-Z0-9]{6})", fpage.inner_text("body")).group(1)
    link = next(t for t in fpage.locator("code").all_inner_texts() if "session=" in t and "key=" in t).strip()

    pages = [_join(browser, server, code, name, function, answers) for name, function, _, answers in PEOPLE]
    _assert_private(pages, until_reveal=True)

    # -- the lobby: collection closes, cross-reading starts, progress per function ---------
    fpage.goto(link)
    _wait_text(fpage, "2 / 2")
    assert fpage.locator(".st-key-lobby-crossread-on input").is_checked()  # switched on with the session
    fpage.get_by_role("button", name="Close collection").click()
    _wait_text(fpage, "Start cross-reading")
    fpage.get_by_role("button", name="Start cross-reading").click()
    _wait_text(fpage, "Close cross-reading")

    # -- on the phones: the other side's statements, marked --------------------------------
    for (name, function, marker, _), (page, _) in zip(PEOPLE, pages):
        _wait_text(page, "Read the other side", timeout=30_000)
    shoot(pages[0][0], "crossread-phone")
    for (name, function, _, _), (page, _) in zip(PEOPLE, pages):
        if function == "Sales":
            # Sales knows the month-end pain; the in-house build is new to them.
            _mark_everything(page, lambda text: "New to us" if "house" in text or "ERP" in text
                             else "We'd say this too")
        else:
            _mark_everything(page, lambda text: "New to us" if "security" in text or "flat fee" in text
                             else ("We'd say this too" if "audit" in text else None))  # a skip, too
    shoot(pages[2][0], "crossread-phone-done")
    _assert_private(pages, until_reveal=True)

    _settle(fpage, 2.5)  # the lobby's live part refreshes every two seconds
    lobby = fpage.content()
    assert not any(marker in lobby for marker in MARKERS)
    assert fpage.get_by_test_id("stMetricValue").filter(has_text="2 / 2").count() >= 2  # both sides reading
    _readable(fpage, "crossread-lobby", shoot)

    # -- the projector: the cross-reading step, then the reveal beside the room's reading ----
    fpage.get_by_test_id("stTopNav").get_by_role("link", name="Reset session").click()
    _wait_text(fpage, "Ground rules", timeout=30_000)
    _go_to_step(fpage, r"4 Cross-read", "4. Cross-reading")
    _settle(fpage)
    assert not any(marker in fpage.content() for marker in MARKERS)
    _readable(fpage, "crossread-step", shoot)
    _go_to_step(fpage, r"5 Reveal", "5. Reveal")
    _wait_text(fpage, "the room:", timeout=180_000)
    _settle(fpage)
    reveal = fpage.inner_text("body")
    assert "sales recognised" in reveal and "marketing recognised" in reveal
    assert not any(name in reveal for name in NAMES)
    _readable(fpage, "crossread-reveal", shoot)
    for page, _ in pages:  # the reveal ended the reading on every phone
        _wait_text(page, "your marks are in", timeout=30_000)
        assert not page.get_by_text("Read the other side").count()
    _assert_private(pages, until_reveal=True)

    # -- votes: on the phones, counted on the projector, results after the close -----------
    _go_to_step(fpage, r"6 Vote", "6. Votes")
    fpage.get_by_role("button", name="Open voting").click()
    _wait_text(fpage, "Close voting")
    for index, (page, _) in enumerate(pages):
        _wait_text(page, "Vote for what matters most", timeout=30_000)
        _settle(page)
        boxes = page.locator(".st-key-vote-list [data-testid='stCheckbox'] label")
        for pick in (0, index % 2 + 1):
            boxes.nth(pick).click()
            _settle(page, 0.5)
        _wait_text(page, "Votes left: 1 of 3")
    shoot(pages[0][0], "vote-phone")
    _assert_private(pages, until_reveal=False)
    _wait_text(fpage, "4 of 4 people have voted", timeout=15_000)
    fpage.get_by_role("button", name="Close voting").click()
    _wait_text(fpage, "Voting is closed")
    _wait_text(fpage, "4 votes:")  # every voter's first pick, at the top
    _readable(fpage, "vote-step", shoot)
    for page, _ in pages:
        _wait_text(page, "Voting is closed", timeout=30_000)

    _go_to_step(fpage, r"7 Deep dive", "7. Deep dive")
    _settle(fpage)
    shoot(fpage, "vote-deep-dive")

    # -- the summary reports both -----------------------------------------------------------
    fpage.get_by_test_id("stTopNav").get_by_role("link", name="Summary").click()
    _wait_text(fpage, "Markdown", timeout=60_000)
    with fpage.expect_download() as download:
        fpage.locator(".st-key-dl-md button").click()
    path = tmp_path / "summary.md"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert "What each side recognised in the other's answers" in text
    assert re.search(r"Sales recognised \d of marketing's \d statements on objections", text)
    assert "Top-voted themes" in text and "| 4 |" in text
    time.sleep(0.5)
    facilitator.close()
