"""Load benchmark: a full room joining and answering in the same few seconds.

60 simulated participants, each in its own process with its own Store (as
separate server workers would be), join one session and save five answers
against a temporary SQLite file. Two rounds:

  paced  people start within the first 2 s and think 0-1.5 s between
         answers, so the room finishes in about 10 s (a real meeting);
  burst  everybody joins and saves as fast as possible at the same instant
         (the worst case: 60 people pressing save together).

Reports p50/p95/max latency of a save and of a join, the number of answers
stored against expected, duplicates, and every error, "database is locked"
counted separately. Exit status 1 if anything was lost, duplicated or failed.

    .venv/bin/python benchmarks/load.py [--people 60] [--rounds paced,burst] [--json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workshop.models import DIMENSIONS  # noqa: E402
from workshop.store import Store  # noqa: E402


def participant(db: str, session_id: str, index: int, paced: bool, start_at: float, results):
    """One person: join, answer the five prompts, press submit."""
    rng = random.Random(index)
    store = Store(db)
    joins, saves, errors = [], [], []
    while time.time() < start_at:  # everybody is released at the same moment
        time.sleep(0.001)
    if paced:
        time.sleep(rng.uniform(0, 2))
    try:
        t = time.perf_counter()
        p = store.join(session_id, f"Person {index}", "sales" if index % 2 else "marketing")
        joins.append(time.perf_counter() - t)
        for dimension in DIMENSIONS:
            if paced:
                time.sleep(rng.uniform(0, 1.5))
            text = f"{dimension}: point one from person {index}\npoint two, with a comma"
            t = time.perf_counter()
            store.save_answer(p.token, dimension, text)
            saves.append(time.perf_counter() - t)
        store.mark_submitted(p.token)
    except Exception as error:  # noqa: BLE001 - counted and reported
        errors.append(f"{type(error).__name__}: {error}")
    results.put({"joins": joins, "saves": saves, "errors": errors})


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def run_round(people: int, paced: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "load.db")
        store = Store(db)
        session = store.create_session("Load test", company="Benchmark")
        ctx = mp.get_context("fork")
        results = ctx.Queue()
        start_at = time.time() + 1.5  # time for every process to be up
        procs = [
            ctx.Process(target=participant, args=(db, session.id, i, paced, start_at, results))
            for i in range(people)
        ]
        for proc in procs:
            proc.start()
        outcomes = [results.get(timeout=120) for _ in procs]
        for proc in procs:
            proc.join(timeout=30)
        wall = time.time() - start_at

        joins = [x for o in outcomes for x in o["joins"]]
        saves = [x for o in outcomes for x in o["saves"]]
        errors = [e for o in outcomes for e in o["errors"]]
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
            distinct = conn.execute(
                "SELECT COUNT(*) FROM (SELECT DISTINCT participant_id, dimension FROM answers)"
            ).fetchone()[0]
            names = conn.execute(
                "SELECT COUNT(*), COUNT(DISTINCT name) FROM participants"
            ).fetchone()
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        progress = store.progress(session.id)
    ms = 1000
    return {
        "round": "paced" if paced else "burst",
        "people": people,
        "wall_seconds": round(wall, 2),
        "answers_expected": people * len(DIMENSIONS),
        "answers_stored": rows,
        "duplicate_answers": rows - distinct,
        "participants_stored": names[0],
        "duplicate_participants": names[0] - names[1],
        "submitted": sum(progress.submitted.values()),
        "save_ms": {
            "p50": round(percentile(saves, 50) * ms, 1),
            "p95": round(percentile(saves, 95) * ms, 1),
            "max": round(max(saves, default=float("nan")) * ms, 1),
            "count": len(saves),
        },
        "join_ms": {
            "p50": round(percentile(joins, 50) * ms, 1),
            "p95": round(percentile(joins, 95) * ms, 1),
            "max": round(max(joins, default=float("nan")) * ms, 1),
        },
        "database_is_locked": sum("database is locked" in e for e in errors),
        "errors": errors[:10],
        "error_count": len(errors),
        "integrity": integrity,
    }


def healthy(result: dict) -> bool:
    return (
        result["answers_stored"] == result["answers_expected"]
        and result["duplicate_answers"] == 0
        and result["duplicate_participants"] == 0
        and result["participants_stored"] == result["people"]
        and result["error_count"] == 0
        and result["integrity"] == "ok"
    )


def show(result: dict) -> str:
    s, j = result["save_ms"], result["join_ms"]
    lines = [
        f"[{result['round']}] {result['people']} participants in separate processes, "
        f"{result['wall_seconds']} s wall",
        f"  save latency  p50 {s['p50']} ms   p95 {s['p95']} ms   max {s['max']} ms"
        f"   ({s['count']} saves)",
        f"  join latency  p50 {j['p50']} ms   p95 {j['p95']} ms   max {j['max']} ms",
        f"  answers stored {result['answers_stored']}/{result['answers_expected']}, "
        f"duplicates {result['duplicate_answers']}, participants "
        f"{result['participants_stored']} (duplicates {result['duplicate_participants']}), "
        f"submitted {result['submitted']}",
        f"  errors {result['error_count']} (database is locked: "
        f"{result['database_is_locked']}), integrity {result['integrity']}",
    ]
    lines += [f"    {e}" for e in result["errors"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--rounds", default="paced,burst", help="comma-separated: paced, burst")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = [run_round(args.people, paced=(r.strip() == "paced"))
               for r in args.rounds.split(",") if r.strip()]
    if args.json:
        print(json.dumps(results, indent=1))
    else:
        print("\n".join(show(r) for r in results))
    return 0 if all(healthy(r) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
