"""The server-load benchmark's smallest room, as a behaviour test: ten people
through the real server and Streamlit's websocket lose nothing.

No timing is asserted; the figures belong to `benchmarks/server_load.py`.
"""

from __future__ import annotations

import asyncio

from benchmarks import server_load


def test_ten_people_through_the_real_server_lose_nothing():
    result = asyncio.run(server_load.run_round(people=10, timeout=60, hold=3))
    assert result["joined"] == 10 and result["submitted"] == 10
    assert result["answers_sent"] == result["saved"] == result["answers_stored"] == 50
    assert result["lost"] == 0 and result["timeouts"] == 0, result
    assert not result["page_errors"] and not result["leaks"]
    # The lobby the facilitator projects caught up with the whole room.
    assert result["lobby"]["last_counts"] == {"joined": 10, "submitted": 10, "answered": 50}
    assert server_load.healthy(result)


def test_a_lost_answer_a_timeout_or_a_leak_is_unhealthy():
    good = {"people": 2, "joined": 2, "saved": 10, "answers_expected": 10, "submitted": 2,
            "lost": 0, "timeouts": 0, "leaks": [], "page_errors": [], "lobby": {"max_seconds": 2.0}}
    assert server_load.healthy(good)
    assert not server_load.healthy({**good, "saved": 9, "lost": 1})
    assert not server_load.healthy({**good, "timeouts": 1})
    assert not server_load.healthy({**good, "leaks": ["person 0 received person 1's text"]})
    assert not server_load.healthy(good, lobby_max_seconds=1.0)
