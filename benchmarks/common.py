"""Shared by the benchmark scripts: scenarios on disk and a disk-backed encoder."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embeddings.encoder import Encoder
from workshop.answers_csv import read_answers_csv
from workshop.models import Answer

REPO = Path(__file__).resolve().parent.parent
DEVSET = Path(os.environ.get("BRIEF_RESET_DEVSET", REPO.parent / "shared" / "devset" / "scenarios"))
OWN = REPO / "benchmarks" / "scenarios"
HELDOUT = OWN / "heldout"
FRESH = OWN / "fresh"  # written blind by other people after the analysis was frozen; run, never tuned on


@dataclass
class Scenario:
    name: str
    answers: list[Answer]
    brief: str
    truth: dict


def load_scenario(folder: Path) -> Scenario:
    answers = read_answers_csv((folder / "responses.csv").read_bytes())
    brief_path = folder / "brief.md"
    brief = brief_path.read_text(encoding="utf-8") if brief_path.exists() else ""
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return Scenario(folder.name, answers, brief, truth)


def scenario_folders(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.iterdir() if (p / "responses.csv").exists())


SETS = {"dev": DEVSET, "own": OWN, "heldout": HELDOUT, "fresh": FRESH}


def sets(names: list[str]) -> dict[str, list[Path]]:
    """Named scenario sets: dev (shared devset) and own (tuned on); heldout and fresh (never tuned on)."""
    return {name: scenario_folders(SETS[name]) for name in (names or SETS)}


class DiskCachedEncoder(Encoder):
    """An Encoder whose cache survives between benchmark runs (a .npz file).

    Without a path, one file per model in /tmp, so switching models never
    mixes their vectors.
    """

    def __init__(self, path: str | Path | None = None, model_name: str | None = None):
        super().__init__(model_name)
        self.path = Path(path) if path else Path(f"/tmp/brief_reset_bench_{self.name}.npz")
        if self.path.exists():
            data = np.load(self.path, allow_pickle=False)
            for text, vector in zip(data["texts"], data["vectors"]):
                self._cache[str(text)] = vector

    def save(self) -> None:
        texts = list(self._cache)
        if texts:
            np.savez(self.path, texts=np.array(texts), vectors=np.stack([self._cache[t] for t in texts]))
