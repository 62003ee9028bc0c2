"""The marketing scorecard: the metrics marketing is judged on, and whether it can move them.

For each metric the room answers one question: under the brief we are about to
adopt, can marketing materially influence it? yes / partly / no, with a note.
Stored as a list under the session's "scorecard" state, on every change.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

STATE_KEY = "scorecard"
INFLUENCE = ("yes", "partly", "no")
MAX_METRIC_CHARS = 120
# Shown as suggestions, never pre-filled: the room names its own metrics.
COMMON_METRICS = (
    "Marketing-qualified leads", "Pipeline sourced by marketing", "Win rate",
    "Cost per lead", "Website traffic", "Sales cycle length",
)


class ScorecardError(ValueError):
    pass


@dataclass
class Metric:
    name: str
    influence: str = ""  # one of INFLUENCE, or "" while undecided
    note: str = ""


def parse(rows) -> list[Metric]:
    """The stored list as metrics."""
    return [Metric(**{k: r.get(k, "") for k in ("name", "influence", "note")}) for r in rows or []]


def dump(metrics: list[Metric]) -> list[dict]:
    return [asdict(m) for m in metrics]


def load(store, session_id: str) -> list[Metric]:
    return parse(store.get_state(session_id, STATE_KEY, []))


def save(store, session_id: str, metrics: list[Metric]) -> None:
    store.set_state(session_id, STATE_KEY, dump(metrics))


def add_metric(metrics: list[Metric], name: str) -> list[Metric]:
    name = " ".join((name or "").split())
    if not name:
        raise ScorecardError("Name the metric.")
    if len(name) > MAX_METRIC_CHARS:
        raise ScorecardError(f"Keep the metric under {MAX_METRIC_CHARS} characters.")
    if any(m.name.lower() == name.lower() for m in metrics):
        raise ScorecardError(f"'{name}' is already on the scorecard.")
    return metrics + [Metric(name)]


def rate(metrics: list[Metric], name: str, influence: str | None, note: str | None = None) -> list[Metric]:
    if influence not in (None, "", *INFLUENCE):
        raise ScorecardError(f"Answer with one of {', '.join(INFLUENCE)}.")
    out = []
    for m in metrics:
        if m.name == name:
            m = Metric(m.name, influence or "", m.note if note is None else note.strip())
        out.append(m)
    return out


def remove(metrics: list[Metric], name: str) -> list[Metric]:
    return [m for m in metrics if m.name != name]


def tally(metrics: list[Metric]) -> dict[str, int]:
    counts = {choice: 0 for choice in INFLUENCE}
    counts["open"] = 0
    for m in metrics:
        counts[m.influence if m.influence in INFLUENCE else "open"] += 1
    return counts
