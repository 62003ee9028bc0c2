"""The reset brief: the old brief, changed by the room's decisions, prompt by prompt.

adopt       -> the theme goes into the brief (unless the brief already says it)
retire      -> the brief's lines that say it are struck
investigate -> listed as an open question, the brief stays as it is

The draft is a starting point the facilitator edits on screen; the edited text
is what gets stored (state "reset_brief") and exported. The old brief is a
free text; `brief_sections` finds the part of it that belongs to each prompt
the way the analysis reads it (embeddings/brief.py): headings, label lines,
bold labels, bullets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from embeddings.brief import read_brief
from embeddings.statements import list_item
from workshop.agenda import READINESS_KEY
from workshop.models import Decision, Prompt

DRAFT_STATE_KEY = "reset_brief"  # {prompt key: edited text}
BUYER_STATE_KEY = "primary_buyer"
REVIEW_STATE_KEY = "next_review"
OPEN_QUESTIONS_HEADING = "Open questions"

_STOP = {
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "we", "us", "our",
    "they", "them", "their", "is", "are", "be", "it", "its", "what", "which", "who", "when",
    "does", "do", "has", "have", "that", "this", "at", "by", "as", "from", "not", "than",
    "buyer", "buyers", "s", "may", "most", "often", "just", "out", "loud",
}


def words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if w not in _STOP and len(w) > 1}


def _stem(word: str) -> str:
    return word[:5]


def brief_sections(brief: str, prompts: list[Prompt], report=None) -> dict[str, str]:
    """The old brief's wording for each prompt, as bullets ("" where it says nothing for the prompt).

    Read by embeddings.brief.read_brief, the same reading the analysis uses;
    a stored `report` carries the reading the analysis made (which, for a
    brief without labels, matched sentences to prompts by meaning).
    """
    keys = [p.key for p in prompts]
    stored = {d.key: d.brief_section for d in report.dimensions} if report is not None else {}
    if stored and any(stored.values()):
        return {key: "\n".join(f"- {point}" for point in stored.get(key, [])) for key in keys}
    return read_brief(brief or "", prompts).sections(keys)


def brief_points(text: str) -> list[str]:
    """The separate points of a brief section: bullets, or the sentences of a paragraph.

    A line that wraps (no bullet, no blank line before it) continues the point above.
    """
    items: list[str] = []
    open_item = False
    for line in (text or "").splitlines():
        if not line.strip():
            open_item = False
            continue
        is_item, item = list_item(line)
        if is_item:
            items.append(item)
            open_item = True
        elif open_item and items:
            items[-1] = f"{items[-1]} {line.strip()}"
        else:
            items.append(line.strip())
            open_item = True
    points = []
    for item in items:
        if len(item) > 160:
            points.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", item) if s.strip())
        else:
            points.append(item)
    return points


def says(point: str, theme: str) -> bool:
    """Whether a brief point says roughly what a theme or stale point says."""
    if point.strip().lower() == theme.strip().lower():
        return True
    a, b = {_stem(w) for w in words(point)}, {_stem(w) for w in words(theme)}
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= 0.6


@dataclass
class Change:
    """What the decisions do to one prompt's part of the brief."""

    added: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    open: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # old points that stay

    @property
    def empty(self) -> bool:
        return not (self.added or self.retired or self.open)


def changes(old_text: str, decisions: list[Decision], in_brief: dict[str, bool | None] | None = None) -> Change:
    """Apply one prompt's decisions to its old wording.

    in_brief: theme label -> whether the analysis found it in the brief; an
    adopted theme the brief already covers adds nothing.
    """
    in_brief = in_brief or {}
    change = Change()
    old_points = brief_points(old_text)
    retired_themes = [d.theme for d in decisions if d.choice == "retire"]
    for point in old_points:
        if any(says(point, theme) for theme in retired_themes):
            change.retired.append(point)
        else:
            change.kept.append(point)
    for d in decisions:
        if d.choice == "retire" and not any(says(p, d.theme) for p in old_points):
            # The brief never said it in these words; still record that the room dropped it.
            change.retired.append(d.theme)
    for d in decisions:
        if d.choice == "adopt":
            already = in_brief.get(d.theme) is True or any(says(p, d.theme) for p in change.kept)
            if not already:
                change.added.append(d.theme + (f" ({d.note})" if d.note else ""))
        elif d.choice == "investigate":
            change.open.append(d.theme + (f": {d.note}" if d.note else ""))
    return change


def draft_text(change: Change) -> str:
    lines = [f"- {p}" for p in change.kept + change.added]
    if change.open:
        lines += ["", f"{OPEN_QUESTIONS_HEADING}:"] + [f"- {q}" for q in change.open]
    return "\n".join(lines).strip()


def draft(
    prompts: list[Prompt], brief: str, decisions: list[Decision],
    in_brief: dict[str, dict[str, bool | None]] | None = None, report=None,
) -> dict[str, tuple[str, Change]]:
    """Per prompt key: (draft text, what changed); `report`: the analysis, for how it read the brief."""
    sections = brief_sections(brief, prompts, report)
    in_brief = in_brief or {}
    out = {}
    for prompt in prompts:
        mine = [d for d in decisions if d.dimension == prompt.key]
        change = changes(sections.get(prompt.key, ""), mine, in_brief.get(prompt.key))
        out[prompt.key] = (draft_text(change), change)
    return out


def buyer_statement_draft(prompts: list[Prompt], decisions: list[Decision]) -> str:
    """A first sentence for the primary buyer statement from the adopted themes."""
    adopted = {p.key: [d.theme for d in decisions if d.dimension == p.key and d.choice == "adopt"]
               for p in prompts}
    parts = [f"{_title(p)}: {', '.join(adopted[p.key][:2])}" for p in prompts if adopted[p.key]]
    if not parts:
        return ""
    return "Our primary buyer — " + "; ".join(parts) + "."


def _title(prompt: Prompt) -> str:
    return prompt.key.replace("_", " ").lower()


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def default_review_date(today: date | None = None) -> date:
    return add_months(today or date.today(), 6)


# -- persistence --------------------------------------------------------------


def load_drafts(store, session_id: str) -> dict[str, str]:
    return dict(store.get_state(session_id, DRAFT_STATE_KEY, {}) or {})


def save_draft(store, session_id: str, prompt_key: str, text: str) -> None:
    drafts = load_drafts(store, session_id)
    drafts[prompt_key] = text
    store.set_state(session_id, DRAFT_STATE_KEY, drafts)


def review_date(store, session_id: str, today: date | None = None) -> date:
    stored = store.get_state(session_id, REVIEW_STATE_KEY)
    try:
        return date.fromisoformat(stored) if stored else default_review_date(today)
    except (TypeError, ValueError):
        return default_review_date(today)


def in_brief_map(report) -> dict[str, dict[str, bool | None]]:
    if report is None:
        return {}
    return {d.key: {t.label: t.in_brief for t in d.themes} for d in report.dimensions}


def current_brief(store, session, report=None) -> dict[str, str]:
    """The reset brief as the room sees it now, per prompt key: the edited text, else the draft.

    For the summary and the exports, so they show exactly what was on screen.
    The readiness prompt is a stage, not part of the brief.
    """
    prompts = [p for p in session.prompts if p.key != READINESS_KEY]
    drafts = draft(prompts, session.brief, store.decisions(session.id), in_brief_map(report), report)
    edited = load_drafts(store, session.id)
    return {p.key: edited.get(p.key, drafts[p.key][0]) for p in prompts}


def buyer_statement(store, session) -> str:
    stored = store.get_state(session.id, BUYER_STATE_KEY)
    if stored is not None:
        return stored
    prompts = [p for p in session.prompts if p.key != READINESS_KEY]
    return buyer_statement_draft(prompts, store.decisions(session.id))


@dataclass
class BriefReadingView:
    """How the brief was read, for the facilitator to check before the session is saved."""

    sections: list[tuple[str, list[str]]]  # (prompt title, its points), in prompt order
    elsewhere: list[str]  # text that belongs to no prompt (the primary buyer, the title)
    labelled: bool  # False: no label names a prompt; the analysis then matches sentences by meaning

    @property
    def note(self) -> str:
        if not self.sections and not self.elsewhere:
            return "The brief is empty."
        if self.labelled:
            missing = [title for title, points in self.sections if not points]
            tail = (f" Nothing was found for {', '.join(missing)}: the analysis compares those prompts with "
                    "the whole brief." if missing else "")
            return "Each point below goes with the prompt it is listed under." + tail
        return ("No heading or label in the brief names a prompt, so the analysis matches each sentence to "
                "the prompt it is closest to in meaning when it runs.")


def read_for_checking(brief: str, prompts: list[Prompt], encoder=None) -> BriefReadingView:
    """The brief read as the analysis will read it: points per prompt, and what belongs to none."""
    from workshop.charts import prompt_title

    prompts = [p for p in prompts if p.key != READINESS_KEY]
    reading = read_brief(brief or "", prompts, encoder)
    return BriefReadingView(
        sections=[(prompt_title(p.key), reading.section(p.key)) for p in prompts],
        elsewhere=reading.unassigned(),
        labelled=reading.labelled or any(point.by_meaning for point in reading.points),
    )
