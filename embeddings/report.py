"""The analysis report: what the reveal, the deep dive and the exports read.

Plain dataclasses that turn into the JSON of `python -m workshop analyze --json`
and back, so a stored report can be shown again without the model.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

DIVERGENT = "divergent"
ALIGNED = "aligned"
INSUFFICIENT = "insufficient"
SHARED = "shared"


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
    people; otherwise "shared".
    """

    label: str
    side: str
    participants: list[str]
    statements: list[Statement]
    in_brief: bool | None = None


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
class DimensionResult:
    key: str
    verdict: str  # DIVERGENT | ALIGNED | INSUFFICIENT
    alignment: float  # 0..1, 1 = both functions describe the same buyer
    why: str
    themes: list[Theme] = field(default_factory=list)
    brief_gaps: list[str] = field(default_factory=list)  # labels of sales themes the brief misses
    stale_points: list[str] = field(default_factory=list)  # brief points only marketing repeats
    map: list[MapPoint] = field(default_factory=list)

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
        return asdict(self)

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
                )
            )
        return cls(dimensions=dims, model=data.get("model", ""), has_brief=data.get("has_brief", False))
