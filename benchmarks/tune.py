"""Leave-one-scenario-out tuning of the analysis thresholds, at full size and cut to 3 and 2 per side.

    .venv/bin/python -m benchmarks.tune [dev] [own] [heldout] [fresh] [blind] [blind2]   # default: all

For each scenario, the grid point that scores best on the *other* scenarios
(at every size) is applied to it; the pooled figures, per size, are an
honest estimate for unseen scenarios. The grid point best on all of them is
the model's default (embeddings/params.py: MODEL_PARAMS). New scenarios get
one run of benchmarks.accuracy before they join here (DEVELOPERS.md).
"""

from __future__ import annotations

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


def main(argv=None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or list(SETS)
    folders = [f for n in names for f in sets([n])[n]]
    scenarios = [load_scenario(f) for f in folders]
    encoder = DiskCachedEncoder(CACHE)
    keys = list(GRID)
    grid = [dict(zip(keys, values)) for values in itertools.product(*GRID.values())]
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
