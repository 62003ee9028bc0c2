"""The steps of a reset session, where the room is, and how long each step ran.

The agenda is stored with the session (store state "agenda") on every change,
so a facilitator who closes the laptop and opens the facilitator link again
lands on the same step with the same timers. Time is passed in (`now`) so the
arithmetic is testable without sleeping.

The optional sixth prompt ("readiness") lives here too: it is a property of the
session's agenda, off by default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from workshop.models import MARKETING, SALES, Answer, Prompt, Session

AGENDA_STATE_KEY = "agenda"
READINESS_STATE_KEY = "readiness_enabled"

MIN_MINUTES = 1
MAX_MINUTES = 240


@dataclass(frozen=True)
class Step:
    key: str  # also the name of the step's module in pages/reset_steps/
    title: str
    minutes: int  # suggested duration
    purpose: str  # one line for the projector
    short: str  # its name in the row of steps on the projector


# The reset session's steps, in order: the one list to edit to add, drop or
# reorder a step (with its module pages/reset_steps/KEY.py, which has
# render(store, session, agenda)).
STEPS: tuple[Step, ...] = (
    Step("ground_rules", "Ground rules", 5, "Why we are here, and how we will work.", "Rules"),
    Step("commercial_reality", "Commercial reality", 15,
         "Has who buys, through which channel, with what support, shifted?", "Reality"),
    Step("descriptions", "Private descriptions", 15,
         "Everyone describes the buyer, alone and in writing.", "Describe"),
    # Optional (workshop/crossread.py): left out of a session that does not cross-read.
    Step("crossread", "Cross-reading", 5,
         "Each side marks what it recognises in the other's answers.", "Cross-read"),
    Step("reveal", "Reveal", 10, "Where do the two descriptions part?", "Reveal"),
    Step("votes", "Votes", 5, "Which themes matter most for the new brief?", "Vote"),
    Step("deep_dive", "Deep dive", 40, "One prompt at a time: adopt, retire or investigate.", "Deep dive"),
    Step("scorecard", "Marketing scorecard", 15,
         "Can marketing move the numbers it is judged on?", "Scorecard"),
    Step("reset_brief", "The reset brief", 20, "The buyer we agree on, written down.", "Brief"),
    Step("actions", "Actions", 10, "Who does what, by when.", "Actions"),
)
STEP_KEYS = tuple(s.key for s in STEPS)
# The steps before cross-reading and votes joined: an agenda stored then holds only
# an index into these ("current"); one stored since also holds its step's key.
EARLIER_STEP_KEYS = ("ground_rules", "commercial_reality", "descriptions", "reveal", "deep_dive", "scorecard",
                     "reset_brief", "actions")


def step(key: str) -> Step:
    return STEPS[STEP_KEYS.index(key)]


@dataclass
class Agenda:
    """Where the session stands. Times are ISO-8601 UTC strings (JSON-friendly)."""

    current: int = 0  # index into STEPS
    minutes: dict[str, int] = field(default_factory=dict)  # overrides of the suggestion
    spent: dict[str, float] = field(default_factory=dict)  # seconds on each step before now
    entered_at: str | None = None  # when the current step's clock started

    @property
    def step(self) -> Step:
        return STEPS[self.current]

    def minutes_for(self, key: str) -> int:
        return int(self.minutes.get(key, step(key).minutes))

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes_for(s.key) for s in STEPS)

    def to_dict(self) -> dict:
        return {
            "current": self.current,
            "step": self.step.key,
            "minutes": dict(self.minutes),
            "spent": dict(self.spent),
            "entered_at": self.entered_at,
        }

    @classmethod
    def from_dict(cls, data: dict | None) -> "Agenda":
        data = data or {}
        current = data.get("current", 0)
        if data.get("step") in STEP_KEYS:
            current = STEP_KEYS.index(data["step"])
        elif isinstance(current, int) and not isinstance(current, bool) and 0 <= current < len(EARLIER_STEP_KEYS):
            current = STEP_KEYS.index(EARLIER_STEP_KEYS[current])
        else:
            current = 0
        minutes = {
            k: _clamp_minutes(v) for k, v in (data.get("minutes") or {}).items() if k in STEP_KEYS
        }
        spent = {
            k: max(0.0, float(v)) for k, v in (data.get("spent") or {}).items() if k in STEP_KEYS
        }
        return cls(current, minutes, spent, data.get("entered_at"))


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def _parse(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _clamp_minutes(value) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        return MIN_MINUTES
    return max(MIN_MINUTES, min(MAX_MINUTES, value))


def start(agenda: Agenda, now: datetime | None = None) -> Agenda:
    """Start the current step's clock if it is not running (first open of the page)."""
    if agenda.entered_at is None:
        agenda.entered_at = _now(now).isoformat()
    return agenda


def elapsed_seconds(agenda: Agenda, key: str, now: datetime | None = None) -> float:
    """Time spent on a step so far, including the running clock of the current step."""
    total = agenda.spent.get(key, 0.0)
    if key == agenda.step.key:
        entered = _parse(agenda.entered_at)
        if entered is not None:
            total += max(0.0, (_now(now) - entered).total_seconds())
    return total


def go_to(agenda: Agenda, index: int, now: datetime | None = None) -> Agenda:
    """Move to step `index`; the clock of the step we leave stops and keeps its time."""
    index = max(0, min(len(STEPS) - 1, int(index)))
    if index == agenda.current and agenda.entered_at is not None:
        return agenda
    moment = _now(now)
    if agenda.entered_at is not None:
        agenda.spent[agenda.step.key] = elapsed_seconds(agenda, agenda.step.key, moment)
    agenda.current = index
    agenda.entered_at = moment.isoformat()
    return agenda


def shown_steps(skipped=frozenset(), current: int | None = None) -> list[int]:
    """Indexes into STEPS of the steps a session has: all but `skipped` keys (the current one always)."""
    return [i for i, s in enumerate(STEPS) if s.key not in skipped or i == current]


def neighbour(agenda: Agenda, direction: int, skipped=frozenset()) -> int:
    """The index of the next (+1) or previous (-1) step the session has; the current one at either end."""
    shown = shown_steps(skipped, agenda.current)
    position = shown.index(agenda.current) + direction
    return shown[position] if 0 <= position < len(shown) else agenda.current


def next_step(agenda: Agenda, now: datetime | None = None, skipped=frozenset()) -> Agenda:
    return go_to(agenda, neighbour(agenda, 1, skipped), now)


def previous_step(agenda: Agenda, now: datetime | None = None, skipped=frozenset()) -> Agenda:
    return go_to(agenda, neighbour(agenda, -1, skipped), now)


def planned_minutes(agenda: Agenda, skipped=frozenset()) -> int:
    """The minutes of the steps the session has."""
    return sum(agenda.minutes_for(STEPS[i].key) for i in shown_steps(skipped))


def set_minutes(agenda: Agenda, key: str, minutes) -> Agenda:
    if key not in STEP_KEYS:
        raise KeyError(key)
    agenda.minutes[key] = _clamp_minutes(minutes)
    return agenda


def restart_clock(agenda: Agenda, now: datetime | None = None) -> Agenda:
    """Zero the current step's clock (e.g. after a break)."""
    agenda.spent[agenda.step.key] = 0.0
    agenda.entered_at = _now(now).isoformat()
    return agenda


def clock_text(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def is_over(agenda: Agenda, key: str, now: datetime | None = None) -> bool:
    return elapsed_seconds(agenda, key, now) > agenda.minutes_for(key) * 60


# -- persistence -------------------------------------------------------------


def load(store, session_id: str) -> Agenda:
    return Agenda.from_dict(store.get_state(session_id, AGENDA_STATE_KEY))


def save(store, session_id: str, agenda: Agenda) -> None:
    store.set_state(session_id, AGENDA_STATE_KEY, agenda.to_dict())


# -- the optional readiness prompt --------------------------------------------

READINESS_KEY = "readiness"
READINESS_STAGES = (
    "Not yet aware of a problem",
    "Weighing whether it is worth solving",
    "Comparing ways to solve it",
    "Deciding whether now is the time",
    "Choosing a vendor",
)
READINESS_SHORT = ("Not aware", "Worth solving?", "Comparing ways", "Now the time?", "Choosing vendor")

# Words that point at one stage when someone types their own phrasing instead
# of a number. Generic buying-stage vocabulary, not any company's words.
_STAGE_WORDS = (
    {"aware", "unaware", "unknown", "oblivious", "latent", "notice", "noticed"},
    {"worth", "weighing", "weigh", "whether", "priority", "prioritise", "prioritize", "solving"},
    {"comparing", "compare", "ways", "options", "alternatives", "approaches", "researching"},
    {"now", "time", "timing", "deciding", "urgency", "budget", "when"},
    {"choosing", "vendor", "vendors", "supplier", "suppliers", "shortlist", "selecting", "rfp", "tender"},
)


def readiness_prompt() -> Prompt:
    example = "\n".join(f"{i}. {s}" for i, s in enumerate(READINESS_STAGES, 1))
    return Prompt(
        READINESS_KEY,
        # The answer page offers the five stages to choose from; an imported
        # CSV may give the stage's number or its words (see readiness_stage).
        "When the buyer first talks to us, at which stage are they usually?",
        example,
    )


def readiness_enabled(session: Session) -> bool:
    return any(p.key == READINESS_KEY for p in session.prompts)


def set_readiness(store, session: Session, enabled: bool) -> Session:
    """Add or remove the readiness prompt; answers already given stay stored."""
    prompts = [p for p in session.prompts if p.key != READINESS_KEY]
    if enabled:
        prompts.append(readiness_prompt())
    store.set_state(session.id, READINESS_STATE_KEY, bool(enabled))
    if prompts == session.prompts:
        return session
    return store.update_session(session.id, prompts=prompts)


def readiness_stage(text: str) -> int | None:
    """The stage (0..4) an answer names, or None when it names none or several."""
    text = (text or "").strip().lower()
    if not text:
        return None
    number = re.match(r"^\D{0,12}?([1-5])(?!\d)", text)
    if number:
        return int(number.group(1)) - 1
    for index, stage in enumerate(READINESS_STAGES):
        if stage.lower() in text:
            return index
    words = set(re.findall(r"[a-z]+", text))
    scores = [len(words & vocabulary) for vocabulary in _STAGE_WORDS]
    best = max(scores)
    if best == 0 or scores.count(best) > 1:
        return None
    return scores.index(best)


def readiness_tally(answers: list[Answer], functions: list[str]) -> list[dict]:
    """Rows for the per-function readiness chart: function, stage, people, share.

    Share is within each function, so a room of eight sales people and three
    marketers compares like for like. Answers naming no stage are counted as
    "unclear" rows so nobody silently disappears.
    """
    counts: dict[str, list[int]] = {f: [0] * (len(READINESS_STAGES) + 1) for f in functions}
    for answer in answers:
        if answer.dimension != READINESS_KEY:
            continue
        stage = readiness_stage(answer.text)
        slot = len(READINESS_STAGES) if stage is None else stage
        counts.setdefault(answer.function, [0] * (len(READINESS_STAGES) + 1))[slot] += 1
    rows = []
    for function, per_stage in counts.items():
        total = sum(per_stage)
        for index, people in enumerate(per_stage):
            stage = READINESS_STAGES[index] if index < len(READINESS_STAGES) else "Unclear"
            if stage == "Unclear" and people == 0:
                continue
            rows.append({
                "function": function,
                "stage": stage,
                "order": index,
                "people": people,
                "share": round(people / total, 3) if total else 0.0,
            })
    return rows


# How far apart the two sides' typical stages must be (in stages) before the
# room is told they meet different buyers. One whole stage: neighbouring
# stages blur in people's minds; two people a stage apart on average are not.
READINESS_APART_STAGES = 1.0
SAME_STAGE = "same"
APART = "apart"
NOT_ENOUGH = "insufficient"
READINESS_VERDICT_WORDS = {SAME_STAGE: "Same stage", APART: "Different stages", NOT_ENOUGH: "Not enough answers"}


@dataclass
class ReadinessSide:
    function: str
    people: list[int]  # people per stage, in READINESS_STAGES order
    unclear: int = 0  # answers naming no stage

    @property
    def answered(self) -> int:
        return sum(self.people)

    @property
    def mean(self) -> float | None:
        """The average stage, 0-based (stages are ordered, so an average means something)."""
        return sum(i * n for i, n in enumerate(self.people)) / self.answered if self.answered else None

    @property
    def mostly(self) -> int | None:
        """The stage most of this function chose (the earlier one on a tie)."""
        return max(range(len(self.people)), key=lambda i: (self.people[i], -i)) if self.answered else None

    def description(self) -> str:
        """'sales mostly at “Choosing a vendor” (2 of 2)'."""
        if self.mostly is None:
            return f"no {self.function} answers naming a stage"
        return (f"{self.function} mostly at “{READINESS_STAGES[self.mostly]}” "
                f"({self.people[self.mostly]} of {self.answered})")


@dataclass
class ReadinessComparison:
    """Sales against marketing on the readiness prompt: where each puts the buyer."""

    sides: list[ReadinessSide]
    verdict: str  # SAME_STAGE | APART | NOT_ENOUGH
    stages_apart: float  # sales' average stage minus marketing's (positive: sales see a later buyer)
    detail: str  # what each side chose, in words, for the reveal and the summary

    @property
    def verdict_words(self) -> str:
        return READINESS_VERDICT_WORDS[self.verdict]

    @property
    def sentence(self) -> str:
        return f"{self.verdict_words}: {self.detail}"

    def side(self, function: str) -> ReadinessSide | None:
        return next((s for s in self.sides if s.function == function), None)


def readiness_comparison(answers: list[Answer], functions: list[str]) -> ReadinessComparison | None:
    """Compare where each function puts the buyer's readiness: its own comparison, not the text analysis.

    The stages are a choice, not free text: two people choosing "Choosing a
    vendor" and two choosing "Weighing whether it is worth solving" describe
    different buyers, however alike the words of the stages are. None when
    nobody answered the prompt.
    """
    if not any(a.dimension == READINESS_KEY for a in answers):
        return None
    ordered = list(dict.fromkeys(list(functions) + [a.function for a in answers if a.dimension == READINESS_KEY]))
    sides = {f: ReadinessSide(f, [0] * len(READINESS_STAGES)) for f in ordered}
    for answer in answers:
        if answer.dimension != READINESS_KEY:
            continue
        stage = readiness_stage(answer.text)
        if stage is None:
            sides[answer.function].unclear += 1
        else:
            sides[answer.function].people[stage] += 1
    sales, marketing = sides.get(SALES), sides.get(MARKETING)
    if sales is None or marketing is None or sales.mean is None or marketing.mean is None:
        missing = " and ".join(f for f in (SALES, MARKETING) if sides.get(f) is None or sides[f].mean is None)
        return ReadinessComparison(list(sides.values()), NOT_ENOUGH, 0.0,
                                   f"no {missing} answers name a stage, so there is nothing to compare.")
    apart = sales.mean - marketing.mean
    if abs(apart) >= READINESS_APART_STAGES:
        later, earlier = ("Sales", "marketing") if apart > 0 else ("Marketing", "sales")
        stages = round(abs(apart))
        sentence = (f"{sales.description()}, {marketing.description()}. "
                    f"{later} put the buyer {stages} stage{'s' if stages != 1 else ''} further along than {earlier} do.")
        verdict = APART
    else:
        sentence = f"{sales.description()}, {marketing.description()}."
        verdict = SAME_STAGE
    return ReadinessComparison(list(sides.values()), verdict, round(apart, 2), sentence)
