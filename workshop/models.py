"""The domain things of a reset session, one dataclass each.

Nothing here touches storage or Streamlit: the store builds these from rows,
the pages and the analysis read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from embeddings.report import MARKETING, SALES

# The functions a session invites by default. Sales vs marketing is always the
# headline comparison; other functions (e.g. customer success) may be added.
DEFAULT_FUNCTIONS = (SALES, MARKETING)

# A participant's answer to one prompt may be long, but not a novel: the
# limit is shown next to the text area before it is reached.
MAX_ANSWER_CHARS = 5000
MAX_NAME_CHARS = 60
MAX_BRIEF_CHARS = 20000


@dataclass(frozen=True)
class Prompt:
    """One question every participant answers privately.

    example is the hint shown under the question: how to answer, never what.
    A sample answer would prime the room with the very points the meeting is
    trying to hear from one side only. The facilitator edits or removes it
    per prompt when creating the session.
    """

    key: str
    text: str
    example: str = ""


# The same shape of hint for every prompt: concrete, one point per line, in
# words that name no buyer, industry or objection.
DEFAULT_PROMPTS = (
    Prompt(
        "trigger",
        "What triggers the buying process? What has just happened at the buyer's "
        "company when they start looking?",
        "One event per line, as concretely as you have seen it: what happened, and to whom.",
    ),
    Prompt(
        "compare",
        "What does the buyer compare us with, and on what?",
        "One alternative per line, and what the buyer compares on.",
    ),
    Prompt(
        "fears",
        "What does the buyer fear — the risk they may not say out loud?",
        "One fear per line, in the words the buyer would use.",
    ),
    Prompt(
        "objections",
        "Which objections come up most often?",
        "One objection per line, as the buyer puts it.",
    ),
    Prompt(
        "evidence",
        "What evidence or proof changes the buyer's mind?",
        "One kind of proof per line, and what it changed.",
    ),
)
MAX_HINT_CHARS = 300

DIMENSIONS = tuple(p.key for p in DEFAULT_PROMPTS)


@dataclass
class Session:
    """A reset session: who takes part, what they are asked, where it stands."""

    id: str
    title: str
    company: str
    join_code: str
    facilitator_key: str
    brief: str = ""
    facilitator: str = ""
    functions: list[str] = field(default_factory=lambda: list(DEFAULT_FUNCTIONS))
    prompts: list[Prompt] = field(default_factory=lambda: list(DEFAULT_PROMPTS))
    collection_open: bool = True
    revealed: bool = False
    show_names: bool = False
    created_at: str = ""

    def prompt(self, key: str) -> Prompt | None:
        return next((p for p in self.prompts if p.key == key), None)

    @property
    def dimension_keys(self) -> list[str]:
        return [p.key for p in self.prompts]


@dataclass
class Participant:
    """Someone answering the prompts; the token is their personal link."""

    id: int
    session_id: str
    name: str
    function: str
    token: str
    joined_at: str = ""
    submitted_at: str | None = None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


@dataclass
class Answer:
    """One participant's text for one prompt.

    `participant` is the display name, so the analysis and exports can use an
    Answer without looking anything else up.
    """

    participant: str
    function: str
    dimension: str
    text: str
    participant_id: int | None = None
    updated_at: str = ""
    version: int = 0  # changes with every save of a different text; 0 for imported ones


@dataclass
class Decision:
    """What the room decided about one theme of one prompt."""

    session_id: str
    dimension: str
    theme: str  # the theme's label as shown in the deep dive
    choice: str  # one of DECISION_CHOICES
    note: str = ""
    side: str = ""  # sales | marketing | shared, as the analysis reported it
    updated_at: str = ""


DECISION_CHOICES = ("adopt", "retire", "investigate")


@dataclass
class Action:
    """A follow-up with an owner and a date."""

    id: int
    session_id: str
    what: str
    owner: str = ""
    due: str = ""  # ISO date, may be empty
    done: bool = False
    created_at: str = ""


@dataclass
class Progress:
    """What the lobby may show: counts and names, never answer content."""

    joined: dict[str, int]  # function -> participants joined
    submitted: dict[str, int]  # function -> participants who pressed submit
    answered: dict[str, int]  # prompt key -> participants with a non-empty answer
    names: dict[str, list[str]]  # function -> display names
    total_joined: int = 0
