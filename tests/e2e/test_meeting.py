"""A whole meeting in a real browser: create, join, answer, privacy, close, reveal, decide, export.

One long scenario on purpose: each step depends on the one before, as in the
room. Every step asserts what a person would see.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.conftest import ADMIN_KEY
from tests.e2e.projector import MIN_PX, clipped_text, faint_text, small_text

pytestmark = pytest.mark.browser

# Each participant's answers carry a word nobody else uses, so the privacy
# check can search every participant page for the others' words.
PEOPLE = [
    ("Ana Sales", "Sales", {
        "trigger": "Zebrafinch audit finding on manual reconciliations\nNew CFO consolidating vendors",
        "objections": "Zebrafinch: procurement wants a flat fee not per seat",
    }),
    ("Tom Sales", "Sales", {
        "trigger": "Quokkamint: the auditor wrote them up for manual journal entries",
        "objections": "Quokkamint: percent-of-spend pricing gets pushback from procurement",
    }),
    ("Mia Marketing", "Marketing", {
        "trigger": "Narwhalberry: controller drowning in spreadsheets at month end",
        "objections": "Narwhalberry: they think they can build it in-house",
    }),
]
MARKERS = ["Zebrafinch", "Quokkamint", "Narwhalberry"]
REFRESH_TEXT = "Sloth-lantern: typed and refreshed before leaving the box"


def _wait_text(page, text: str, timeout: float = 30_000) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)


def _settle(page, seconds: float = 1.0) -> None:
    """Let a Streamlit rerun finish (the status widget disappears)."""
    time.sleep(0.3)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    time.sleep(seconds)


def _go_to_step(page, label: str, title: str) -> None:
    """Pick a step in the agenda bar; a click that lands mid-rerun is tried again."""
    for _ in range(4):
        _settle(page, 0.5)
        page.get_by_role("radio", name=re.compile(label)).click()
        try:
            _wait_text(page, title, timeout=15_000)
            return
        except Exception:  # noqa: BLE001 - retried, then the last wait raises
            continue
    _wait_text(page, title, timeout=15_000)


def _readable(page, name: str, shoot) -> None:
    """A projected step at 1280x720: screenshot it, then no text under 18 px and none cut off."""
    shoot(page, name)
    small = small_text(page)
    assert not small, f"{name}: text under {MIN_PX} px: {small[:5]}"
    clipped = clipped_text(page)
    assert not clipped, f"{name}: text cut off: {clipped[:5]}"
    faint = faint_text(page)
    assert not faint, f"{name}: see-through text: {faint[:5]}"


def _never_fades(page, selector: str, seconds: float = 5.0) -> None:
    """The lobby refreshes every two seconds; it must not dim while it does."""
    lowest = page.evaluate(
        """([selector, ms]) => new Promise(done => {
            let low = 1; const end = Date.now() + ms;
            const tick = () => {
              // Streamlit dims each element container of a rerunning fragment ("stale").
              for (const el of document.querySelectorAll(selector + ' [data-testid="stElementContainer"]')) {
                let seen = 1;
                for (let up = el; up && !up.matches(selector); up = up.parentElement) {
                  seen *= parseFloat(getComputedStyle(up).opacity);
                }
                low = Math.min(low, seen);
              }
              if (Date.now() < end) requestAnimationFrame(tick); else done(low);
            };
            tick();
        })""",
        [selector, int(seconds * 1000)],
    )
    assert lowest > 0.99, f"{selector} faded to opacity {lowest} during a live refresh"
    # A refresh is quick here, so Streamlit rarely gets to dim anything: dim one element the
    # way it does on a slow run (data-stale and reduced opacity) and check the page undoes it.
    held = page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector + ' [data-testid="stElementContainer"]');
            el.setAttribute('data-stale', 'true');
            el.style.opacity = '0.33';
            const seen = parseFloat(getComputedStyle(el).opacity);
            el.removeAttribute('data-stale'); el.style.opacity = '';
            return seen;
        }""",
        selector,
    )
    assert held == 1, f"a stale element of {selector} is drawn at opacity {held}"


def _collect_frames(page, into: list[str]) -> None:
    """Record every websocket message the server sends to this page."""

    def on_ws(ws):
        ws.on("framereceived", lambda payload: into.append(
            payload.decode("utf-8", "replace") if isinstance(payload, bytes) else payload
        ))

    page.on("websocket", on_ws)


def test_a_whole_meeting(server, browser, shoot, tmp_path):
    # -- the facilitator creates a session --------------------------------
    facilitator = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    fpage = facilitator.new_page()
    fpage.goto(f"{server}/?admin={ADMIN_KEY}")
    _wait_text(fpage, "Brief reset sessions")
    fpage.get_by_role("tab", name="New session", exact=True).click()
    fpage.locator(".st-key-create_title input").fill("Q4 brief reset")
    fpage.locator(".st-key-create_company input").fill("Ledgerline")
    fpage.locator(".st-key-create_facilitator input").fill("Sam Host")
    fpage.get_by_role("button", name="Create session").click()
    _wait_text(fpage, "is ready")
    fpage.locator("code", has_text="key=").first.wait_for()
    body = fpage.inner_text("body")
    code = re.search(r"Join code:\s*([A-Z0-9]{6})", body).group(1)
    facilitator_link = next(
        t for t in fpage.locator("code").all_inner_texts() if "session=" in t and "key=" in t
    ).strip()
    shoot(fpage, "01-created")

    # A wrong facilitator key gets a plain refusal and no session data.
    probe = facilitator.new_page()
    probe.goto(re.sub(r"key=[^&]+", "key=guess", facilitator_link))
    _wait_text(probe, "This facilitator link is not valid")
    assert code not in probe.inner_text("body")
    probe.close()

    # -- three participants join with the code and answer privately -------
    pages, frames = [], []
    for name, function, answers in PEOPLE:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        received: list[str] = []
        _collect_frames(page, received)
        page.goto(f"{server}/")
        page.get_by_label("Session code").fill(code.lower()[:3] + " " + code.lower()[3:])
        page.keyboard.press("Enter")
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
        pages.append(page)
        frames.append(received)

    # One participant types, then refreshes before leaving the box: the text stays.
    ana = pages[0]
    ana.locator("textarea").nth(2).fill(REFRESH_TEXT)
    ana.reload()
    _wait_text(ana, "Your personal link")
    _settle(ana)
    assert ana.locator("textarea").nth(2).input_value() == REFRESH_TEXT
    assert ana.locator("textarea").nth(0).input_value().startswith("Zebrafinch")
    shoot(ana, "02-participant-phone")

    for page in pages:
        page.get_by_role("button", name="Submit my answers").click()
        _wait_text(page, "Submitted.")

    # -- privacy: nobody's page (DOM or websocket traffic) holds another's text --
    for (name, _, _), page, received in zip(PEOPLE, pages, frames):
        own = next(m for m in MARKERS if m in PEOPLE[pages.index(page)][2]["trigger"])
        html = page.content()
        traffic = "\n".join(received)
        for marker in MARKERS:
            if marker == own:
                continue
            assert marker not in html, f"{name}'s page shows another participant's answer"
            assert marker not in traffic, f"{name}'s browser received another participant's answer"

    # -- the lobby counts arrivals, never content --------------------------
    fpage.goto(facilitator_link)
    _wait_text(fpage, "joined")
    _wait_text(fpage, "2 / 2")  # sales: submitted / joined
    _wait_text(fpage, "1 / 1")  # marketing
    lobby = fpage.content()
    assert not any(marker in lobby for marker in MARKERS)
    _readable(fpage, "03-lobby", shoot)
    _never_fades(fpage, ".st-key-lobby-live")
    fpage.get_by_role("button", name="Close collection").click()
    _wait_text(fpage, "Collection is closed")

    # A closed session refuses more answers with a message.
    pages[1].reload()
    _wait_text(pages[1], "closed collection")
    assert pages[1].locator("textarea").first.is_disabled()

    # -- the reset: analysis, reveal, a decision, an action ---------------
    fpage.get_by_test_id("stTopNav").get_by_role("link", name="Reset session").click()
    _wait_text(fpage, "Ground rules", timeout=30_000)
    _settle(fpage)
    _readable(fpage, "04-step-1-rules", shoot)
    _go_to_step(fpage, r"2 Reality", "2. Commercial reality")
    _settle(fpage)
    _readable(fpage, "04-step-2-reality", shoot)
    _go_to_step(fpage, r"3 Describe", "3. Private descriptions")
    _wait_text(fpage, "Ready for the reveal", timeout=180_000)
    _settle(fpage)
    _readable(fpage, "04-step-3-describe", shoot)

    # -- the facilitator checks the analysis on their own screen and corrects one verdict --
    fpage.get_by_test_id("stTopNav").get_by_role("link", name="Check the analysis").click()
    _wait_text(fpage, "The evidence", timeout=60_000)
    _settle(fpage)
    shown = fpage.locator("[data-testid='stRadio']").first
    options = shown.get_by_role("radio")
    flipped = next(i for i in range(options.count()) if not options.nth(i).is_checked())
    options.nth(flipped).check(force=True)
    fpage.get_by_label("Why, in one line (the summary shows it)").fill("Checked by hand: Zanzibar-reason")
    fpage.get_by_role("button", name="Save the verdict").click()
    _wait_text(fpage, "You changed this verdict")
    shoot(fpage, "04-check")
    fpage.get_by_test_id("stTopNav").get_by_role("link", name="Reset session").click()
    _wait_text(fpage, "3. Private descriptions", timeout=30_000)

    _go_to_step(fpage, r"4 Reveal", "4. Reveal")
    _settle(fpage)
    _wait_text(fpage, "Zanzibar-reason")  # the room sees the corrected verdict, and why
    # The verdicts are drawn in the reveal chart; the semantic map sits beside it.
    charts = fpage.locator("[data-testid='stVegaLiteChart']")
    charts.first.wait_for(timeout=30_000)
    assert charts.count() >= 2
    reveal = fpage.inner_text("body")
    assert not any(name in reveal for name, _, _ in PEOPLE)  # anonymous by default
    assert re.search(r"(clear|leaning|thin)", reveal)  # how sure each verdict is, in words
    _readable(fpage, "04-step-4-reveal", shoot)

    _go_to_step(fpage, r"6 Deep dive", "6. Deep dive")
    _settle(fpage)
    decision = fpage.locator("[class*='st-key-dec-'] button").filter(has_text="Investigate").first
    decision.click()
    _settle(fpage)
    _readable(fpage, "05-step-6-deep-dive", shoot)

    for label, title, name in ((r"7 Scorecard", "7. Marketing scorecard", "scorecard"),
                               (r"8 Brief", "8. The reset brief", "brief")):
        _go_to_step(fpage, label, title)
        _settle(fpage)
        _readable(fpage, f"05-step-{label[0]}-{name}", shoot)

    _go_to_step(fpage, r"9 Actions", "9. Actions")
    _settle(fpage)
    _readable(fpage, "05-step-9-actions", shoot)
    fpage.locator(".st-key-action-what input").fill("Write the flat-fee pricing one-pager")
    fpage.locator(".st-key-action-owner input").fill("Tom")
    fpage.locator(".st-key-action-add button").click()
    _settle(fpage)
    _wait_text(fpage, "Write the flat-fee pricing one-pager")

    # -- the summary downloads and says what was decided -------------------
    fpage.get_by_test_id("stTopNav").get_by_role("link", name="Summary").click()
    _wait_text(fpage, "Markdown", timeout=60_000)
    with fpage.expect_download() as download:
        fpage.locator(".st-key-dl-md button").click()
    path = tmp_path / "summary.md"
    download.value.save_as(path)
    summary = path.read_text(encoding="utf-8")
    assert "Q4 brief reset" in summary
    assert "Write the flat" in summary and "Tom" in summary
    assert "nvestigate" in summary
    shoot(fpage, "06-summary")
    facilitator.close()
