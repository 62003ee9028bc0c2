"""The brief of record, read the way people write it: which of its points belong to which prompt.

Briefs come as Markdown headings ("## Fears"), bold labels ("**Fears.** ..."),
label lines ("Fears: ...", "- Trigger: ..."), plain bullets under a label, or
plain paragraphs without any label. A label names a section when it matches a
prompt by its key or the words of its question (or the usual words for the
five standard prompts); text under a label that matches no prompt (the
primary buyer, the title) belongs to no prompt. A brief with no label that
matches a prompt is read point by point: each sentence goes to the prompt
whose question it is closest to in meaning, when an encoder is given.

Pure text in, dataclasses out (the meaning step takes any encoder with
encode(list[str]) -> unit rows); the deep dive, the reset brief, the session
form and the analysis all read the brief through `read_brief`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from embeddings.statements import list_item

# The words people head a section with, for the five standard prompts. A
# custom prompt is matched by its key and the words of its question.
SECTION_WORDS = {
    "trigger": {"trigger", "triggers", "why now", "buying trigger", "buying triggers", "why they start looking",
                "events", "trigger events"},
    "compare": {"compare", "comparison", "comparison set", "competitors", "competition", "competitive",
                "alternatives", "competitive set", "what they compare us with"},
    "fears": {"fears", "fear", "risks", "risk", "worries", "concerns", "anxieties", "what they fear"},
    "objections": {"objections", "objection", "pushback", "barriers", "blockers", "objections we hear"},
    "evidence": {"evidence", "proof", "proof points", "proof that works", "what convinces them", "validation"},
}
MAX_LABEL_WORDS = 6
LONG_POINT_CHARS = 160  # a bullet longer than this is split into its sentences

_STOP = {
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "we", "us", "our", "they", "them",
    "their", "is", "are", "be", "it", "its", "what", "which", "who", "when", "does", "do", "has", "have",
    "that", "this", "at", "by", "as", "from", "not", "than", "buyer", "buyers", "s", "may", "most", "often",
    "just", "out", "loud", "up", "come",
}
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# "**Fears.** rest", "**Fears:** rest", "__Fears__: rest", "**Fears**"
_BOLD_LABEL = re.compile(r"^(?:\*\*|__)\s*([^*_\n]{1,60}?)\s*[.:]?\s*(?:\*\*|__)\s*[.:]?\s*(.*)$")
# "Fears: rest", "Comparison set - rest" is not a label (a dash is used inside points)
_PLAIN_LABEL = re.compile(r"^([A-Za-z][^:\n]{0,58}?)\s*:\s*(.*)$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“(])")


@dataclass(frozen=True)
class BriefPoint:
    """One point of the brief: a bullet or a sentence, with the prompt it belongs to."""

    text: str
    prompt: str | None  # a prompt key, or None for text that belongs to no prompt
    heading: str = ""  # the label it was written under, as written ("" when matched by meaning)
    by_meaning: bool = False  # True when matched to its prompt by meaning, not by a label


@dataclass
class BriefReading:
    """The brief as points, each with its prompt; how the analysis and the pages read it."""

    points: list[BriefPoint] = field(default_factory=list)
    labelled: bool = False  # at least one label matched a prompt

    def section(self, key: str) -> list[str]:
        """The points written for prompt `key`, in the brief's order."""
        return [p.text for p in self.points if p.prompt == key]

    def section_text(self, key: str) -> str:
        """The section as Markdown bullets ("" when the brief says nothing for the prompt)."""
        return "\n".join(f"- {text}" for text in self.section(key))

    def sections(self, keys) -> dict[str, str]:
        return {key: self.section_text(key) for key in keys}

    @property
    def all_points(self) -> list[str]:
        return list(dict.fromkeys(p.text for p in self.points))

    def unassigned(self) -> list[str]:
        return [p.text for p in self.points if p.prompt is None]


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", (text or "").lower()) if w not in _STOP and len(w) > 1]


def _stem(word: str) -> str:
    # Crude, but enough for headings: "triggers"/"trigger", "comparison"/"compare".
    return word[:5]


def label_prompt(label: str, prompts, strict: bool = False) -> str | None:
    """The prompt key a section label names, or None.

    `prompts`: (key, question) pairs. The label matches a key, the usual words
    for one of the five standard prompts, or shares a word stem with the
    prompt's key or question (the key counts most). `strict` (a plain
    "X: ..." line, which may just as well be a point): only a key, the usual
    words, or a label of one or two words sharing the key's stem.
    """
    text = " ".join(re.findall(r"[a-z0-9]+", (label or "").lower()))
    if not text:
        return None
    for key, _ in prompts:
        if text == key.lower() or text in SECTION_WORDS.get(key, ()):
            return key
    stems = {_stem(w) for w in words(text)}
    if strict:
        if len(text.split()) > 2:
            return None
        hits = [key for key, _ in prompts if stems & {_stem(w) for w in words(key.replace("_", " "))}]
        return hits[0] if len(hits) == 1 else None
    best, best_score = None, 0
    for key, question in prompts:
        score = 3 * bool(stems & {_stem(w) for w in words(key.replace("_", " "))})
        # Only the one-word usual names count by stem: "buying" in "buying triggers" names no prompt.
        score += 3 * bool(stems & {_stem(w) for w in SECTION_WORDS.get(key, ()) if " " not in w})
        score += len(stems & {_stem(w) for w in words(question)})
        if score > best_score:
            best, best_score = key, score
    return best


@dataclass
class _Block:
    """A run of brief text under one label: a bullet item or a paragraph."""

    text: str
    label: str | None  # the label as written, None before any label
    prompt: str | None
    bullet: bool


def _blocks(brief: str, prompts) -> tuple[list[_Block], bool]:
    blocks: list[_Block] = []
    label: str | None = None
    prompt: str | None = None
    labelled = False
    open_block: _Block | None = None

    def start(text: str, bullet: bool) -> None:
        nonlocal open_block
        open_block = _Block(text.strip(), label, prompt, bullet)
        blocks.append(open_block)

    for raw in (brief or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            open_block = None
            continue
        heading = _HEADING.match(raw)
        if heading:
            label = heading.group(2).strip().strip("*_ ").rstrip(":.").strip()
            # A title ("# Customer brief: ...") names the document, not a prompt.
            prompt = label_prompt(label, prompts) if len(heading.group(1)) > 1 or ":" not in label else None
            labelled |= prompt is not None
            open_block = None
            continue
        # A bullet needs a space after it: "**Fears.**" starts with bold, not with a "*" bullet.
        is_bullet, item = list_item(raw)
        found = _BOLD_LABEL.match(item)
        bold = found is not None
        if not found:
            found = _PLAIN_LABEL.match(item)
        labelish = found is not None and len(found.group(1).split()) <= MAX_LABEL_WORDS
        if labelish:
            candidate, rest = found.group(1).strip(), found.group(2).strip()
            matched = label_prompt(candidate, prompts, strict=not bold)
            # A plain "X: ..." line is a label only when X names a prompt or stands
            # alone ("Fears:"): "Champion: a senior SRE" is a point, not a section.
            if bold or matched is not None or not rest:
                labelled |= matched is not None
                open_block = None
                if is_bullet and not bold and rest:
                    # "- Trigger: ..." labels this one bullet; the lines after it
                    # stay under the label before it.
                    before = (label, prompt)
                    label, prompt = candidate, matched
                    start(rest, True)
                    label, prompt = before
                    open_block = None
                    continue
                label, prompt = candidate, matched
                if rest:
                    start(rest, is_bullet)
                continue
        # A wrapped line goes on with its point: any line of a paragraph, an
        # indented or lower-case line after a bullet. "Champion: ..." after a
        # bullet is a point of its own.
        continues = open_block is not None and not is_bullet and not labelish and (
            not open_block.bullet or raw[:1].isspace() or line[:1].islower())
        if continues:
            open_block.text = f"{open_block.text} {line}"
        else:
            start(item, is_bullet)
    return blocks, labelled


def _sentences(block: _Block) -> list[str]:
    text = " ".join(block.text.replace("**", "").replace("__", "").split()).strip()
    if block.bullet and len(text) <= LONG_POINT_CHARS:
        parts = [text]
    else:
        parts = _SENTENCE_END.split(text)
    # A lone word ("Fears.") is a label, not a point.
    return [p.strip().strip("*_ ") for p in parts if len(p.split()) >= 2]


def read_brief(brief: str, prompts, encoder=None) -> BriefReading:
    """The brief's points, each with its prompt.

    `prompts`: objects with `key` and `text`, or (key, question) pairs.
    `encoder`: used only for a brief without any label that names a prompt:
    each sentence then goes to the prompt whose question is closest in meaning.
    """
    pairs = [(p.key, p.text) if hasattr(p, "key") else (p[0], p[1]) for p in prompts]
    blocks, labelled = _blocks(brief, pairs)
    points: list[BriefPoint] = []
    seen: set[tuple[str, str | None]] = set()
    for block in blocks:
        for sentence in _sentences(block):
            prompt = block.prompt if labelled else None
            if (sentence, prompt) in seen:
                continue
            seen.add((sentence, prompt))
            points.append(BriefPoint(sentence, prompt, block.label or "" if prompt else ""))
    if not labelled and points and encoder is not None and pairs:
        points = _by_meaning(points, pairs, encoder)
    return BriefReading(points, labelled)


def _by_meaning(points: list[BriefPoint], pairs, encoder) -> list[BriefPoint]:
    import numpy as np

    vectors = encoder.encode([p.text for p in points] + [question for _, question in pairs])
    sentences, questions = vectors[: len(points)], vectors[len(points):]
    closest = np.argmax(np.round(sentences @ questions.T, 4), axis=1)
    return [BriefPoint(p.text, pairs[int(i)][0], "", True) for p, i in zip(points, closest)]


# -- matching themes against the brief ------------------------------------------


def covered(similarity_to_own, similarity_to_others, at: float, margin: float) -> bool:
    """Whether a theme is in the brief: its own prompt's section first, then anywhere, held to a higher bar.

    `similarity_to_own` / `_to_others`: per member statement, the best raw
    cosine to a point of this prompt's section / of any other point. A theme
    is covered when its statements on average come at least `at` close to
    its own section, or `at + margin` close to some other part of the brief
    (a trigger the brief mentions only under Objections is still mentioned).
    """
    import numpy as np

    own = float(np.mean(similarity_to_own)) if len(similarity_to_own) else -1.0
    others = float(np.mean(similarity_to_others)) if len(similarity_to_others) else -1.0
    return own >= at or others >= at + margin
