"""The sentences of the report a room reads: why a verdict, and how sure it is.

Plain words for a projector: no blame, no jargon, no numbers beyond counts.
"""

from __future__ import annotations

from embeddings.report import CLEAR, DIVERGENT, HIGH, LEANING, MARKETING, SALES, SHARED, Theme


def explain(verdict: str, alignment: float, themes: list[Theme]) -> str:
    """One plain sentence of why."""
    one_sided = [t for t in themes if t.side != SHARED and t.confidence == HIGH]
    counts = {side: sum(1 for t in one_sided if t.side == side) for side in {t.side for t in one_sided}}
    order = sorted(counts, key=lambda side: (side != SALES, side != MARKETING, side))
    if verdict == DIVERGENT:
        if counts:
            parts = "; ".join(f"{counts[side]} {'point' if counts[side] == 1 else 'points'} only {side} named"
                              for side in order)
            return f"Sales and marketing mostly describe different things here ({parts})."
        return ("Sales and marketing mostly describe different things here: few statements "
                "find a match on the other side.")
    possible = sum(1 for t in themes if t.side != SHARED and t.confidence != HIGH)
    tail = (f" {possible} {'point' if possible == 1 else 'points'} only one side named may be worth a look."
            if possible else "")
    if alignment >= 0.75:
        return "Sales and marketing name the same points here, often in different words." + tail
    return ("Sales and marketing name mostly the same points here; some are worded or weighted differently."
            + tail)


def _people(n: int, side: str) -> str:
    return f"{n} {side} {'person' if n == 1 else 'people'}"


def strength_note(strength: str, people_per_function: dict[str, int], statements_per_function: dict[str, int]
                  ) -> str:
    """One sentence on how sure the verdict is, naming the smallest group."""
    counts = {side: people_per_function.get(side, 0) for side in (SALES, MARKETING)}
    smallest = min(counts, key=lambda side: (counts[side], side))
    n = counts[smallest]
    if strength == CLEAR:
        return (f"Clear: {_people(counts[SALES], SALES)} and {_people(counts[MARKETING], MARKETING)} "
                "answered, and their statements point one way.")
    if strength == LEANING:
        return f"Leaning: {_people(n, smallest)} answered; read their statements before deciding."
    if n == 0:
        return f"Thin: no {smallest} answer yet, nothing to compare."
    statements = statements_per_function.get(smallest, 0)
    if n >= 2 and statements < 2:
        return f"Thin: {_people(n, smallest)} answered with one statement; too few to say, read it."
    return f"Thin: only {_people(n, smallest)} answered; too few to say, read the statements."
