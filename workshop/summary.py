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

from embeddings.report import ALIGNED, CLEAR, DIVERGENT, HIGH, INSUFFICIENT, LEANING, POSSIBLE, THIN, Report
from embeddings.statements import list_item
from workshop import agenda, crossread, reset_brief, votes
from workshop.analysis import session_report
from workshop.charts import prompt_title
from workshop.models import Session

HOW_TO_READ = (
    "Sales and marketing each described the primary buyer in writing, separately, before "
    "talking. This summary shows where those descriptions agree and where they drift apart. "
    "Divergence is normal: sales hears the new buyer first, and marketing writes for the "
    "buyer it last wrote down. The point is not to blame anyone; it is to agree who the "
    "buyer is now and who does what next. Alignment runs from 0 (two different buyers) to "
    "1 (the same buyer), as on the reveal chart. Beside each verdict is how sure it is: clear "
    "(enough people and a clear margin), leaning (it points one way, not strongly: read the "
    "statements) or thin (too few people answered to say: read their statements). Quotes are "
    "taken word for word from the answers."
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

# How sure a verdict is: the word beside it on the reveal, in the deep dive and
# in every export, and what it means when the analysis gave no sentence of its own.
STRENGTH_WORDS = {CLEAR: "Clear", LEANING: "Leaning", THIN: "Thin"}
STRENGTH_MEANING = {
    CLEAR: "enough people answered and the margin is clear",
    LEANING: "the answers point this way, not strongly; read the statements",
    THIN: "too few people answered to say; read their statements",
}
POSSIBLE_THEMES_NOTE = (
    "One side named each of these and nothing close came from the other side, but the prompt as "
    "a whole was not called divergent. Worth a check in the room, not yet a finding."
)
ROOM_THEMES_NOTE = (
    "Those marked “new to the other side's readers” come from the room's cross-reading: most of the "
    "other side's readers did not recognise them."
)


# The summary's words, for every renderer (export.py, export_pdf.py and
# templates/summary.html only lay them out): each section's title, keyed by
# the id the HTML gives the section, and the labels, column headings and
# sentences around the data.
SECTION_TITLES = {
    "how-to-read": "How to read this",
    "participants": "Who took part",
    "prompts": "Where sales and marketing agree",
    "recognition": "What each side recognised in the other's answers",
    "readiness": "When the buyer first talks to us",
    "themes": "Themes only one side named",
    "possible-themes": "Possible one-sided themes",
    "brief-flags": "The brief of record",
    "commercial": "Commercial reality",
    "votes": "Top-voted themes",
    "decisions": "Decisions",
    "reset-brief": "The reset brief",
    "scorecard": "Marketing scorecard",
    "actions": "Actions",
    "next-review": "Next review",
}
LABELS = {
    "company": "Company", "date": "Date", "facilitator": "Facilitator",
    "prompt": "Prompt", "verdict": "Verdict", "how_sure": "How sure", "alignment": "Alignment", "why": "Why",
    "stage": "Stage", "theme": "Theme", "decision": "Decision", "note": "Note",
    "metric": "Metric", "influence": "Can marketing influence it?", "influence_short": "Influence",
    "action": "Action", "owner": "Owner", "due": "Due", "done": "Done",
    "done_mark": "yes",  # in the Done column
    "done_note": "done",  # beside a done action where there is no Done column
    "named_only_by": "Named only by", "possibly_named_only_by": "Possibly named only by",
    "gap": "Gap", "not_in_brief": "not in the brief",
    "stale": "Stale", "only_marketing": "only marketing still says",
    "primary_buyer": "Primary buyer", "before": "Before", "now": "Now", "what_changed": "What changed",
    "old_brief": "The brief before this session",
    "chart": "Alignment per prompt",  # what a screen reader says for the reveal chart
    "room_candidate": "new to the other side's readers",  # a theme the room's cross-reading added
    "readers_disagree": "The readers and the analysis disagree",
    "votes": "Votes", "side": "Side",
}
RECOGNITION_NOTE = (
    "Before the reveal each side read the other side's statements, without names, and marked those their side "
    "would say too (\u201cwe'd say this too\u201d) or had not heard (\u201cnew to us\u201d). A statement counts "
    "as recognised when most of its readers said they would say it too; a side read by fewer than 2 people is "
    "not scored."
)
FOOTER = "Made with Brief Reset. The point is not to blame anyone."


def people_words(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def deals_sentence(count: int, has_shifts: bool) -> str:
    """The line above the shifts of the closed deals (or in their place)."""
    return f"From {count} closed deals:" if has_shifts else f"{count} closed deals were reviewed."


def strength_words(strength: str) -> str:
    return STRENGTH_WORDS.get(strength, (strength or "").capitalize())


def vote_line(theme, count: int) -> str:
    """One top-voted theme: '5 votes: Objections, “Price per seat” (both sides)'."""
    from workshop.votes import votes_words

    side = theme.side_words[:1].lower() + theme.side_words[1:]
    return f"{votes_words(count)}: {theme.title}, “{quote_text(theme.label)}” ({side})"


OVERRIDE_LABEL = "set by the facilitator"


def override_note(dimension) -> str:
    """The sentence for a verdict the facilitator changed before the reveal, with their reason."""
    override = getattr(dimension, "override", None)
    if not override:
        return ""
    return (f"Set to {dimension.verdict} by the facilitator (the analysis said {override.get('from', '')}): "
            f"{override.get('reason', '')}")


def strength_note(dimension) -> str:
    """The one sentence on how sure a prompt's verdict is: the analysis's own, else the meaning of its word."""
    if getattr(dimension, "override", None):
        return override_note(dimension)
    if dimension.strength_note:
        return dimension.strength_note.strip()
    if dimension.strength in STRENGTH_MEANING:
        return f"{strength_words(dimension.strength)}: {STRENGTH_MEANING[dimension.strength]}."
    return ""


_QUOTE_PAIRS = {'"': '"', "“": "”", "„": "“", "'": "'", "‘": "’", "«": "»", "»": "«", "”": "”"}


def quote_text(text: str) -> str:
    """A statement as it goes between quotation marks: one line, its own wrapping quotes removed.

    People often quote the buyer ("NetSuite can do this"); shown in quotes
    again it would read “"NetSuite can do this"”.
    """
    text = " ".join(str(text or "").split())
    while len(text) >= 2 and _QUOTE_PAIRS.get(text[0]) == text[-1]:
        inner = text[1:-1].strip()
        if not inner or _quotes_inside(inner, text[0], text[-1]):
            break  # '"a" and "b"' is two quotes, not one quoted text
        text = inner
    return text


def _quotes_inside(inner: str, opening: str, closing: str) -> bool:
    if opening in "'‘" and closing in "'’":
        # An apostrophe inside a word (can't, Ledgerline's) is not a quotation mark.
        return re.search(r"(^|\s)['‘]|['’](\s|$)", inner) is not None
    return opening in inner or closing in inner


@dataclass
class TextBlock:
    """A piece of a typed text, for the renderers to lay out."""

    kind: str  # "paragraph" | "label" (a line like "Open questions:") | "items"
    lines: list[str]


_LABEL = re.compile(r"^[^:]{2,60}:$")


def text_blocks(text: str) -> list[TextBlock]:
    """A typed text (a reset brief section, notes) as paragraphs, labels and lists.

    Lines in a group (between blank lines or labels) are a list when there are
    several or they carry bullets; a short line ending in a colon, like the
    "Open questions:" the reset brief writes, is a label above the list, not
    one of its points.
    """
    blocks: list[TextBlock] = []
    group: list[str] = []
    bulleted = False

    def close():
        nonlocal group, bulleted
        if group:
            if len(group) == 1 and not bulleted:
                blocks.append(TextBlock("paragraph", group))
            else:
                blocks.append(TextBlock("items", group))
        group, bulleted = [], False

    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            close()
            continue
        is_item, item = list_item(line)
        if not is_item and _LABEL.match(line) and len(line.split()) <= 6:
            close()
            blocks.append(TextBlock("label", [line]))
            continue
        bulleted = bulleted or is_item
        group.append(item)
    close()
    return blocks


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
    strength: str = ""  # clear | leaning | thin
    strength_words: str = ""  # "Clear", "Leaning", "Thin"
    strength_note: str = ""  # one sentence on how sure the verdict is
    people: dict[str, int] = field(default_factory=dict)  # function -> people who answered

    @property
    def score(self) -> str:
        """Two decimals, as the reveal chart in the room showed it."""
        return f"{self.alignment:.2f}"


@dataclass
class ReadinessStage:
    stage: str
    people: dict[str, int]  # function -> people who chose this stage


@dataclass
class ReadinessResult:
    """The optional readiness prompt: where each function puts the buyer, compared as stages."""

    verdict: str  # agenda.SAME_STAGE | agenda.APART | agenda.NOT_ENOUGH
    verdict_words: str
    sentence: str
    functions: list[str]
    stages: list[ReadinessStage]  # every stage, in order, then "Unclear" when someone named none


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
    confidence: str = HIGH  # HIGH, or POSSIBLE: one side names it on a prompt not called divergent
    room: bool = False  # a candidate the room's cross-reading added: most of the other side found it new


@dataclass
class RecognitionLine:
    """One prompt's cross-reading: each side's sentence, and where the readers part from the verdict."""

    prompt: str
    sentences: list[str]  # "sales recognised 3 of marketing's 11 statements on objections"
    disagreement: str = ""


@dataclass
class VoteLine:
    prompt: str
    theme: str
    side_words: str  # "Only sales", "Both sides"
    votes: int
    sentence: str  # '5 votes: Objections, “Price per seat” (both sides)'


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
    readiness: ReadinessResult | None = None
    recognition: list[RecognitionLine] = field(default_factory=list)  # empty when the session did not cross-read
    recognition_note: str = RECOGNITION_NOTE
    top_votes: list[VoteLine] = field(default_factory=list)
    votes_note: str = ""  # how many voted, with how many votes each
    themes: list[OneSidedTheme] = field(default_factory=list)  # high confidence
    possible_themes: list[OneSidedTheme] = field(default_factory=list)
    possible_note: str = POSSIBLE_THEMES_NOTE
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

    @property
    def scorecard_sentence(self) -> str:
        """What the scorecard adds up to, Partly and undecided counted as such."""
        count = {k: sum(line.influence == k for line in self.scorecard) for k in INFLUENCE_WORDS}
        undecided = len(self.scorecard) - sum(count.values())
        total = len(self.scorecard)
        parts = [f"can materially influence {count['yes'] or 'none'}"]
        if count["partly"]:
            parts.append(f"partly influence {count['partly']}")
        if count["no"]:
            parts.append(f"cannot move {count['no']}")
        said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        sentence = (f"Of the {total} metric{'s' if total != 1 else ''} marketing is judged on, under the "
                    f"reset brief it {said}")
        if undecided:
            sentence += f"; {undecided} {'is' if undecided == 1 else 'are'} not decided yet"
        return sentence + "."


def gather(store, session: Session) -> Summary:
    """Everything the summary shows for `session`, read from `store`."""
    titles = {p.key: prompt_title(p.key) for p in session.prompts}
    state = store.all_state(session.id)
    # The one reader of the stored analysis: it knows the stored format.
    report = session_report(store, session)
    decisions = store.decisions(session.id)
    brief_sections = _reset_brief(store, session, report, titles, state, decisions)
    deals_count, deal_shifts = _deals(state.get("deals"))
    themes = _themes(report, session, titles)
    top_votes, votes_note = _votes(store, session, report)
    return Summary(
        title=session.title,
        company=session.company,
        date=format_date(session.created_at),
        facilitator=session.facilitator,
        participation=_participation(store, session),
        show_names=session.show_names,
        prompts=_prompts(report, session, titles),
        readiness=_readiness(store, session),
        recognition=_recognition(store, session, report, titles),
        top_votes=top_votes,
        votes_note=votes_note,
        themes=[t for t in themes if t.confidence != POSSIBLE],
        possible_themes=[t for t in themes if t.confidence == POSSIBLE],
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
        if d.key == agenda.READINESS_KEY:
            continue  # a choice of stages, compared as such (_readiness), not as text
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
                strength=d.strength,
                strength_words=strength_words(d.strength),
                strength_note=strength_note(d),
                people=dict(d.people),
            )
        )
    return rows


def _readiness(store, session: Session) -> ReadinessResult | None:
    if not agenda.readiness_enabled(session):
        return None
    comparison = agenda.readiness_comparison(store.answers(session.id), session.functions)
    if comparison is None:
        return None
    functions = [side.function for side in comparison.sides]
    stages = [
        ReadinessStage(stage, {side.function: side.people[index] for side in comparison.sides})
        for index, stage in enumerate(agenda.READINESS_STAGES)
    ]
    if any(side.unclear for side in comparison.sides):
        stages.append(ReadinessStage("Unclear", {side.function: side.unclear for side in comparison.sides}))
    detail = comparison.detail[:1].upper() + comparison.detail[1:]
    return ReadinessResult(comparison.verdict, comparison.verdict_words, detail, functions, stages)


def _themes(report, session, titles) -> list[OneSidedTheme]:
    if report is None:
        return []
    rows = []
    for d in _ordered(report, session):
        if d.key == agenda.READINESS_KEY:
            continue
        for theme in d.themes:
            if theme.side == "shared":
                continue
            rows.append(
                OneSidedTheme(
                    prompt=titles.get(d.key, prompt_title(d.key)),
                    side=theme.side,
                    label=theme.label,
                    people=len(set(theme.participants)),
                    quotes=_quotes(theme, session.show_names),
                    confidence=theme.confidence,
                    room=crossread.from_room(theme),
                )
            )
    return rows


def _recognition(store, session, report, titles) -> list[RecognitionLine]:
    """Per prompt, what each side recognised of the other's statements, as the reveal said it."""
    readings = crossread.reading(store, session)
    rows = []
    for prompt in session.prompts:
        reading = readings.get(prompt.key)
        if reading is None or not reading.read:
            continue
        title = titles.get(prompt.key, prompt_title(prompt.key))
        dimension = report.dimension(prompt.key) if report is not None else None
        rows.append(RecognitionLine(
            title, [_capital(side.sentence(title)) for side in reading.sides],
            crossread.disagreement(reading, dimension.verdict) if dimension is not None else ""))
    return rows


def _votes(store, session, report) -> tuple[list[VoteLine], str]:
    """The top-voted themes with their votes, and who voted, once voting has opened."""
    if not votes.voting(store, session.id).opened:
        return [], ""
    tally = votes.tally(store, session.id)
    ranked = votes.top(votes.themes_to_vote(report, session), tally)
    lines = [VoteLine(t.title, t.label, t.side_words, n, vote_line(t, n)) for t, n in ranked]
    each = votes.votes_per_person()
    note = (f"{people_words(tally.voters)} voted for the themes that matter most for the new brief, "
            f"up to {each} vote{'s' if each != 1 else ''} each, one per theme.")
    return lines, note


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def ordered_statements(theme) -> list:
    """A theme's statements, its most central one (the quote) first, each text once."""
    central = quote_text(theme.quote).lower() if theme.quote else ""
    statements = sorted(theme.statements, key=lambda s: quote_text(s.text).lower() != central)
    out, seen = [], set()
    for statement in statements:
        text = quote_text(statement.text)
        if text and text.lower() not in seen:
            seen.add(text.lower())
            out.append(statement)
    return out


def _quotes(theme, show_names: bool) -> list[Quote]:
    return [
        Quote(quote_text(s.text), f"{s.participant}, {s.function}" if show_names else "")
        for s in ordered_statements(theme)[:MAX_QUOTES]
    ]


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
                rows = deals.mix_by_period(parsed.deals, name)
                for sentence in deals.shift_summary(rows, deals.basis(parsed.deals)):
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
