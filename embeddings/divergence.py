"""Divergence analysis: do sales and marketing describe the same buyer?

Per prompt (dimension):
1. every answer is split into statements and embedded (cached by text);
2. the embeddings are centred on the prompt's mean, so similarity compares
   points rather than the shared topic of the prompt;
3. `alignment` is how mixed each statement's nearest neighbours are between the
   two functions (each side weighted equally, so a group of 9 does not drown a
   group of 3): two teams naming the same points in different words still find
   each other's statements among their nearest; two teams naming different
   things find mostly their own. Ranks, not raw similarities, decide, which is
   what keeps "same words, different meaning" and "different words, same
   meaning" apart better than a fixed cosine cut-off;
4. statements are grouped into themes by average linkage, first within each
   function, then across functions. Within one function the similarity is
   the raw cosine plus half the TF-IDF cosine of the words only that
   function uses on the prompt: two people naming one specific point often
   share one specific word (a law, a product) that the model weighs little,
   while words both functions use ("bill", "support") may mean different
   things on each side and do not count. Across functions only embeddings
   decide, and on a divergent prompt a group that already passes as
   one-sided is not pulled into a loose shared group. A one-function group
   that lumps several points is cut where its two halves differ most; a theme is one-sided when at least
   two people of one function name it and nothing the other functions said
   comes close, and only on a prompt whose verdict is divergent (on an
   aligned prompt the same pattern is wording, not drift: the models cannot
   tell the two apart at theme level, see benchmarks/README.md);
5. with a brief, each theme is checked against the brief's sentences.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

import numpy as np
from threadpoolctl import ThreadpoolController

from embeddings.report import (
    ALIGNED,
    CLEAR,
    DIVERGENT,
    INSUFFICIENT,
    LEANING,
    SHARED,
    THIN,
    DimensionResult,
    MapPoint,
    Report,
    Statement,
    Theme,
)
from embeddings.similarity import (
    DECIMALS,
    average_linkage,
    centered,
    content_words,
    cosine_matrix,
    lexical_similarity,
    neighbour_mix,
    plane,
)
from embeddings.statements import split_answer, strip_bullet

SALES = "sales"
MARKETING = "marketing"
DEFAULT_DIMENSIONS = ("trigger", "compare", "fears", "objections", "evidence")
MAX_LABEL_CHARS = 90


@dataclass(frozen=True)
class Params:
    """Every threshold of the analysis, in one place (see benchmarks/README.md).

    The verdict uses cosines of prompt-centred embeddings; themes use
    embeddings with `theme_centering` of the prompt mean removed (0 = raw
    cosine); the brief check raw cosines. Chosen per model with
    benchmarks/tune.py over every labeled scenario set (see MODEL_PARAMS).
    """

    neighbours: int = 3  # k of the neighbour mix
    divergent_below: float = 0.6  # alignment under this is "divergent"
    cluster_at: float = 0.2  # average-linkage merge threshold within one function
    shared_at: float = 0.4  # ... then between groups of different functions
    split_margin: float | None = 0.1  # cut a one-function group whose halves are this much more alike inside than across
    other_side_below: float = 0.6  # a one-sided theme: nearest other-side statement under this
    theme_centering: float = 0.0  # share of the prompt mean removed before grouping themes
    min_people: int = 2  # people of one function naming a one-sided theme
    one_sided_needs_divergent: bool = True  # an aligned prompt shows no one-sided theme
    protect_one_sided: bool = True  # divergent prompt: a one-function group that is one-sided joins no other function
    raw_brief_at: float = 0.5  # a brief sentence at least this close covers a theme
    pair_at: float | None = 0.3  # aligned prompt: join mutual-best one-function groups this alike (None: off)
    lexical_weight: float = 0.5  # within one function: cosine + this x TF-IDF cosine of content words...
    lexical_one_function: bool = True  # ... counting only words that no other function uses on the prompt


DEFAULT_PARAMS = Params()  # chosen with all-mpnet-base-v2, the default model when installed

# Each model spreads its similarities differently, so the thresholds are
# chosen per model the same way (benchmarks/tune.py); any other model gets
# the defaults.
MODEL_PARAMS = {
    "all-MiniLM-L6-v2": replace(DEFAULT_PARAMS, cluster_at=0.25, split_margin=0.15),
}


def params_for(model_name: str) -> Params:
    """The thresholds chosen for `model_name` (an encoder's short name)."""
    return MODEL_PARAMS.get(model_name, DEFAULT_PARAMS)


@dataclass
class _Item:
    participant: str
    function: str
    text: str


def analyze(answers, brief: str | None = None, encoder=None, dimensions=None, functions=None,
            params: Params | None = None, progress=None) -> Report:
    """The report for a session's answers (and optionally its brief of record).

    `answers`: objects with participant, function, dimension, text.
    `dimensions`: the prompt keys, in order (all appear in the report).
    `functions`: the invited functions (others' answers are left out); default: all that answered.
    Sales vs marketing decides the verdict; every function gets its own themes.
    `encoder`: anything with encode(list[str]) -> unit rows; default the shared one.
    `params`: thresholds; default the ones chosen for the encoder's model.
    `progress`: optional callable(fraction, message).
    """
    if encoder is None:
        from embeddings.encoder import shared_encoder

        encoder = shared_encoder()
    if params is None:
        params = params_for(getattr(encoder, "name", "") or "")
    report_progress = progress or (lambda fraction, message: None)
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
    brief_points = brief_sentences(brief) if brief and brief.strip() else []

    report_progress(0.05, "Embedding the statements")
    all_texts = [it.text for items in items_by_dimension.values() for it in items] + brief_points
    vectors = encoder.encode(all_texts) if all_texts else np.zeros((0, 0))
    report_progress(0.85, "Comparing the functions")
    brief_vectors = vectors[len(all_texts) - len(brief_points):] if brief_points else None

    results = []
    offset = 0
    # The matrices here are a few hundred rows: threads only add contention
    # (on a busy 2-core machine BLAS threads made this 10x slower).
    with _blas_controller().limit(limits=1, user_api="blas"):
        for number, key in enumerate(dimension_keys):
            items = items_by_dimension[key]
            block = vectors[offset: offset + len(items)]
            offset += len(items)
            results.append(analyze_dimension(key, items, block, brief_points, brief_vectors, params))
            report_progress(0.85 + 0.15 * (number + 1) / len(dimension_keys), f"Compared '{key}'")
    return Report(
        dimensions=results,
        model=getattr(encoder, "name", "") or "",
        has_brief=bool(brief_points),
    )


@functools.lru_cache(maxsize=1)
def _blas_controller() -> ThreadpoolController:
    # Finding the loaded BLAS libraries takes a while; do it once per process.
    return ThreadpoolController()


def analyze_dimension(key: str, items: list[_Item], vectors: np.ndarray, brief_points: list[str],
                      brief_vectors: np.ndarray | None, params: Params = DEFAULT_PARAMS) -> DimensionResult:
    functions = np.array([it.function for it in items])
    people = np.array([it.participant for it in items])
    coords = plane(vectors) if len(items) else np.zeros((0, 2))
    n_sales = int(np.sum(functions == SALES))
    n_marketing = int(np.sum(functions == MARKETING))

    people_per_function = {f: len(set(people[functions == f].tolist())) for f in dict.fromkeys(functions.tolist())}
    if len(items) == 0:
        return DimensionResult(key, INSUFFICIENT, 0.0, "Nobody answered this prompt yet.",
                               strength=THIN, strength_note=strength_note(THIN, {}), people={})
    similarity = cosine_matrix(centered(vectors))
    theme_similarity = cosine_matrix(centered(vectors, params.theme_centering))
    within_similarity = theme_similarity
    if params.lexical_weight:
        texts = [it.text for it in items]
        exclude = shared_words(texts, functions) if params.lexical_one_function else frozenset()
        lexical = lexical_similarity(texts, exclude)
        within_similarity = np.round(theme_similarity + params.lexical_weight * lexical, DECIMALS)

    if n_sales == 0 or n_marketing == 0:
        missing = "Sales" if n_sales == 0 else "Marketing"
        verdict, alignment = INSUFFICIENT, 0.0
        why = f"{missing} gave no answer to this prompt, so there is nothing to compare yet."
    else:
        headline = np.flatnonzero(np.isin(functions, [SALES, MARKETING]))
        mix = neighbour_mix(similarity[np.ix_(headline, headline)], functions[headline], people[headline],
                            params.neighbours)
        alignment = side_balanced_mean(mix, functions[headline])
        verdict = DIVERGENT if alignment < params.divergent_below else ALIGNED
    labels = themes_partition(theme_similarity, functions, people, params, within_similarity,
                              protect_one_sided=params.protect_one_sided and verdict == DIVERGENT)
    if verdict == ALIGNED and params.pair_at is not None:
        labels = pair_across_functions(labels, theme_similarity, functions, params.pair_at)

    themes, theme_of = build_themes(items, theme_similarity, labels, functions, people, params,
                                    allow_one_sided=(verdict == DIVERGENT or not params.one_sided_needs_divergent)
                                    and verdict != INSUFFICIENT)
    if verdict != INSUFFICIENT:
        why = explain(verdict, alignment, themes)

    brief_gaps: list[str] = []
    stale_points: list[str] = []
    if brief_vectors is not None and len(brief_points):
        raw = cosine_matrix(vectors, brief_vectors)
        for theme, members in zip(themes, theme_of):
            theme.in_brief = bool(raw[members].max(axis=1).mean() >= params.raw_brief_at)
        brief_gaps = [t.label for t in themes if t.side == SALES and t.in_brief is False]
        stale_points = stale_brief_points(themes, theme_of, raw, brief_points, functions, params)

    theme_index: dict[int, int] = {i: n for n, members in enumerate(theme_of) for i in members}
    points = [
        MapPoint(float(coords[i, 0]), float(coords[i, 1]), it.participant, it.function, it.text,
                 theme_index.get(i))
        for i, it in enumerate(items)
    ]
    strength = verdict_strength(verdict, alignment, people_per_function, functions, params)
    return DimensionResult(key, verdict, round(float(alignment), 2), why, themes, brief_gaps, stale_points, points,
                           strength=strength, strength_note=strength_note(strength, people_per_function),
                           people=people_per_function)


def verdict_strength(verdict: str, alignment: float, people_per_function: dict[str, int], functions: np.ndarray,
                     params: Params = DEFAULT_PARAMS) -> str:
    """CLEAR, LEANING or THIN: how far the evidence carries the verdict."""
    if verdict == INSUFFICIENT:
        return THIN
    sides = (SALES, MARKETING)
    fewest_people = min(people_per_function.get(side, 0) for side in sides)
    fewest_statements = min(int(np.sum(functions == side)) for side in sides)
    if fewest_people < 2 or fewest_statements < 3:
        return THIN
    if fewest_people >= 3 and abs(alignment - params.divergent_below) >= 0.15:
        return CLEAR
    return LEANING


def strength_note(strength: str, people_per_function: dict[str, int]) -> str:
    """One sentence on how sure the verdict is, naming the smallest group."""
    counts = {side: people_per_function.get(side, 0) for side in (SALES, MARKETING)}
    smallest = min(counts, key=lambda side: (counts[side], side))
    n = counts[smallest]
    answered = f"{n} {smallest} {'person' if n == 1 else 'people'} answered"
    if strength == CLEAR:
        return "Clear: enough people on each side and a clear difference from the cut-off."
    if strength == LEANING:
        return f"Leaning: {answered}; read their statements before deciding."
    return f"Thin: {answered}, too few to say; read their statements."


def shared_words(texts: list[str], functions: np.ndarray) -> frozenset[str]:
    """Words more than one function uses on this prompt.

    Such a word is the prompt's common vocabulary ("bill", "support"), which
    each side may mean differently; a word only one function uses is more
    likely to name a specific point of that side.
    """
    users: dict[str, set[str]] = {}
    for text, function in zip(texts, functions.tolist()):
        for word in content_words(text):
            users.setdefault(word, set()).add(function)
    return frozenset(word for word, who in users.items() if len(who) > 1)


def themes_partition(similarity: np.ndarray, functions: np.ndarray, people: np.ndarray,
                     params: Params = DEFAULT_PARAMS, within_similarity: np.ndarray | None = None,
                     protect_one_sided: bool = False) -> np.ndarray:
    """Theme labels: group each function's statements first, then join groups across functions.

    Grouping within a function first keeps a point one side makes from being
    absorbed into a loose mixed group with a different point of the other
    side (the "same words, different meaning" trap); groups of the two sides
    then join only where they clearly mean the same.
    """
    within_similarity = similarity if within_similarity is None else within_similarity
    same_person = people[:, None] == people[None, :]
    other_function = functions[:, None] != functions[None, :]
    within = average_linkage(within_similarity, params.cluster_at, cannot_link=same_person | other_function)
    cannot_link = same_person
    if protect_one_sided:
        cannot_link = same_person | (other_function & one_sided_groups(within, similarity, functions, people, params))
    labels = average_linkage(similarity, params.shared_at, cannot_link=cannot_link, start=within)
    return refine_one_sided(labels, within_similarity, functions, people, params)


def one_sided_groups(labels: np.ndarray, similarity: np.ndarray, functions: np.ndarray, people: np.ndarray,
                     params: Params = DEFAULT_PARAMS) -> np.ndarray:
    """Per statement: is it in a one-function group that already passes as a one-sided theme?

    (enough people, and no statement of another function comes close.) The
    cross-function join uses a looser, average similarity; without this it
    can pull such a group into a loose shared group with one stray statement
    of the other side.
    """
    flags = np.zeros(len(labels), dtype=bool)
    for label in set(labels.tolist()):
        members = np.flatnonzero(labels == label)
        others = np.flatnonzero(functions != functions[members[0]])
        if len(set(people[members].tolist())) < params.min_people or len(others) == 0:
            continue
        if similarity[np.ix_(members, others)].max() < params.other_side_below:
            flags[members] = True
    return flags[:, None] | flags[None, :]


def refine_one_sided(labels: np.ndarray, similarity: np.ndarray, functions: np.ndarray, people: np.ndarray,
                     params: Params = DEFAULT_PARAMS) -> np.ndarray:
    """Split a one-function group that holds several distinct points.

    A loose threshold is needed to join points worded very differently, but
    it also lumps together the several new points one side makes in the same
    register. Such a group is cut in the two halves that are most alike
    inside compared with across; the cut is kept when both halves have
    enough people and the difference is at least `split_margin`, and the
    halves are tried again. A difference rather than a fixed threshold,
    because how alike "the same point" looks depends on the model.
    """
    if params.split_margin is None:
        return labels
    labels = labels.copy()
    next_label = int(labels.max()) + 1 if len(labels) else 0
    queue = sorted(set(labels.tolist()))
    while queue:
        label = queue.pop(0)
        members = np.flatnonzero(labels == label)
        if len(set(functions[members].tolist())) != 1:
            continue  # a shared theme
        halves, margin = two_way_split(similarity[np.ix_(members, members)], params.min_people)
        if halves is not None and margin >= params.split_margin:
            labels[members[halves]] = next_label
            queue += [label, next_label]
            next_label += 1
    return labels


MAX_SPLIT = 12  # the most statements of one group cut in two by trying every cut (2^11 of them)


def two_way_split(similarity: np.ndarray, smallest: int = 2) -> tuple[np.ndarray | None, float]:
    """The cut of a group in two halves (each at least `smallest`) that best separates it.

    Returns a boolean mask of the second half and the margin: the mean
    similarity inside the halves minus the mean across. Every cut is tried;
    a group's statements come from different people, so a group of one
    function has at most as many as the function has people (12 in a large
    session). (None, -inf) for a group too small or too large to cut.
    """
    n = len(similarity)
    if n < 2 * smallest or n > MAX_SPLIT:
        return None, float("-inf")
    cuts = ((np.arange(1, 2 ** (n - 1))[:, None] >> np.arange(n)[None, :]) & 1).astype(np.float64)
    sizes = cuts.sum(axis=1)
    cuts = cuts[(sizes >= smallest) & (n - sizes >= smallest)]
    if not len(cuts):
        return None, float("-inf")
    sizes = cuts.sum(axis=1)
    rest = 1.0 - cuts
    off_diagonal = similarity * (1.0 - np.eye(n))
    inside = (np.einsum("ci,ij,cj->c", cuts, off_diagonal, cuts)
              + np.einsum("ci,ij,cj->c", rest, off_diagonal, rest))
    inside_pairs = sizes * (sizes - 1) + (n - sizes) * (n - sizes - 1)
    across = np.einsum("ci,ij,cj->c", cuts, similarity, rest) / (sizes * (n - sizes))
    # Rounded, so float noise cannot change which cut wins; ties go to the first cut.
    margins = np.round(inside / inside_pairs - across, DECIMALS)
    best = int(np.argmax(margins))
    return cuts[best].astype(bool), float(margins[best])


def pair_across_functions(labels: np.ndarray, similarity: np.ndarray, functions: np.ndarray,
                          threshold: float) -> np.ndarray:
    """On an aligned prompt, join each one-function group with its counterpart.

    The verdict already says both functions name the same points; a group of
    sales wording and a group of marketing wording that are each other's
    closest match are shown as one shared point, so "Both" reads as both.
    Only mutual best matches at least `threshold` alike are joined.
    """
    groups = [np.flatnonzero(labels == g) for g in sorted(set(labels.tolist()))]
    single = [g for g, members in enumerate(groups) if len(set(functions[members].tolist())) == 1]
    if len(single) < 2:
        return labels
    function_of = {g: functions[groups[g][0]] for g in single}
    mean = np.full((len(groups), len(groups)), -np.inf)
    for a in single:
        for b in single:
            if function_of[a] != function_of[b]:
                mean[a, b] = similarity[np.ix_(groups[a], groups[b])].mean()
    best = {g: int(np.argmax(mean[g])) for g in single if np.isfinite(mean[g]).any()}
    labels = labels.copy()
    for a, b in best.items():
        if a < b and best.get(b) == a and mean[a, b] >= threshold:
            labels[groups[b]] = labels[groups[a][0]]
    # Renumber by first member, as average_linkage does.
    order = {old: new for new, old in enumerate(dict.fromkeys(labels.tolist()))}
    return np.array([order[label] for label in labels.tolist()])


def side_balanced_mean(values: np.ndarray, sides: np.ndarray) -> float:
    """Mean per side, then the mean of those: each function counts the same."""
    means = [float(values[sides == side].mean()) for side in sorted(set(sides.tolist()))]
    return float(np.mean(means)) if means else 0.0


def build_themes(items, similarity, labels, functions, people, params: Params, allow_one_sided: bool):
    """Themes (clusters named by 2+ people, or by both functions) and their members."""
    themes: list[Theme] = []
    members_of: list[list[int]] = []
    for label in range(int(labels.max()) + 1 if len(labels) else 0):
        members = [int(i) for i in np.flatnonzero(labels == label)]
        names = sorted(set(people[members].tolist()))
        sides = sorted(set(functions[members].tolist()))
        if len(names) < 2:
            continue  # a lone point one person raises is not a theme
        side = SHARED
        if len(sides) == 1 and allow_one_sided:
            others = np.flatnonzero(functions != sides[0])
            nearest_other = similarity[np.ix_(members, others)].max() if len(others) else -1.0
            if len(names) >= params.min_people and nearest_other < params.other_side_below:
                side = sides[0]
        texts = [items[i].text for i in members]
        central = texts[most_central(texts, similarity[np.ix_(members, members)])]
        themes.append(Theme(
            label=shorten(central),
            side=side,
            participants=names,
            statements=[Statement(items[i].participant, items[i].function, items[i].text) for i in members],
            quote=central,
        ))
        members_of.append(members)
    # Largest first, then one-sided before shared; ties by label for a stable order.
    order = sorted(range(len(themes)), key=lambda n: (themes[n].side == SHARED, -len(themes[n].participants),
                                                      themes[n].label))
    return [themes[n] for n in order], [members_of[n] for n in order]


def most_central(texts: list[str], similarity: np.ndarray) -> int:
    """Index of the most central statement (highest mean similarity to the others)."""
    if len(texts) == 1:
        return 0
    centrality = (similarity.sum(axis=1) - np.diag(similarity)) / (len(texts) - 1)
    # Prefer the central statement; among near-ties the shorter one reads better on a slide.
    scores = [(-round(float(c), 2), len(t), t) for c, t in zip(centrality, texts)]
    return texts.index(min(scores)[2])


def shorten(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > 0 else limit - 1].rstrip(",;:-") + "…"


def explain(verdict: str, alignment: float, themes: list[Theme]) -> str:
    """One plain sentence of why, for the projector: no blame, no jargon."""
    one_sided = [t for t in themes if t.side != SHARED]
    counts = {side: sum(1 for t in one_sided if t.side == side) for side in {t.side for t in one_sided}}
    order = sorted(counts, key=lambda side: (side != SALES, side != MARKETING, side))
    if verdict == DIVERGENT:
        if counts:
            parts = "; ".join(f"{counts[side]} {'point' if counts[side] == 1 else 'points'} only {side} named"
                              for side in order)
            return f"Sales and marketing mostly describe different things here ({parts})."
        return ("Sales and marketing mostly describe different things here: few statements "
                "find a match on the other side.")
    if alignment >= 0.75:
        return "Sales and marketing name the same points here, often in different words."
    return "Sales and marketing name mostly the same points here; some are worded or weighted differently."


_HEADING = re.compile(r"^\s*#+\s*")
_LEAD_LABEL = re.compile(r"^\s*(?:\*\*|__)[^*_]{1,40}?[.:]?(?:\*\*|__)[.:]?\s*")  # "**Fears.** ..."
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“(])")


def brief_sentences(brief: str) -> list[str]:
    """The brief as points: bullets and sentences; headings and bold labels dropped.

    Hard-wrapped paragraphs are joined first, so a sentence broken over two
    lines stays one point.
    """
    blocks: list[str] = []
    current: list[str] = []
    for line in brief.replace("\r\n", "\n").split("\n"):
        starts_item = bool(_HEADING.match(line)) or strip_bullet(line) != line.strip()
        if not line.strip() or starts_item:
            if current:
                blocks.append(" ".join(current))
            current = []
            if not line.strip() or _HEADING.match(line):
                continue  # "## Fears" names a section, it is not a point
        current.append(line.strip())
    if current:
        blocks.append(" ".join(current))
    points: list[str] = []
    for block in blocks:
        block = _LEAD_LABEL.sub("", block).replace("**", "").replace("__", "").strip()
        for statement in split_answer(block):
            for sentence in _SENTENCE_END.split(statement):
                sentence = sentence.strip().strip("*_ ")
                # A lone word ("Fears.") is a label, not a point.
                if len(sentence.split()) >= 2:
                    points.append(sentence)
    return list(dict.fromkeys(points))


def stale_brief_points(themes, theme_of, raw, brief_points, functions, params: Params) -> list[str]:
    """Brief sentences whose closest theme is one only marketing still names."""
    stale = []
    for number, theme in enumerate(themes):
        if theme.side != MARKETING:
            continue
        best = raw[theme_of[number]].mean(axis=0)
        sentence = int(np.argmax(best))
        if best[sentence] >= params.raw_brief_at and brief_points[sentence] not in stale:
            stale.append(brief_points[sentence])
    return stale


def with_params(**changes) -> Params:
    return replace(DEFAULT_PARAMS, **changes)
