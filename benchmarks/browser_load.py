"""A few real browsers against a running server: join and save five answers at once.

    .venv/bin/python benchmarks/browser_load.py [--browsers 6]

Starts `streamlit run app.py` on a free port with its own SQLite file, opens
N Chromium pages (Debian's /usr/bin/chromium) that join with the code at the
same moment and each save five answers, and reports how long a save takes
from the key press to the row being in the database (p50/p95), whether every
answer is stored exactly once, and whether any page showed an error.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.async_api import async_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, start_server  # noqa: E402
from workshop.models import DIMENSIONS  # noqa: E402
from workshop.store import Store  # noqa: E402


async def participant(browser, url, code, number, store, latencies, errors):
    context = await browser.new_context(viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.goto(f"{url}/?code={code}")
    await page.get_by_label("Your name").fill(f"Person {number}")
    await page.get_by_text("Sales" if number % 2 else "Marketing", exact=True).click()
    await page.get_by_role("button", name="Join and start answering").click()
    await page.wait_for_url("**p=*", timeout=60_000)
    token = page.url.split("p=")[1]
    boxes = page.locator("textarea")
    await boxes.nth(0).wait_for(timeout=60_000)
    for index, key in enumerate(DIMENSIONS):
        text = f"Point {number}-{index}: the buyer's {key} as person {number} hears it"
        await boxes.nth(index).fill(text)
        started = time.perf_counter()
        await boxes.nth(index).press("Control+Enter")
        while store.own_answers(token).get(key) != text:
            if time.perf_counter() - started > 30:
                errors.append(f"person {number}: {key} not stored after 30 s")
                break
            await asyncio.sleep(0.02)
        else:
            latencies.append(time.perf_counter() - started)
    if await page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count():
        errors.append(f"person {number}: the page shows an error")
    await context.close()


async def run(browsers: int) -> int:
    db = Path(tempfile.mkdtemp()) / "browser-load.db"
    store = Store(db)
    session = store.create_session("Browser load", "Bench")
    proc, url = start_server(db)
    latencies: list[float] = []
    errors: list[str] = []
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            started = time.perf_counter()
            await asyncio.gather(*(
                participant(browser, url, session.join_code, n, store, latencies, errors)
                for n in range(1, browsers + 1)
            ))
            wall = time.perf_counter() - started
            await browser.close()
    finally:
        proc.terminate()
        proc.wait(10)
    answers = store.answers(session.id)
    keys = [(a.participant_id, a.dimension) for a in answers]
    expected = browsers * len(DIMENSIONS)
    print(f"browsers: {browsers}, wall time {wall:.1f} s")
    if latencies:
        ordered = sorted(latencies)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        print(f"save latency (key press -> row stored): p50 {statistics.median(ordered) * 1000:.0f} ms, "
              f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms")
    print(f"stored {len(answers)} of {expected}; duplicates {len(keys) - len(set(keys))}; "
          f"participants {len(store.participants(session.id))}")
    for error in errors:
        print("error:", error)
    return 0 if len(answers) == expected and not errors else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browsers", type=int, default=6)
    return asyncio.run(run(parser.parse_args().browsers))


if __name__ == "__main__":
    sys.exit(main())
