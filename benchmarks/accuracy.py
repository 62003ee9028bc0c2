"""Accuracy of the divergence analysis on labeled scenarios, at full size and cut to 3 and 2 per side.

    .venv/bin/python -m benchmarks.accuracy [dev] [own] [heldout] [fresh] [blind] [blind2] [-v] [--sizes full,3,2]

Grading follows the devset README: verdict accuracy and divergent
precision/recall over the labeled dimensions; a reported one-sided theme of
high confidence hits a planted theme when side and dimension match and most
of its statements contain one of the planted markers (precision and recall
over those: the targets); "possible" themes are graded apart (their
precision, and the recall of high + possible); themes per planted theme
found (one point, one theme); brief-gap recall over `brief_missing`; the
control scenarios (no divergent dimension) must show no divergent verdict
and no high-confidence one-sided theme, at every size. Each scenario is also
cut to the first 3 and 2 people of each function (benchmarks/common.py: cut).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from benchmarks.common import SETS, SIZES, DiskCachedEncoder, Scenario, cut, load_scenario, sets  # noqa: E402
from embeddings.divergence import Params, analyze  # noqa: E402
from embeddings.report import CLEAR, DIVERGENT, HIGH, LEANING, SHARED, THIN, Report  # noqa: E402

CACHE = os.environ.get("BRIEF_RESET_BENCH_CACHE")  # default: one file per model in /tmp
PROMPTS = None  # the standard prompts, loaded lazily (workshop.models)


def prompts():
    global PROMPTS
    if PROMPTS is None:
        from workshop.models import DEFAULT_PROMPTS

        PROMPTS = list(DEFAULT_PROMPTS)
    return PROMPTS


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
        level = result.strength if result is not None else THIN
        c[f"strength_{level}"] += 1
        c[f"strength_{level}_ok"] += called == actual
        if verbose and called != actual:
            print(f"  VERDICT {name}/{key}: called {result.verdict if result else None} "
                  f"({result.alignment if result else ''}, {level}), truth {'divergent' if actual else 'aligned'}")
    planted = truth.get("planted", [])
    missing = {(m["dimension"], m["theme"]) for m in truth.get("brief_missing", [])}
    found: dict[int, list] = {}
    found_any: dict[int, list] = {}
    for result in report.dimensions:
        for theme in result.themes:
            if theme.side == SHARED:
                continue
            high = theme.confidence == HIGH
            prefix = "reported" if high else "possible"
            c[prefix] += 1
            hit = False
            for n, p in enumerate(planted):
                if p["dimension"] == result.key and p["only"] == theme.side and theme_hits(theme, p):
                    found_any.setdefault(n, []).append(theme)
                    if high:
                        found.setdefault(n, []).append(theme)
                    hit = True
            c[f"{prefix}_hit"] += hit
            c[f"{prefix}_words"] += len(theme.label.split())
            if verbose and not hit:
                print(f"  FALSE {'THEME' if high else 'possible'} {name}/{result.key} [{theme.side}] {theme.label!r} "
                      f"({len(theme.statements)} st, {len(theme.participants)} ppl)")
    for n, p in enumerate(planted):
        c["planted"] += 1
        c[f"planted_{p['only']}"] += 1
        hits = found.get(n, [])
        c["recalled"] += bool(hits)
        c["recalled_any"] += bool(found_any.get(n))
        c[f"recalled_{p['only']}"] += bool(hits)
        c["themes_per_found"] += len(hits)
        if verbose and not hits:
            print(f"  MISSED {name}/{p['dimension']} [{p['only']}] {p['theme']}"
                  + (" (shown as possible)" if found_any.get(n) else ""))
        if verbose and len(hits) > 1:
            print(f"  SPLIT {name}/{p['dimension']} [{p['only']}] {p['theme']}: "
                  + " | ".join(repr(t.label) for t in hits))
        if (p["dimension"], p["theme"]) in missing:
            c["gaps"] += 1
            c["gaps_found"] += any(t.in_brief is False for t in hits)
        elif p["only"] == "marketing" and hits:
            # The counterpart of a gap: a point the brief does make must not be called missing.
            c["in_brief_checked"] += 1
            c["in_brief_ok"] += any(t.in_brief is True for t in hits)
    if not divergent:
        c["controls"] += 1
        clean = all(d.verdict != DIVERGENT and not [t for t in d.themes if t.side != SHARED and t.confidence == HIGH]
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
        "themes_per_found": ratio(c["themes_per_found"], c["recalled"]),
        "label_words": ratio(c["reported_words"] + c["possible_words"], c["reported"] + c["possible"]),
        "recall_with_possible": ratio(c["recalled_any"], c["planted"]),
        "possible_precision": ratio(c["possible_hit"], c["possible"]),
        "brief_gap_recall": ratio(c["gaps_found"], c["gaps"]),
        "in_brief_ok": ratio(c["in_brief_ok"], c["in_brief_checked"]),
        "controls_clean": f"{c['controls_clean']}/{c['controls']}",
        "right_when_clear": f"{ratio(c['strength_clear_ok'], c['strength_clear']):.3f} of {c['strength_clear']}",
        "right_when_leaning": f"{ratio(c['strength_leaning_ok'], c['strength_leaning']):.3f} of {c['strength_leaning']}",
        "right_when_thin": f"{ratio(c['strength_thin_ok'], c['strength_thin']):.3f} of {c['strength_thin']}",
        "counts": (f"{c['verdicts']} verdicts, {c['planted']} planted, {c['reported']} high + "
                   f"{c['possible']} possible one-sided"),
    }


def evaluate(scenarios: list[Scenario], encoder, params: Params | None = None, verbose=False,
             use_brief: bool = True) -> Counter:
    total: Counter = Counter()
    for sc in scenarios:
        report = analyze(sc.answers, brief=sc.brief if use_brief else None, encoder=encoder, params=params,
                         prompts=prompts())
        total += grade(report, sc.truth, verbose, sc.name)
    return total


def size_name(size: int | None) -> str:
    return "full" if size is None else f"{size} per side"


def parse_sizes(text: str) -> tuple:
    sizes = []
    for part in text.split(","):
        part = part.strip()
        sizes.append(None if part in ("full", "") else int(part))
    return tuple(sizes)


def print_summary(title: str, c: Counter) -> None:
    print(title)
    for key, value in summary(c).items():
        print(f"  {key:24s} {value:.3f}" if isinstance(value, float) else f"  {key:24s} {value}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help=", ".join(SETS) + " (default: all)")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--sizes", default="full,3,2", help="full and/or people per side, e.g. full,3,2")
    parser.add_argument("--no-brief", action="store_true", help="analyse as if no brief of record was given")
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
        for size in parse_sizes(args.sizes):
            c = evaluate([cut(sc, size) for sc in scenarios], encoder, verbose=args.verbose,
                         use_brief=not args.no_brief)
            print_summary(f"== {name} ({len(scenarios)} scenarios), {size_name(size)}", c)
    encoder.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
