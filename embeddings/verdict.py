"""Per prompt: do sales and marketing describe the same buyer, and how sure is that?

Two signals, each on one scale where 0.5 is the cut (below: divergent):

- **mix**: how often each sales statement finds marketing's statements among
  its nearest (k) statements of other people, relative to chance. When the
  brief of record has a section for the prompt, its points count as one more
  marketing voice: marketing writes for the brief, and with two or three
  marketers the brief is the fuller record of what marketing stands for (it
  also bridges a seller's product names and marketing's categories when the
  brief names both). Without a brief, both directions count, on
  prompt-centred embeddings.
- **cover**: how close sales statements come to the brief's section on the
  prompt (mean of each statement's best raw cosine). Unlike the mix it does
  not depend on how many people answered: the brief is a whole record, not a
  sample, which is what keeps small groups from drifting to "aligned".

alignment = the lower of the two, so either one can call a prompt divergent.
Both are rescaled piecewise-linearly so that their cut sits at 0.5.

- **vocabulary**: the share of sales statements that use a word two or more
  sellers use and neither marketing nor the brief's section ever does (a
  regulation, a system, a buyer's role: the specific point the model weighs
  little, as in theme grouping). When most of what sellers say is in such
  words of their own, and both sides have enough people for a shared word to
  mean something (3+), it takes `vocabulary_penalty` off the alignment: it
  tips prompts just above the cut, where the embeddings are unsure, and
  cannot call a prompt divergent alone (benchmarks/README.md).

Strength: THIN when a side has fewer than two people or statements; CLEAR
when both sides have three or more people and the alignment is far from the
cut; LEANING otherwise (benchmarks/README.md: how often each is right).
"""

from __future__ import annotations

import numpy as np

from embeddings.labels import word_set
from embeddings.report import CLEAR, LEANING, MARKETING, SALES, THIN
from embeddings.similarity import centered, cosine_matrix, neighbour_mix

CUT = 0.5
BRIEF_VOICE = "\x00brief"  # the pseudo-participant the brief's points speak as


def rescale(value: float, cut: float, top: float = 1.0) -> float:
    """Map `value` so that `cut` lands on CUT (0.5) and `top` on 1, linearly on each side, within [0, 1]."""
    if cut <= 0:
        return 1.0
    if value <= cut:
        scaled = CUT * value / cut
    else:
        scaled = CUT + (1 - CUT) * (value - cut) / max(top - cut, 1e-9)
    return float(min(1.0, max(0.0, scaled)))


def side_balanced_mean(values: np.ndarray, sides: np.ndarray) -> float:
    """Mean per side, then the mean of those: each function counts the same."""
    means = [float(values[sides == side].mean()) for side in sorted(set(sides.tolist()))]
    return float(np.mean(means)) if means else 0.0


def mix_with_brief(vectors: np.ndarray, functions: np.ndarray, people: np.ndarray, section: np.ndarray,
                   k: int) -> float:
    """Mean cross-side neighbour mix of the sales statements, the brief's section speaking for marketing.

    Raw cosines: with a handful of statements, removing their own mean
    distorts more than it helps.
    """
    joined = np.vstack([vectors, section])
    sides = np.concatenate([functions, np.full(len(section), MARKETING)])
    voices = np.concatenate([people.astype(object), np.full(len(section), BRIEF_VOICE, dtype=object)])
    mix = neighbour_mix(cosine_matrix(joined), sides, voices, k)[: len(vectors)]
    return float(mix[functions == SALES].mean())


def mix_without_brief(vectors: np.ndarray, functions: np.ndarray, people: np.ndarray, k: int) -> float:
    """Side-balanced cross-side neighbour mix on prompt-centred embeddings."""
    mix = neighbour_mix(cosine_matrix(centered(vectors)), functions, people, k)
    return side_balanced_mean(mix, functions)


def brief_cover(vectors: np.ndarray, functions: np.ndarray, section: np.ndarray) -> float:
    """Mean over sales statements of their best raw cosine to a point of the brief's section."""
    sales = vectors[functions == SALES]
    return float(np.round(sales @ section.T, 4).max(axis=1).mean())


def own_vocabulary(texts: list[str], functions: np.ndarray, people: np.ndarray, brief_texts=()) -> float:
    """Share of sales statements using a word 2+ sellers use that no marketer and no brief point uses."""
    words = [word_set(text) for text in texts]
    theirs = set().union(*(word_set(text) for text in brief_texts))
    users: dict[str, set[str]] = {}
    for these, function, person in zip(words, functions.tolist(), people.tolist()):
        if function == SALES:
            for word in these:
                users.setdefault(word, set()).add(person)
        else:
            theirs |= these
    own = {word for word, who in users.items() if len(who) >= 2 and word not in theirs}
    sales = [these for these, function in zip(words, functions.tolist()) if function == SALES]
    return float(np.mean([bool(these & own) for these in sales])) if sales else 0.0


def alignment(vectors: np.ndarray, functions: np.ndarray, people: np.ndarray, section: np.ndarray | None,
              params, texts: list[str] | None = None, section_texts=()) -> tuple[float, dict[str, float]]:
    """The prompt's alignment (0..1, divergent below 0.5) and the signals it came from.

    `vectors`, `functions`, `people`: the sales and marketing statements only.
    `section`: embeddings of the brief's points for this prompt, or None.
    `texts`, `section_texts`: the statements' and the brief points' words, for
    the vocabulary signal (left out without `texts`).
    """
    if section is not None and len(section):
        mix = mix_with_brief(vectors, functions, people, section, params.neighbours)
        cover = brief_cover(vectors, functions, section)
        signals = {"mix": rescale(mix, params.divergent_below),
                   "cover": rescale(cover, params.cover_below, params.cover_top)}
    else:
        mix = mix_without_brief(vectors, functions, people, params.neighbours)
        signals = {"mix": rescale(mix, params.divergent_below_without_brief)}
    score = min(signals.values())
    if texts is not None and params.vocabulary_share is not None:
        fewest = min(len(set(people[functions == side].tolist())) for side in (SALES, MARKETING))
        signals["vocabulary"] = own_vocabulary(texts, functions, people, section_texts)
        if fewest >= params.vocabulary_people and signals["vocabulary"] >= params.vocabulary_share:
            score = max(0.0, score - params.vocabulary_penalty)
    return score, signals


def strength(score: float, people_per_function: dict[str, int], statements_per_function: dict[str, int],
             params) -> str:
    """CLEAR, LEANING or THIN: how far the evidence carries the verdict."""
    sides = (SALES, MARKETING)
    fewest_people = min(people_per_function.get(side, 0) for side in sides)
    fewest_statements = min(statements_per_function.get(side, 0) for side in sides)
    if fewest_people < 2 or fewest_statements < 2:
        return THIN
    if fewest_people >= params.clear_people and abs(score - CUT) >= params.clear_margin:
        return CLEAR
    return LEANING
