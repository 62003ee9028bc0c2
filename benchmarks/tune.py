"""Leave-one-scenario-out tuning of the analysis thresholds.

    .venv/bin/python -m benchmarks.tune [dev] [own] [heldout] [fresh]   # default: all four

For each scenario, the grid point that scores best on the *other* scenarios
is applied to it; the pooled figures are an honest estimate for unseen
scenarios. The grid point best on all of them is the model's default
(embeddings/divergence.py: MODEL_PARAMS). New scenarios get one run of
benchmarks.accuracy before they join here (DEVELOPERS.md).
"""

from __future__ import annotations

import itertools
import os
import sys
from collections import Counter
from dataclasses import replace

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from benchmarks.accuracy import CACHE, evaluate, summary  # noqa: E402
from benchmarks.common import DiskCachedEncoder, load_scenario, sets  # noqa: E402
from embeddings.divergence import params_for  # noqa: E402

GRID = {
    "neighbours": [3],
    "divergent_below": [0.55, 0.6, 0.625, 0.65, 0.7],
    "cluster_at": [0.15, 0.2, 0.25],
    "shared_at": [0.4],
    "other_side_below": [0.6],
    "split_margin": [None, 0.05, 0.1, 0.125, 0.15],
    "lexical_weight": [0.0, 0.5],
}


def score(c: Counter) -> float:
    """Verdicts and theme recall, with precision under 0.8 heavily penalised."""
    s = summary(c)
    precision = s["theme_precision"] if c["reported"] else 1.0
    recall = s["theme_recall"] if c["planted"] else 1.0
    return s["verdict_accuracy"] + recall + precision - 3 * max(0.0, 0.85 - precision)


def main(argv=None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or ["dev", "own", "heldout", "fresh"]
    folders = [f for n in names for f in sets([n])[n]]
    scenarios = [load_scenario(f) for f in folders]
    encoder = DiskCachedEncoder(CACHE)
    keys = list(GRID)
    grid = [dict(zip(keys, values)) for values in itertools.product(*GRID.values())]
    table = {}  # (grid index, scenario index) -> Counter
    for g, point in enumerate(grid):
        params = replace(params_for(encoder.name), **point)
        for s, sc in enumerate(scenarios):
            table[g, s] = evaluate([sc], encoder, params)
    encoder.save()
    pooled: Counter = Counter()
    for s, sc in enumerate(scenarios):
        best = max(range(len(grid)), key=lambda g: (score(sum((table[g, t] for t in range(len(scenarios)) if t != s), Counter())), -g))
        print(f"{sc.name:32s} tuned on the others: {grid[best]}")
        pooled += table[best, s]
    print("== leave-one-scenario-out")
    for key, value in summary(pooled).items():
        print(f"  {key:24s} {value:.3f}" if isinstance(value, float) else f"  {key:24s} {value}")
    overall = max(range(len(grid)), key=lambda g: (score(sum((table[g, t] for t in range(len(scenarios))), Counter())), -g))
    print("== best on all:", grid[overall])
    for key, value in summary(sum((table[overall, t] for t in range(len(scenarios))), Counter())).items():
        print(f"  {key:24s} {value:.3f}" if isinstance(value, float) else f"  {key:24s} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
