"""Divergence analysis: do sales and marketing describe the same buyer, and how sure is that?

Per prompt (dimension):
1. every answer is split into statements (embeddings/statements.py) and the
   brief of record into its points, each under the prompt it was written for
   (embeddings/brief.py); everything is embedded once, cached by text;
2. the verdict (embeddings/verdict.py): how often sales statements find
   marketing's, or the brief's points for this prompt, among their nearest,
   and how close sales comes to the brief at all; the lower of the two is
   the alignment, divergent below 0.5; its strength (clear / leaning / thin)
   says how far the people and statements behind it carry it;
3. themes (embeddings/themes.py): statements grouped by point, first within
   each function, then across; a theme one side names with nothing close on
   the other is one-sided, with high confidence on a divergent prompt and as
   "possible" on one that is not, so nothing is hidden from the room; each
   theme gets a short name in its side's own words (embeddings/labels.py);
4. with a brief, each theme is checked against the brief, its own prompt's
   section first; sales themes it misses are brief gaps, points only
   marketing still repeats are stale.

Thresholds per model: embeddings/params.py (benchmarks/README.md says how
they were chosen and what they score).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from threadpoolctl import ThreadpoolController

from embeddings import brief as brief_reading
from embeddings import labels, themes, verdict, wording
from embeddings.params import DEFAULT_PARAMS, MODEL_PARAMS, Params, params_for, with_params  # noqa: F401
from embeddings.report import (
    ALIGNED,
    DIVERGENT,
    HIGH,
    INSUFFICIENT,
    MARKETING,
    POSSIBLE,
    SALES,
    SHARED,
    THIN,
    DimensionResult,
    MapPoint,
    Pair,
    Report,
    Statement,
)
from embeddings.similarity import DECIMALS, centered, cosine_matrix, lexical_similarity, plane
from embeddings.statements import split_answer

DEFAULT_DIMENSIONS = ("trigger", "compare", "fears", "objections", "evidence")
CLOSEST_PAIRS = 5


@dataclass
class _Item:
    participant: str
    function: str
    text: str


@dataclass
class _Brief:
    """The brief's points as one prompt's analysis needs them."""

    section: list[str]  # this prompt's own points
    section_vectors: np.ndarray
    others: list[str]  # every other point of the brief
    other_vectors: np.ndarray


def _prompt_pairs(dimension_keys, prompts) -> list[tuple[str, str]]:
    questions = {}
    for p in prompts or ():
        key, text = (p.key, p.text) if hasattr(p, "key") else (p[0], p[1])
        questions[key] = text
    return [(key, questions.get(key, key)) for key in dimension_keys]


def _statements(answers, dimensions, functions) -> tuple[list[str], dict[str, list[_Item]]]:
    """The prompt keys in order and each prompt's statements, as the analysis reads them."""
    answers = sorted(answers, key=lambda a: (a.dimension, a.function, a.participant, a.text))
    if functions:
        # Answers of a function the session no longer invites are left out.
        answers = [a for a in answers if a.function in set(functions)]
    dimension_keys = list(dimensions or DEFAULT_DIMENSIONS)
    for a in answers:
        if a.dimension not in dimension_keys:
            dimension_keys.append(a.dimension)
    items_by_dimension: dict[str, list[_Item]] = {key: [] for key in dimension_keys}
    for a in answers:
        for text in split_answer(a.text):
            items_by_dimension[a.dimension].append(_Item(a.participant, a.function, text))
    return dimension_keys, items_by_dimension


def _read_brief(brief, dimension_keys, prompts, encoder) -> brief_reading.BriefReading:
    if not brief or not brief.strip():
        return brief_reading.BriefReading()
    return brief_reading.read_brief(brief, _prompt_pairs(dimension_keys, prompts), encoder)


def embed_ahead(answers, brief: str | None, encoder, dimensions=None, functions=None, prompts=None,
                chunk: int = 16, keep_going=None) -> int:
    """Embed the texts analyze() will need, so it later finds them cached; returns how many were asked.

    Same arguments as analyze(). Run while answers come in, it leaves the
    close of collection only the comparing and grouping. The texts go to the
    encoder `chunk` at a time; `keep_going()` is asked before each chunk, so
    the caller can stop (the model is wanted for an analysis).
    """
    dimension_keys, items_by_dimension = _statements(answers, dimensions, functions)
    texts = list(dict.fromkeys(it.text for items in items_by_dimension.values() for it in items))
    asked = 0
    for start in range(0, len(texts), chunk):
        if keep_going is not None and not keep_going():
            return asked
        encoder.encode(texts[start:start + chunk])
        asked += len(texts[start:start + chunk])
    if keep_going is None or keep_going():
        reading = _read_brief(brief, dimension_keys, prompts, encoder)
        if reading.all_points:
            encoder.encode(reading.all_points)
            asked += len(reading.all_points)
    return asked


def analyze(answers, brief: str | None = None, encoder=None, dimensions=None, functions=None,
            params: Params | None = None, progress=None, prompts=None) -> Report:
    """The report for a session's answers (and optionally its brief of record).

    `answers`: objects with participant, function, dimension, text.
    `dimensions`: the prompt keys, in order (all appear in the report).
    `prompts`: objects with key and text (or (key, question) pairs), to read
    the brief by: a section headed by a prompt's key or question words is that
    prompt's; without them only the keys and their usual words match.
    `functions`: the invited functions (others' answers are left out); default: all that answered.
    Sales vs marketing decides the verdict; every function gets its own themes.
    `encoder`: anything with encode(list[str]) -> unit rows; default the bundled model.
    `params`: thresholds; default the ones chosen for the encoder's model.
    `progress`: optional callable(fraction, message).
    """
    if encoder is None:
        from embeddings.encoder import Encoder

        encoder = Encoder()  # the bundled model
    if params is None:
        params = params_for(getattr(encoder, "name", "") or "")
    report_progress = progress or (lambda fraction, message: None)
    dimension_keys, items_by_dimension = _statements(answers, dimensions, functions)

    report_progress(0.05, "Embedding the statements")
    reading = _read_brief(brief, dimension_keys, prompts, encoder)
    statement_texts = [it.text for items in items_by_dimension.values() for it in items]
    brief_texts = reading.all_points
    texts = statement_texts + brief_texts
    vectors = encoder.encode(texts) if texts else np.zeros((0, 0))
    report_progress(0.85, "Comparing the functions")
    vector_of_point = {text: vectors[len(statement_texts) + n] for n, text in enumerate(brief_texts)}

    results = []
    offset = 0
    # The matrices here are a few hundred rows: threads only add contention
    # (on a busy 2-core machine BLAS threads made this 10x slower).
    with _blas_controller().limit(limits=1, user_api="blas"):
        for number, key in enumerate(dimension_keys):
            items = items_by_dimension[key]
            block = vectors[offset: offset + len(items)]
            offset += len(items)
            context = None
            if brief_texts:
                section = list(dict.fromkeys(reading.section(key)))
                others = [t for t in brief_texts if t not in set(section)]
                context = _Brief(section, _stack(section, vector_of_point), others, _stack(others, vector_of_point))
            results.append(analyze_dimension(key, items, block, context, params))
            report_progress(0.85 + 0.15 * (number + 1) / len(dimension_keys), f"Compared '{key}'")
    return Report(
        dimensions=results,
        model=getattr(encoder, "name", "") or "",
        has_brief=bool(brief_texts),
    )


def _stack(texts: list[str], vector_of: dict) -> np.ndarray:
    if not texts:
        return np.zeros((0, len(next(iter(vector_of.values()))) if vector_of else 0), dtype=np.float32)
    return np.stack([vector_of[t] for t in texts])


@functools.lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController:
    # Finding the loaded BLAS libraries takes a while; do it once per process.
    return ThreadpoolController()


def analyze_dimension(key: str, items: list[_Item], vectors: np.ndarray, brief: _Brief | None,
                      params: Params = DEFAULT_PARAMS) -> DimensionResult:
    functions = np.array([it.function for it in items])
    people = np.array([it.participant for it in items])
    people_per_function = {f: len(set(people[functions == f].tolist())) for f in dict.fromkeys(functions.tolist())}
    statements_per_function = {f: int(np.sum(functions == f)) for f in people_per_function}
    if len(items) == 0:
        return DimensionResult(key, INSUFFICIENT, 0.0, "Nobody answered this prompt yet.", strength=THIN,
                               strength_note=wording.strength_note(THIN, {}, {}), people={},
                               brief_section=list(brief.section) if brief else [])
    coords = plane(vectors)
    theme_similarity = cosine_matrix(centered(vectors, params.theme_centering))
    within_similarity = theme_similarity
    texts = [it.text for it in items]
    if params.lexical_weight:
        exclude = themes.shared_words(texts, functions) if params.lexical_one_function else frozenset()
        within_similarity = np.round(theme_similarity + params.lexical_weight * lexical_similarity(texts, exclude),
                                     DECIMALS)

    if SALES not in people_per_function or MARKETING not in people_per_function:
        missing = "Sales" if SALES not in people_per_function else "Marketing"
        outcome, score = INSUFFICIENT, 0.0
        why = f"{missing} gave no answer to this prompt, so there is nothing to compare yet."
    else:
        headline = np.flatnonzero(np.isin(functions, [SALES, MARKETING]))
        section = brief.section_vectors if brief is not None and len(brief.section) else None
        score, _ = verdict.alignment(vectors[headline], functions[headline], people[headline], section, params,
                                     texts=[texts[i] for i in headline],
                                     section_texts=brief.section if section is not None else ())
        outcome = DIVERGENT if score < verdict.CUT else ALIGNED

    labels_ = themes.themes_partition(theme_similarity, functions, people, params, within_similarity,
                                      protect_one_sided=params.protect_one_sided and outcome == DIVERGENT)
    if outcome == ALIGNED and params.pair_at is not None:
        labels_ = themes.pair_across_functions(labels_, theme_similarity, functions, params.pair_at)

    confidence = {DIVERGENT: HIGH, ALIGNED: POSSIBLE if params.possible_themes else None}.get(outcome)

    labeller = labels.Labeller(texts)

    def label_for(members: list[int], central: int) -> str:
        ranked = sorted(members, key=lambda i: (i != central, -float(theme_similarity[i, members].mean()), i))
        return labeller.label([texts[i] for i in ranked], [texts[i] for i in members])

    found, theme_of = themes.build_themes(items, theme_similarity, labels_, functions, people, params,
                                          confidence, label_for)
    if outcome != INSUFFICIENT:
        why = wording.explain(outcome, score, found)

    brief_gaps: list[str] = []
    stale_points: list[str] = []
    if brief is not None:
        to_section = cosine_matrix(vectors, brief.section_vectors)
        to_others = cosine_matrix(vectors, brief.other_vectors)
        for theme, members in zip(found, theme_of):
            theme.in_brief = brief_reading.covered(
                to_section[members].max(axis=1) if to_section.shape[1] else [],
                to_others[members].max(axis=1) if to_others.shape[1] else [],
                params.raw_brief_at, params.other_section_margin,
            )
        brief_gaps = [t.label for t in found if t.side == SALES and t.confidence == HIGH and t.in_brief is False]
        stale_points = _stale_points(found, theme_of, brief, to_section, to_others, params)

    theme_index: dict[int, int] = {i: n for n, members in enumerate(theme_of) for i in members}
    points = [
        MapPoint(float(coords[i, 0]), float(coords[i, 1]), it.participant, it.function, it.text,
                 theme_index.get(i))
        for i, it in enumerate(items)
    ]
    closest = closest_pairs(items, theme_similarity, functions, CLOSEST_PAIRS)
    level = THIN if outcome == INSUFFICIENT else verdict.strength(score, people_per_function,
                                                                  statements_per_function, params)
    return DimensionResult(key, outcome, round(float(score), 2), why, found, brief_gaps, stale_points, points,
                           strength=level,
                           strength_note=wording.strength_note(level, people_per_function, statements_per_function),
                           people=people_per_function, brief_section=list(brief.section) if brief else [],
                           closest=closest)


def closest_pairs(items, similarity: np.ndarray, functions: np.ndarray, count: int) -> list[Pair]:
    """The `count` most alike (sales, marketing) statement pairs, each statement at most once."""
    sales, marketing = np.flatnonzero(functions == SALES), np.flatnonzero(functions == MARKETING)
    if not len(sales) or not len(marketing):
        return []
    block = similarity[np.ix_(sales, marketing)]
    order = np.argsort(-block, axis=None, kind="stable")
    pairs, used_s, used_m = [], set(), set()
    for flat in order.tolist():
        i, j = divmod(flat, len(marketing))
        if i in used_s or j in used_m:
            continue
        used_s.add(i)
        used_m.add(j)
        a, b = items[sales[i]], items[marketing[j]]
        pairs.append(Pair(Statement(a.participant, a.function, a.text), Statement(b.participant, b.function, b.text),
                          round(float(block[i, j]), 2)))
        if len(pairs) == count:
            break
    return pairs


def _stale_points(found, theme_of, brief: _Brief, to_section, to_others, params: Params) -> list[str]:
    """The brief's own points for this prompt that only marketing still repeats.

    A point of the prompt's section closest to a marketing-only theme; a
    prompt without a section of its own looks at the rest of the brief.
    """
    points, similarity = (brief.section, to_section) if brief.section else (brief.others, to_others)
    stale: list[str] = []
    for theme, members in zip(found, theme_of):
        if theme.side != MARKETING or theme.confidence != HIGH or not points:
            continue
        best = similarity[members].mean(axis=0)
        point = int(np.argmax(best))
        if best[point] >= params.raw_brief_at and points[point] not in stale:
            stale.append(points[point])
    return stale
