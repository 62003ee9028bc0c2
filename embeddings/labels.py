"""Short theme names a room reads in a second, in the side's own words.

A theme's label is a phrase of at most MAX_WORDS words taken from its most
central statements: the window of words that carries most of what sets the
theme apart from the rest of the prompt, scored class-TF-IDF style (a word
counts by the share of the theme's statements that use it times how rare it
is among the prompt's statements), so "ERP replatform" rather than "3 of my
last 4 deals started at". No model call: labels cost nothing at the close,
and the same statements always give the same label. The full quote stays on
the theme (`Theme.quote`).
"""

from __future__ import annotations

import functools
import math
import re

from embeddings.similarity import content_words

MAX_WORDS = 6
WHOLE_WORDS = 7  # a central statement this short is its own label ("about six words")
LENGTH_PENALTY = 0.25  # score / words ** this: a name, not a sentence, but a whole name
CLAUSE_BONUS = 1.15  # a whole clause reads better than a cut one
# Clause breaks: punctuation that separates parts of a statement.
_CLAUSE = re.compile(r"\s*(?:[;()\[\]|!?]|[,:](?!\d)|\.(?=\s|$)|\s[-–—/+]\s|\s->\s|=>)\s*")
_TOKEN = re.compile(r"\S+")
_EDGE = "\"'“”‘’`*_.,;:-–—()[]"


def _norm(word: str) -> str:
    """A word as compared: lower case, plain plural folded ("budgets" -> "budget")."""
    word = word.lower().strip(_EDGE)
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def word_set(text: str) -> frozenset[str]:
    """The text's content words as compared (lower case, plain plurals folded)."""
    return frozenset(_norm(w) for w in content_words(text))


class Labeller:
    """Labels for the themes of one prompt; the prompt's word counts are made once."""

    def __init__(self, prompt_texts: list[str]):
        self.words = {text: word_set(text) for text in dict.fromkeys(prompt_texts)}
        self.size = max(len(prompt_texts), 1)
        self.df: dict[str, int] = {}
        for text in prompt_texts:
            for word in self.words[text]:
                self.df[word] = self.df.get(word, 0) + 1

    def weights(self, member_texts: list[str]) -> dict[str, float]:
        """class-TF-IDF of the theme's words against the prompt's statements."""
        theme_df: dict[str, int] = {}
        for text in member_texts:
            for word in self.words.get(text) or word_set(text):
                theme_df[word] = theme_df.get(word, 0) + 1
        n_members = max(len(member_texts), 1)
        return {word: (count / n_members) * math.log(1 + self.size / self.df.get(word, count))
                for word, count in theme_df.items()}

    def label(self, candidates: list[str], member_texts: list[str], limit: int = MAX_WORDS) -> str:
        return _best_phrase(candidates, self.weights(member_texts), limit)


def weights(member_texts: list[str], prompt_texts: list[str]) -> dict[str, float]:
    """class-TF-IDF of the theme's words against the prompt's statements."""
    return Labeller(prompt_texts).weights(member_texts)


@functools.lru_cache(maxsize=20_000)
def _clauses(statement: str) -> tuple:
    """The statement's clauses, each a tuple of (token, its normalised content words)."""
    return tuple(
        tuple((token, frozenset(_norm(w) for w in content_words(token))) for token in _TOKEN.findall(clause))
        for clause in _CLAUSE.split(statement)
    )


def short_label(candidates: list[str], member_texts: list[str], prompt_texts: list[str],
                limit: int = MAX_WORDS) -> str:
    """The best phrase of at most `limit` words from the most central statement (`candidates[0]`).

    A central statement that is already short is its own label. Otherwise
    each run of words inside one clause scores the summed weight of its
    distinct words over its length to the power LENGTH_PENALTY, a whole
    clause a little more; ties go to the earlier, shorter phrase. Only when
    the central statement has no word that counts are the next ones tried.
    """
    return _best_phrase(candidates, weights(member_texts, prompt_texts), limit)


def _best_phrase(candidates: list[str], weight: dict[str, float], limit: int) -> str:
    first = " ".join(candidates[0].split()) if candidates else ""
    if len(first.split()) <= WHOLE_WORDS:
        return _tidy(first)
    counted = weight.keys()
    for statement in candidates:
        best_key, best = None, ""
        position = -1
        # Every run of 1..limit words inside one clause; words at either end that
        # carry nothing (stop words, stray marks) are trimmed off.
        for clause in _clauses(statement):
            n = len(clause)
            for start in range(n):
                for size in range(1, min(limit, n - start) + 1):
                    position += 1
                    window = clause[start:start + size]
                    low, high = 0, len(window)
                    while low < high and not (window[low][1] & counted):
                        low += 1
                    while high > low and not (window[high - 1][1] & counted):
                        high -= 1
                    if low == high:
                        continue
                    trimmed = window[low:high]
                    words = frozenset().union(*(w for _, w in trimmed))
                    score = sum(weight.get(w, 0.0) for w in words) / len(trimmed) ** LENGTH_PENALTY
                    if size == n and low == 0 and high == len(window):
                        score *= CLAUSE_BONUS
                    key = (-round(score, 6), position, len(trimmed))
                    if best_key is None or key < best_key:
                        best_key, best = key, " ".join(token for token, _ in trimmed)
        if best:
            return _tidy(best)
    return _tidy(" ".join(first.split()[:limit]))


def _tidy(text: str) -> str:
    text = text.strip().strip(",;:-–—").strip()
    for quote in ("'", '"', "“", "”", "‘", "’"):
        if text.count(quote) == 1 and (text.startswith(quote) or text.endswith(quote)):
            text = text.strip(quote)
    if text.count("(") != text.count(")"):
        text = text.replace("(", "").replace(")", "")
    if text.count('"') % 2:
        text = text.replace('"', "")
    return text[:1].upper() + text[1:] if text else text
