"""Leave-one-scenario-out tuning of the analysis thresholds, at full size and cut to 3 and 2 per side.

    .venv/bin/python -m benchmarks.tune [dev] [own] [heldout] [fresh] [blind] [blind2]   # default: all
    .venv/bin/python -m benchmarks.tune --grid cluster_at=0.15,0.2,0.25 --grid split_margin=0.05,0.1

For each scenario, the grid point that scores best on the *other* scenarios
(at every size) is applied to it; the pooled figures, per size, are an
honest estimate for unseen scenarios. The grid point best on all of them is
the model's default (embeddings/params.py: MODEL_PARAMS). New scenarios get
one run of benchmarks.accuracy before they join here (DEVELOPERS.md).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections import Counter
from dataclasses import replace

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from benchmarks.accuracy import CACHE, evaluate, print_summary, size_name, summary  # noqa: E402
from benchmarks.common import SETS, SIZES, DiskCachedEncoder, cut, load_scenario, sets  # noqa: E402
from embeddings.params import params_for  # noqa: E402

GRID = {
    "divergent_below": [0.55, 0.6, 0.65],
    "cover_below": [0.25, 0.28, 0.31],
    "raw_brief_at": [0.45, 0.475, 0.5],
    "vocabulary_share": [0.6, 0.7, 0.8],
}


def score(by_size: dict) -> float:
    """Verdicts at every size, themes at full size; precision under 0.85 heavily penalised."""
    total = 0.0
    for size, c in by_size.items():
        s = summary(c)
        total += s["verdict_accuracy"]
        if size is None:
            precision = s["theme_precision"] if c["reported"] else 1.0
            recall = s["theme_recall"] if c["planted"] else 1.0
            total += recall + precision - 3 * max(0.0, 0.85 - precision)
            if c["gaps"]:
                total += 0.5 * (s["brief_gap_recall"] + (s["in_brief_ok"] if c["in_brief_checked"] else 1.0))
        if c["controls"] and c["controls_clean"] < c["controls"]:
            total -= 0.05 * (c["controls"] - c["controls_clean"])
    return total


def parse_grid(specs: list[str]) -> dict:
    """`name=v1,v2` per threshold of Params (the others stay at the model's values); none: GRID."""
    if not specs:
        return GRID
    defaults = params_for("")
    grid = {}
    for spec in specs:
        name, _, values = spec.partition("=")
        name = name.strip()
        kind = type(getattr(defaults, name))  # AttributeError names a threshold Params lacks
        kind = float if kind is type(None) else kind
        grid[name] = [None if v.strip() == "None" else kind(v) for v in values.split(",")]
    return grid


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help=", ".join(SETS) + " (default: all)")
    parser.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2",
                        help="tune these thresholds instead of the default grid (repeatable)")
    args = parser.parse_args(argv)
    folders = [f for n in (args.sets or list(SETS)) for f in sets([n])[n]]
    scenarios = [load_scenario(f) for f in folders]
    encoder = DiskCachedEncoder(CACHE)
    chosen_grid = parse_grid(args.grid)
    keys = list(chosen_grid)
    grid = [dict(zip(keys, values)) for values in itertools.product(*chosen_grid.values())]
    table = {}  # (grid index, scenario index, size) -> Counter
    for g, point in enumerate(grid):
        params = replace(params_for(encoder.name), **point)
        for s, sc in enumerate(scenarios):
            for size in SIZES:
                table[g, s, size] = evaluate([cut(sc, size)], encoder, params)
    encoder.save()

    def pooled(g: int, members) -> dict:
        return {size: sum((table[g, t, size] for t in members), Counter()) for size in SIZES}

    everyone = range(len(scenarios))
    loso = {size: Counter() for size in SIZES}
    for s, sc in enumerate(scenarios):
        others = [t for t in everyone if t != s]
        best = max(range(len(grid)), key=lambda g: (score(pooled(g, others)), -g))
        print(f"{sc.name:32s} tuned on the others: {grid[best]}")
        for size in SIZES:
            loso[size] += table[best, s, size]
    for size in SIZES:
        print_summary(f"== leave-one-scenario-out, {size_name(size)}", loso[size])
    overall = max(range(len(grid)), key=lambda g: (score(pooled(g, everyone)), -g))
    print("== best on all:", grid[overall])
    for size, c in pooled(overall, everyone).items():
        print_summary(f"-- best on all, {size_name(size)}", c)
    return 0


if __name__ == "__main__":
    sys.exit(main())
