"""Themes: statements of one prompt that make the same point.

Statements are grouped by average linkage, first within each function, then
across functions. Within one function the similarity is the raw cosine plus
a share of the TF-IDF cosine of the words only that function uses on the
prompt: two people naming one specific point often share one specific word
(a law, a product) that the model weighs little, while words both functions
use ("bill", "support") may mean different things on each side and do not
count. Across functions only embeddings decide, and on a divergent prompt a
group that already passes as one-sided is not pulled into a loose shared
group. A one-function group that lumps several points is cut where its two
halves differ most. (Joining two groups of one function again when their
closest statements are very alike was tried: it merged different points
more often than it mended a cut point; benchmarks/README.md.)

A theme is named by at least two people. It is one-sided when only one
function names it and nothing the other functions said comes close: with
HIGH confidence on a prompt called divergent, as POSSIBLE on a prompt that is
not (the models cannot tell drift from wording there at theme level, so the
room is shown it apart rather than not at all; benchmarks/README.md).
"""

from __future__ import annotations

import numpy as np

from embeddings.params import DEFAULT_PARAMS, Params
from embeddings.report import HIGH, POSSIBLE, SHARED, Statement, Theme
from embeddings.similarity import DECIMALS, average_linkage, content_words

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
    # Mean similarity between every two groups at once: M^T S M over the group sizes.
    membership = np.zeros((len(labels), len(groups)))
    for g, members in enumerate(groups):
        membership[members, g] = 1.0
    sizes = membership.sum(axis=0)
    block = (membership.T @ similarity @ membership) / np.outer(sizes, sizes)
    function_of = np.array([functions[members[0]] for members in groups])
    is_single = np.zeros(len(groups), dtype=bool)
    is_single[single] = True
    allowed = is_single[:, None] & is_single[None, :] & (function_of[:, None] != function_of[None, :])
    mean = np.where(allowed, np.round(block, DECIMALS), -np.inf)
    best = {g: int(np.argmax(mean[g])) for g in single if np.isfinite(mean[g]).any()}
    labels = labels.copy()
    for a, b in best.items():
        if a < b and best.get(b) == a and mean[a, b] >= threshold:
            labels[groups[b]] = labels[groups[a][0]]
    # Renumber by first member, as average_linkage does.
    order = {old: new for new, old in enumerate(dict.fromkeys(labels.tolist()))}
    return np.array([order[label] for label in labels.tolist()])


def most_central(texts: list[str], similarity: np.ndarray) -> int:
    """Index of the most central statement (highest mean similarity to the others)."""
    if len(texts) == 1:
        return 0
    centrality = (similarity.sum(axis=1) - np.diag(similarity)) / (len(texts) - 1)
    # Prefer the central statement; among near-ties the shorter one reads better on a slide.
    scores = [(-round(float(c), 2), len(t), t) for c, t in zip(centrality, texts)]
    return texts.index(min(scores)[2])


def build_themes(items, similarity: np.ndarray, labels: np.ndarray, functions: np.ndarray, people: np.ndarray,
                 params: Params, confidence: str | None, label_for):
    """Themes (groups named by 2+ people) and their members, largest and one-sided first.

    `confidence`: HIGH or POSSIBLE for one-sided themes of this prompt, None
    when the prompt allows none (the other side did not answer).
    `label_for(member indices, central index) -> str`: the theme's short name.
    """
    themes: list[Theme] = []
    members_of: list[list[int]] = []
    for label in range(int(labels.max()) + 1 if len(labels) else 0):
        members = [int(i) for i in np.flatnonzero(labels == label)]
        names = sorted(set(people[members].tolist()))
        sides = sorted(set(functions[members].tolist()))
        if len(names) < 2:
            continue  # a lone point one person raises is not a theme
        side, level = SHARED, HIGH
        if len(sides) == 1 and confidence is not None:
            others = np.flatnonzero(functions != sides[0])
            nearest_other = similarity[np.ix_(members, others)].max() if len(others) else -1.0
            far = params.other_side_below if confidence == HIGH else params.possible_other_below
            if len(names) >= params.min_people and nearest_other < far:
                side, level = sides[0], confidence
        texts = [items[i].text for i in members]
        central = members[most_central(texts, similarity[np.ix_(members, members)])]
        themes.append(Theme(
            label=label_for(members, central),
            side=side,
            participants=names,
            statements=[Statement(items[i].participant, items[i].function, items[i].text) for i in members],
            confidence=level,
            quote=items[central].text,
        ))
        members_of.append(members)
    # One-sided (high, then possible) before shared, then largest; ties by label for a stable order.
    order = sorted(range(len(themes)), key=lambda n: (themes[n].side == SHARED, themes[n].confidence != HIGH,
                                                      -len(themes[n].participants), themes[n].label))
    return [themes[n] for n in order], [members_of[n] for n in order]
