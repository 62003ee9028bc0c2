"""The analysis report: what the reveal, the deep dive and the exports read.

Plain dataclasses that turn into the JSON of `python -m workshop analyze --json`
and back, so a stored report can be shown again without the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass

# The two functions the analysis compares, here once for the whole app
# (workshop.models re-exports them for the domain side).
SALES = "sales"
MARKETING = "marketing"

DIVERGENT = "divergent"
ALIGNED = "aligned"
INSUFFICIENT = "insufficient"
SHARED = "shared"

# How sure the verdict of one prompt is (DimensionResult.strength).
CLEAR = "clear"  # enough people and a clear margin: read it as said
LEANING = "leaning"  # the evidence points one way, not strongly: read the statements
THIN = "thin"  # too few people or statements on a side to say
STRENGTHS = (CLEAR, LEANING, THIN)

# How sure a one-sided theme is (Theme.confidence).
HIGH = "high"  # a one-sided theme on a prompt called divergent
POSSIBLE = "possible"  # one side names it and nothing close on the other, on a prompt not called divergent


@dataclass
class Statement:
    """One point a participant made: a line of an answer, bullet removed."""

    participant: str
    function: str
    text: str


@dataclass
class Theme:
    """Statements that mean the same thing.

    side is a function name ("sales", "marketing", or another invited
    function) when only that function named it, by at least two of its
    people; otherwise "shared". confidence says how sure a one-sided theme
    is (HIGH or POSSIBLE); a shared theme is HIGH. label is a short name for
    the point, quote its most central statement word for word.
    """

    label: str
    side: str
    participants: list[str]
    statements: list[Statement]
    in_brief: bool | None = None
    confidence: str = HIGH
    quote: str = ""
    corrected: list[str] = field(default_factory=list)  # what the facilitator changed ("renamed by the facilitator")


@dataclass
class MapPoint:
    """A statement placed on the 2-D semantic map of its prompt."""

    x: float
    y: float
    participant: str
    function: str
    text: str
    theme: int | None = None  # index into DimensionResult.themes


@dataclass
class Pair:
    """A sales and a marketing statement that come closest to each other: evidence for the facilitator."""

    sales: Statement
    marketing: Statement
    similarity: float


@dataclass
class DimensionResult:
    key: str
    verdict: str  # DIVERGENT | ALIGNED | INSUFFICIENT
    alignment: float  # 0..1, 1 = both functions describe the same buyer
    why: str
    themes: list[Theme] = field(default_factory=list)
    brief_gaps: list[str] = field(default_factory=list)  # labels of sales themes the brief misses
    stale_points: list[str] = field(default_factory=list)  # brief points only marketing repeats
    map: list[MapPoint] = field(default_factory=list)
    strength: str = THIN  # CLEAR | LEANING | THIN: how sure the verdict is
    strength_note: str = ""  # one plain sentence on how sure, for the reveal and the summary
    people: dict[str, int] = field(default_factory=dict)  # function -> people who answered this prompt
    brief_section: list[str] = field(default_factory=list)  # the brief's points for this prompt, as read
    override: dict | None = None  # {"from": verdict, "reason": why} when the facilitator changed the verdict
    dismissed: list[str] = field(default_factory=list)  # labels of themes the facilitator dismissed
    closest: list[Pair] = field(default_factory=list)  # the most alike cross-side pairs, most alike first

    def one_sided(self, side: str) -> list[Theme]:
        return [t for t in self.themes if t.side == side]


@dataclass
class Report:
    dimensions: list[DimensionResult]
    model: str = ""
    has_brief: bool = False

    def dimension(self, key: str) -> DimensionResult | None:
        return next((d for d in self.dimensions if d.key == key), None)

    def to_dict(self) -> dict:
        # As dataclasses.asdict, without its deep copy of every leaf: a quarter of a re-analysis went there.
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        dims = []
        for d in data["dimensions"]:
            themes = [
                Theme(
                    label=t["label"],
                    side=t["side"],
                    participants=list(t["participants"]),
                    statements=[Statement(**s) for s in t["statements"]],
                    in_brief=t.get("in_brief"),
                    confidence=t.get("confidence", HIGH),
                    quote=t.get("quote", ""),
                    corrected=[str(x) for x in t.get("corrected", [])],
                )
                for t in d.get("themes", [])
            ]
            dims.append(
                DimensionResult(
                    key=d["key"],
                    verdict=d["verdict"],
                    alignment=float(d["alignment"]),
                    why=d.get("why", ""),
                    themes=themes,
                    brief_gaps=list(d.get("brief_gaps", [])),
                    stale_points=list(d.get("stale_points", [])),
                    map=[MapPoint(**m) for m in d.get("map", [])],
                    strength=d.get("strength", THIN),
                    strength_note=d.get("strength_note", ""),
                    people={str(k): int(v) for k, v in (d.get("people") or {}).items()},
                    brief_section=[str(p) for p in d.get("brief_section", [])],
                    override=d.get("override"),
                    dismissed=[str(x) for x in d.get("dismissed", [])],
                    closest=[Pair(Statement(**p["sales"]), Statement(**p["marketing"]), float(p["similarity"]))
                             for p in d.get("closest", [])],
                )
            )
        return cls(dimensions=dims, model=data.get("model", ""), has_brief=data.get("has_brief", False))


def _plain(value):
    """Dataclasses to dicts, tuples to lists, all the way down (JSON-ready, like asdict)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
