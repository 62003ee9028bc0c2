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
FRESH = OWN / "fresh"  # written blind by other people after the analysis was frozen; run once, then tuned on
BLIND = OWN / "blind"  # written blind (2026-12-02): terse, product names, one side much larger
BLIND2 = OWN / "blind2"  # written blind (2026-12-02): small company, vocabulary trap, 3 vs 7 control
SIZES = (None, 3, 2)  # full groups, then the first 3 and the first 2 people of each function (by id)


@dataclass
class Scenario:
    name: str
    answers: list[Answer]
    brief: str
    truth: dict


def cut(scenario: Scenario, people: int | None) -> Scenario:
    """The scenario as if only the first `people` of each function (by id) had come.

    Planted themes keep the participants that are left and count only while
    two of them remain (a theme needs two people); brief gaps follow their
    themes. The verdict labels stay: the functions still describe what they
    describe, only with fewer voices.
    """
    if people is None:
        return scenario
    keep: set[str] = set()
    for function in sorted({a.function for a in scenario.answers}):
        keep |= set(sorted({a.participant for a in scenario.answers if a.function == function})[:people])
    truth = dict(scenario.truth)
    planted = []
    for theme in scenario.truth.get("planted", []):
        left = [p for p in theme["participants"] if p in keep]
        if len(left) >= 2:
            planted.append({**theme, "participants": left})
    kept = {(t["dimension"], t["theme"]) for t in planted}
    truth["planted"] = planted
    truth["brief_missing"] = [m for m in scenario.truth.get("brief_missing", []) if (m["dimension"], m["theme"]) in kept]
    return Scenario(f"{scenario.name}@{people}", [a for a in scenario.answers if a.participant in keep],
                    scenario.brief, truth)


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


SETS = {"dev": DEVSET, "own": OWN, "heldout": HELDOUT, "fresh": FRESH, "blind": BLIND, "blind2": BLIND2}


def sets(names: list[str]) -> dict[str, list[Path]]:
    """Named scenario sets (benchmarks/README.md says which were tuned on when)."""
    return {name: scenario_folders(SETS[name]) for name in (names or SETS)}


class DiskCachedEncoder(Encoder):
    """An Encoder whose cache survives between benchmark runs (a .npz file).

    Without a path, one file per model in /tmp, so switching models never
    mixes their vectors. Without a model, the one the app would use
    (workshop/embedding_model.py: BRIEF_RESET_MODEL, else mpnet if installed,
    else the bundled MiniLM); the encoder itself knows no settings.
    """

    def __init__(self, path: str | Path | None = None, model_name: str | None = None):
        from workshop.embedding_model import model_name as configured_model

        # The app's model (BRIEF_RESET_MODEL, else the installed mpnet, else MiniLM), as it would analyse.
        super().__init__(model_name or configured_model())
        self.path = Path(path) if path else Path(f"/tmp/brief_reset_bench_{self.name}.npz")
        if self.path.exists():
            data = np.load(self.path, allow_pickle=False)
            for text, vector in zip(data["texts"], data["vectors"]):
                self._cache[str(text)] = vector

    def save(self) -> None:
        texts = list(self._cache)
        if texts:
            np.savez(self.path, texts=np.array(texts), vectors=np.stack([self._cache[t] for t in texts]))
