"""The load benchmark still runs and still checks what it claims to check.

Not a timing test: the figures belong to `benchmarks/load.py` itself.
"""

from __future__ import annotations

from benchmarks import load


def test_a_small_burst_is_reported_healthy():
    result = load.run_round(people=8, paced=False)
    assert result["answers_stored"] == result["answers_expected"] == 40
    assert result["duplicate_answers"] == 0 and result["error_count"] == 0
    assert result["save_ms"]["count"] == 40 and result["integrity"] == "ok"
    assert load.healthy(result)
    assert "stored 40/40" in load.show(result)


def test_a_lost_answer_or_an_error_is_unhealthy():
    good = load.run_round(people=2, paced=False)
    assert not load.healthy({**good, "answers_stored": good["answers_expected"] - 1})
    assert not load.healthy({**good, "error_count": 1, "database_is_locked": 1})
