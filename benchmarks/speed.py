"""Speed of the analysis against the model's own encode time.

    .venv/bin/python -m benchmarks.speed [--statements 1000] [--repeat 3]

1. Full analysis of ~1,000 statements with an empty cache, against a raw
   `encode` of the same statements by the same loaded model (target <= 1.25x).
2. Re-analysis after one more answer, cache warm (target <= 0.2 s).
Statements come from the scenario answers; copies get a different opening
word so that every statement is a distinct text the model must embed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from benchmarks.common import load_scenario, sets  # noqa: E402
from embeddings.divergence import analyze  # noqa: E402
from embeddings.encoder import BATCH_SIZE, Encoder  # noqa: E402
from embeddings.statements import split_answer  # noqa: E402
from workshop.embedding_model import model_name as default_model_name  # noqa: E402
from workshop.models import Answer  # noqa: E402

OPENERS = ["", "honestly ", "mostly ", "again ", "usually ", "often ", "really ", "in short "]


def session_answers(target: int) -> list[Answer]:
    base = [a for folder in sets(["dev"])["dev"] + sets(["own"])["own"]
            for a in load_scenario(folder).answers]
    answers: list[Answer] = []
    count = 0
    for copy, opener in enumerate(OPENERS):
        for a in base:
            text = "\n".join(opener + s for s in split_answer(a.text))
            answers.append(Answer(f"{a.participant}#{copy}", a.function, a.dimension, text))
            count += len(split_answer(text))
            if count >= target:
                return answers
    return answers


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(default_model_name(), device="cpu")
    answers = session_answers(args.statements)
    texts = [s for a in answers for s in split_answer(a.text)]
    unique = sorted(set(texts))
    print(f"{len(answers)} answers, {len(texts)} statements ({len(unique)} distinct)")
    model.encode(unique[:64], batch_size=BATCH_SIZE)  # warm-up: first calls allocate

    raw_times, full_times = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        model.encode(unique, batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True,
                     show_progress_bar=False)
        raw_times.append(time.perf_counter() - start)
        encoder = Encoder(model=model)  # empty cache: the analysis embeds everything itself
        start = time.perf_counter()
        analyze(answers, encoder=encoder)
        full_times.append(time.perf_counter() - start)
    raw, full = statistics.median(raw_times), statistics.median(full_times)
    print(f"raw encode      {raw:.2f} s (median of {args.repeat})")
    print(f"full analysis   {full:.2f} s  -> {full / raw:.2f}x raw  (target <= 1.25x)")

    one_more = Answer("newcomer", "sales", "fears", "the rollout slips past the audit and the CFO blames them")
    times = []
    for n in range(args.repeat):
        extra = Answer(one_more.participant, one_more.function, one_more.dimension, f"{one_more.text} ({n})")
        start = time.perf_counter()
        analyze(answers + [extra], encoder=encoder)
        times.append(time.perf_counter() - start)
    print(f"re-analysis     {statistics.median(times):.3f} s after one new answer (target <= 0.2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
