"""Accuracy of the divergence analysis on labeled scenarios.

    .venv/bin/python -m benchmarks.accuracy [dev] [own] [heldout] [fresh] [-v]

Grading follows the devset README: verdict accuracy and divergent
precision/recall over the labeled dimensions; a reported one-sided theme hits
a planted theme when side and dimension match and most of its statements
contain one of the planted markers; brief-gap recall over `brief_missing`;
the control scenario (no divergent dimension) must show no divergence and
no one-sided theme.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from benchmarks.common import SETS, DiskCachedEncoder, Scenario, load_scenario, sets  # noqa: E402
from embeddings.divergence import Params, analyze  # noqa: E402
from embeddings.report import DIVERGENT, SHARED, Report  # noqa: E402

CACHE = os.environ.get("BRIEF_RESET_BENCH_CACHE")  # default: one file per model in /tmp


def theme_hits(theme, planted: dict) -> bool:
    texts = [s.text.lower() for s in theme.statements]
    marked = sum(1 for t in texts if any(m.lower() in t for m in planted["markers"]))
    return marked * 2 > len(texts)


def grade(report: Report, truth: dict, verbose: bool = False, name: str = "") -> Counter:
    c: Counter = Counter()
    divergent = set(truth["divergent"])
    for key in truth["divergent"] + truth["aligned"]:
        result = report.dimension(key)
        called = result is not None and result.verdict == DIVERGENT
        actual = key in divergent
        c["verdicts"] += 1
        c["verdict_ok"] += called == actual
        c["div_true"] += actual
        c["div_called"] += called
        c["div_hit"] += called and actual
        if verbose and called != actual:
            print(f"  VERDICT {name}/{key}: called {result.verdict if result else None} "
                  f"({result.alignment if result else ''}), truth {'divergent' if actual else 'aligned'}")
    planted = truth.get("planted", [])
    missing = {(m["dimension"], m["theme"]) for m in truth.get("brief_missing", [])}
    found: dict[int, list] = {}
    for result in report.dimensions:
        for theme in result.themes:
            if theme.side == SHARED:
                continue
            c["reported"] += 1
            c[f"reported_{theme.side}"] += 1
            hit = False
            for n, p in enumerate(planted):
                if p["dimension"] == result.key and p["only"] == theme.side and theme_hits(theme, p):
                    found.setdefault(n, []).append(theme)
                    hit = True
            c["reported_hit"] += hit
            if verbose and not hit:
                print(f"  FALSE THEME {name}/{result.key} [{theme.side}] {theme.label!r} "
                      f"({len(theme.statements)} st, {len(theme.participants)} ppl)")
    for n, p in enumerate(planted):
        c["planted"] += 1
        c[f"planted_{p['only']}"] += 1
        hits = found.get(n, [])
        c["recalled"] += bool(hits)
        c[f"recalled_{p['only']}"] += bool(hits)
        if verbose and not hits:
            print(f"  MISSED {name}/{p['dimension']} [{p['only']}] {p['theme']}")
        if (p["dimension"], p["theme"]) in missing:
            c["gaps"] += 1
            c["gaps_found"] += any(t.in_brief is False for t in hits)
        elif p["only"] == "marketing" and hits:
            # The counterpart of a gap: a point the brief does make must not be called missing.
            c["in_brief_checked"] += 1
            c["in_brief_ok"] += any(t.in_brief is True for t in hits)
    if not divergent:
        c["controls"] += 1
        clean = all(d.verdict != DIVERGENT and not [t for t in d.themes if t.side != SHARED]
                    for d in report.dimensions)
        c["controls_clean"] += clean
    return c


def ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


def summary(c: Counter) -> dict:
    return {
        "verdict_accuracy": ratio(c["verdict_ok"], c["verdicts"]),
        "divergent_recall": ratio(c["div_hit"], c["div_true"]),
        "divergent_precision": ratio(c["div_hit"], c["div_called"]),
        "theme_recall": ratio(c["recalled"], c["planted"]),
        "theme_recall_marketing": ratio(c["recalled_marketing"], c["planted_marketing"]),
        "theme_precision": ratio(c["reported_hit"], c["reported"]),
        "brief_gap_recall": ratio(c["gaps_found"], c["gaps"]),
        "in_brief_ok": ratio(c["in_brief_ok"], c["in_brief_checked"]),
        "controls_clean": f"{c['controls_clean']}/{c['controls']}",
        "counts": f"{c['verdicts']} verdicts, {c['planted']} planted, {c['reported']} reported one-sided",
    }


def evaluate(scenarios: list[Scenario], encoder, params: Params | None = None, verbose=False) -> Counter:
    total: Counter = Counter()
    for sc in scenarios:
        report = analyze(sc.answers, brief=sc.brief, encoder=encoder, params=params)
        total += grade(report, sc.truth, verbose, sc.name)
    return total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help="dev, own, heldout, fresh (default: all)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sets if name not in SETS]
    if unknown:
        parser.error(f"unknown set(s): {', '.join(unknown)}")
    chosen = sets(args.sets)
    encoder = DiskCachedEncoder(CACHE)
    for name, folders in chosen.items():
        if not folders:
            continue
        scenarios = [load_scenario(f) for f in folders]
        c = evaluate(scenarios, encoder, verbose=args.verbose)
        print(f"== {name} ({len(scenarios)} scenarios)")
        for key, value in summary(c).items():
            print(f"  {key:24s} {value:.3f}" if isinstance(value, float) else f"  {key:24s} {value}")
    encoder.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
