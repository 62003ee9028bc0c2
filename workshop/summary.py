"""The session summary people forward, gathered once from the store.

Every export format (Markdown, HTML, PDF) renders the same `Summary`, so they
cannot disagree. Nothing here depends on the clock or on ids that change when
a backup is restored elsewhere: a restored session yields the same summary.
Sections whose data is missing are left empty here and skipped by the
renderers, never shown blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from embeddings.report import DIVERGENT, ALIGNED, INSUFFICIENT, Report
from workshop.analysis import session_report
from workshop import reset_brief
from workshop.charts import prompt_title
from workshop.models import Session

HOW_TO_READ = (
    "Sales and marketing each described the primary buyer in writing, separately, before "
    "talking. This summary shows where those descriptions agree and where they drift apart. "
    "Divergence is normal: sales hears the new buyer first, and marketing writes for the "
    "buyer it last wrote down. The point is not to blame anyone; it is to agree who the "
    "buyer is now and who does what next. Alignment runs from 0 (two different buyers) to "
    "1 (the same buyer), as on the reveal chart. Quotes are taken word for word from the answers."
)

VERDICT_WORDS = {
    DIVERGENT: "Divergent",
    ALIGNED: "Aligned",
    INSUFFICIENT: "Not enough answers",
}
CHOICE_WORDS = {
    "adopt": "Adopt into the brief",
    "retire": "Retire from the brief",
    "investigate": "Investigate",
}
INFLUENCE_WORDS = {"yes": "Yes", "partly": "Partly", "no": "No"}
MAX_QUOTES = 3


@dataclass
class Participation:
    function: str
    count: int
    names: list[str] = field(default_factory=list)  # empty unless the facilitator opted in


@dataclass
class PromptResult:
    key: str
    title: str
    question: str
    verdict: str  # DIVERGENT | ALIGNED | INSUFFICIENT
    verdict_words: str
    alignment: float  # 0..1
    why: str = ""

    @property
    def score(self) -> str:
        """Two decimals, as the reveal chart in the room showed it."""
        return f"{self.alignment:.2f}"


@dataclass
class Quote:
    text: str
    who: str = ""  # "Name, sales" when names are shown, else ""


@dataclass
class OneSidedTheme:
    prompt: str  # prompt title
    side: str
    label: str
    people: int
    quotes: list[Quote]


@dataclass
class BriefFlags:
    prompt: str
    gaps: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)


@dataclass
class DecisionLine:
    prompt: str
    theme: str
    choice: str
    choice_words: str
    side: str = ""
    note: str = ""


@dataclass
class BriefSection:
    prompt: str
    text: str  # the reset brief for this prompt
    old: str = ""  # the old brief's wording for this prompt, when it could be found
    changes: list[str] = field(default_factory=list)


@dataclass
class ScorecardLine:
    metric: str
    influence: str
    influence_words: str
    note: str = ""


@dataclass
class ActionLine:
    what: str
    owner: str = ""
    due: str = ""  # formatted date or ""
    done: bool = False


@dataclass
class Summary:
    title: str
    company: str = ""
    date: str = ""
    facilitator: str = ""
    how_to_read: str = HOW_TO_READ
    participation: list[Participation] = field(default_factory=list)
    show_names: bool = False
    prompts: list[PromptResult] = field(default_factory=list)
    themes: list[OneSidedTheme] = field(default_factory=list)
    brief_flags: list[BriefFlags] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)  # what the facilitator changed in the analysis
    commercial_notes: str = ""
    deals_count: int = 0  # closed deals uploaded in the commercial reality step
    deal_shifts: list[str] = field(default_factory=list)  # the biggest moves in the mix
    decisions: list[DecisionLine] = field(default_factory=list)
    primary_buyer: str = ""
    old_brief: str = ""
    reset_brief: list[BriefSection] = field(default_factory=list)
    scorecard: list[ScorecardLine] = field(default_factory=list)
    actions: list[ActionLine] = field(default_factory=list)
    next_review: str = ""

    @property
    def participant_total(self) -> int:
        return sum(p.count for p in self.participation)

    @property
    def has_commercial_reality(self) -> bool:
        return bool(self.commercial_notes or self.deals_count)

    @property
    def has_reset_brief(self) -> bool:
        return bool(self.reset_brief or self.primary_buyer)

    @property
    def scorecard_influenced(self) -> int:
        return sum(line.influence == "yes" for line in self.scorecard)


def gather(store, session: Session) -> Summary:
    """Everything the summary shows for `session`, read from `store`."""
    titles = {p.key: prompt_title(p.key) for p in session.prompts}
    state = store.all_state(session.id)
    # The one reader of the stored analysis: it knows the stored format.
    report = session_report(store, session)
    decisions = store.decisions(session.id)
    brief_sections = _reset_brief(store, session, report, titles, state, decisions)
    deals_count, deal_shifts = _deals(state.get("deals"))
    return Summary(
        title=session.title,
        company=session.company,
        date=format_date(session.created_at),
        facilitator=session.facilitator,
        participation=_participation(store, session),
        show_names=session.show_names,
        prompts=_prompts(report, session, titles),
        themes=_themes(report, session, titles),
        brief_flags=_brief_flags(report, session, titles),
        corrections=_corrections(store, session, titles),
        commercial_notes=_text(state.get("reality_notes")) or _text(state.get("commercial_notes")),
        deals_count=deals_count,
        deal_shifts=deal_shifts,
        decisions=_decisions(decisions, session, titles),
        primary_buyer=_primary_buyer(store, session, state, bool(brief_sections)),
        # The whole old brief only where no prompt's part of it could be found.
        old_brief="" if any(b.old for b in brief_sections) else session.brief.strip(),
        reset_brief=brief_sections,
        scorecard=_scorecard(state.get("scorecard")),
        actions=[
            ActionLine(a.what, a.owner, format_date(a.due), bool(a.done))
            for a in store.actions(session.id)
        ],
        next_review=format_date(_text(state.get("next_review"))),
    )


def format_date(value: str) -> str:
    """'2026-11-23' or an ISO timestamp -> '23 November 2026'; other text unchanged."""
    value = (value or "").strip()
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return value
    try:
        day = date(*(int(g) for g in match.groups()))
    except ValueError:
        return value
    return f"{day.day} {day:%B %Y}"


# -- sections -----------------------------------------------------------------


def _participation(store, session: Session) -> list[Participation]:
    """Who took part: people who answered at least one prompt or pressed submit."""
    answered = {a.participant_id for a in store.answers(session.id)}
    people = [p for p in store.participants(session.id) if p.id in answered or p.submitted]
    functions = list(session.functions) + sorted(
        {p.function for p in people} - set(session.functions)
    )
    rows = []
    for function in functions:
        names = [p.name for p in people if p.function == function]
        if names:
            rows.append(Participation(function, len(names), names if session.show_names else []))
    return rows


def _ordered(report: Report, session: Session):
    """The report's dimensions in the session's prompt order (unknown keys last)."""
    order = {key: i for i, key in enumerate(session.dimension_keys)}
    return sorted(report.dimensions, key=lambda d: order.get(d.key, len(order)))


def _prompts(report, session, titles) -> list[PromptResult]:
    if report is None:
        return []
    rows = []
    for d in _ordered(report, session):
        prompt = session.prompt(d.key)
        rows.append(
            PromptResult(
                key=d.key,
                title=titles.get(d.key, prompt_title(d.key)),
                question=prompt.text if prompt else "",
                verdict=d.verdict,
                verdict_words=VERDICT_WORDS.get(d.verdict, d.verdict.capitalize()),
                alignment=max(0.0, min(1.0, d.alignment)),
                why=d.why,
            )
        )
    return rows


def _themes(report, session, titles) -> list[OneSidedTheme]:
    if report is None:
        return []
    rows = []
    for d in _ordered(report, session):
        for theme in d.themes:
            if theme.side == "shared":
                continue
            quotes: list[Quote] = []
            seen: set[str] = set()
            for s in theme.statements:
                text = " ".join(s.text.split())
                if not text or text.lower() in seen:
                    continue
                seen.add(text.lower())
                who = f"{s.participant}, {s.function}" if session.show_names else ""
                quotes.append(Quote(text, who))
                if len(quotes) == MAX_QUOTES:
                    break
            rows.append(
                OneSidedTheme(
                    prompt=titles.get(d.key, prompt_title(d.key)),
                    side=theme.side,
                    label=theme.label,
                    people=len(set(theme.participants)),
                    quotes=quotes,
                )
            )
    return rows


def _corrections(store, session, titles) -> list[str]:
    """One line per change the facilitator made to the analysis before the reveal."""
    from workshop import corrections

    outcome = corrections.corrected(store, session, session_report(store, session, corrected=False))
    return [corrections.describe(c, titles) for c in outcome.applied]


def _brief_flags(report, session, titles) -> list[BriefFlags]:
    if report is None:
        return []
    rows = []
    for d in _ordered(report, session):
        if d.brief_gaps or d.stale_points:
            rows.append(
                BriefFlags(titles.get(d.key, prompt_title(d.key)), list(d.brief_gaps), list(d.stale_points))
            )
    return rows


def _decisions(decisions, session, titles) -> list[DecisionLine]:
    order = {key: i for i, key in enumerate(session.dimension_keys)}
    ordered = sorted(decisions, key=lambda d: (order.get(d.dimension, len(order)), d.dimension, d.theme))
    return [
        DecisionLine(
            prompt=titles.get(d.dimension, prompt_title(d.dimension)),
            theme=d.theme,
            choice=d.choice,
            choice_words=CHOICE_WORDS.get(d.choice, d.choice),
            side=d.side,
            note=d.note,
        )
        for d in ordered
    ]


def _reset_brief(store, session, report, titles, state, decisions) -> list[BriefSection]:
    """The reset brief per prompt, beside the old wording, with what changed.

    Read through workshop.reset_brief so the summary shows exactly what the
    room saw: the edited text where the facilitator edited it, else the draft
    made from the decisions. A session that never got to the reset brief (no
    edits, no decisions) has no reset brief section.
    """
    edited = state.get(reset_brief.DRAFT_STATE_KEY)
    if not (isinstance(edited, dict) and any(_text(v) for v in edited.values())) and not decisions:
        return []
    current = reset_brief.current_brief(store, session, report)
    prompts = [p for p in session.prompts if p.key in current]
    drafts = reset_brief.draft(prompts, session.brief, decisions, reset_brief.in_brief_map(report), report)
    old = reset_brief.brief_sections(session.brief, prompts, report)
    rows = []
    for prompt in prompts:
        text = _text(current.get(prompt.key))
        change = drafts[prompt.key][1]
        changes = (
            [f"Added: {x}" for x in change.added]
            + [f"Retired: {x}" for x in change.retired]
            + [f"Open question: {x}" for x in change.open]
        )
        if text or changes:
            rows.append(BriefSection(titles.get(prompt.key, prompt_title(prompt.key)), text,
                                     _text(old.get(prompt.key)), changes))
    return rows


def _deals(data) -> tuple[int, list[str]]:
    """How many closed deals were uploaded, and the biggest shifts in their mix.

    The same sentences the commercial reality step showed; counted back from the
    file's latest close date, so they do not change with the day of export.
    """
    from workshop import deals

    try:
        parsed = deals.DealsFile.from_dict(data if isinstance(data, dict) else None)
        if parsed is None or not parsed.deals:
            return 0, []
        shifts = []
        for name in deals.MIX_FIELDS:
            if name in parsed.columns:
                for sentence in deals.shift_summary(deals.mix_by_quarter(parsed.deals, name)):
                    shifts.append(f"{deals.FIELD_TITLES.get(name, name).capitalize()}: {sentence}")
        return len(parsed.deals), shifts
    except (KeyError, TypeError, ValueError):
        # A stored file this version cannot read must not stop the summary.
        return 0, []


def _primary_buyer(store, session, state, has_reset_brief: bool) -> str:
    if has_reset_brief:
        return _text(reset_brief.buyer_statement(store, session))
    return _text(state.get(reset_brief.BUYER_STATE_KEY))


def _scorecard(data) -> list[ScorecardLine]:
    if not isinstance(data, list):
        return []
    rows = []
    for item in data:
        if not isinstance(item, dict):
            continue
        # workshop.scorecard stores the metric as "name".
        metric = _text(item.get("name")) or _text(item.get("metric"))
        if not metric:
            continue
        influence = _text(item.get("influence")).lower()
        rows.append(
            ScorecardLine(
                metric=metric,
                influence=influence,
                influence_words=INFLUENCE_WORDS.get(influence, influence.capitalize() or "Not decided"),
                note=_text(item.get("note")),
            )
        )
    return rows


# -- text helpers -------------------------------------------------------------


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""
