"""Every threshold of the analysis, in one place, chosen per model (benchmarks/README.md)."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Params:
    """The thresholds. Chosen per model with benchmarks/tune.py over every labeled scenario set.

    The verdict's mix uses raw cosines with the brief's section as one more
    marketing voice (prompt-centred cosines without a brief); themes use
    raw cosines (`theme_centering` 0) plus a lexical share within one
    function; the brief check raw cosines.
    """

    # -- verdict (embeddings/verdict.py) --
    neighbours: int = 3  # k of the neighbour mix
    divergent_below: float = 0.6  # mix (with the brief's section) under this is divergent
    divergent_below_without_brief: float = 0.6  # mix without a brief under this is divergent
    cover_below: float = 0.28  # sales statements' mean best cosine to the brief's section under this is divergent
    cover_top: float = 0.55  # ... and this much counts as fully covered
    vocabulary_share: float | None = 0.7  # this share of sales statements in words of their own (None: off)...
    vocabulary_penalty: float = 0.1  # ... takes this much off the alignment...
    vocabulary_people: int = 3  # ... when both sides have at least this many people
    clear_people: int = 3  # CLEAR needs at least this many people on each side...
    clear_margin: float = 0.15  # ... and an alignment at least this far from the cut (0.5)
    # -- themes (embeddings/themes.py) --
    cluster_at: float = 0.2  # average-linkage merge threshold within one function
    shared_at: float = 0.4  # ... then between groups of different functions
    split_margin: float | None = 0.1  # cut a one-function group whose halves are this much more alike inside than across
    other_side_below: float = 0.6  # a one-sided theme: nearest other-side statement under this
    theme_centering: float = 0.0  # share of the prompt mean removed before grouping themes
    min_people: int = 2  # people of one function naming a one-sided theme
    possible_themes: bool = True  # a prompt not called divergent shows its one-sided themes as POSSIBLE...
    possible_other_below: float = 0.4  # ... when no statement of the other side is this close
    protect_one_sided: bool = True  # divergent prompt: a one-function group that is one-sided joins no other function
    pair_at: float | None = 0.3  # aligned prompt: join mutual-best one-function groups this alike (None: off)
    lexical_weight: float = 0.5  # within one function: cosine + this x TF-IDF cosine of content words...
    lexical_one_function: bool = True  # ... counting only words that no other function uses on the prompt
    # -- brief (embeddings/brief.py) --
    raw_brief_at: float = 0.45  # a point of the prompt's own section at least this close covers a theme
    other_section_margin: float = 0.15  # ... a point of another section must be this much closer still


DEFAULT_PARAMS = Params()  # chosen with all-mpnet-base-v2, the default model when installed

# Each model spreads its similarities differently, so the thresholds are
# chosen per model the same way (benchmarks/tune.py); any other model gets
# the defaults.
MODEL_PARAMS = {
    "all-MiniLM-L6-v2": replace(DEFAULT_PARAMS, cluster_at=0.25, split_margin=0.15, cover_below=0.25,
                                divergent_below=0.55),
}


def params_for(model_name: str) -> Params:
    """The thresholds chosen for `model_name` (an encoder's short name)."""
    return MODEL_PARAMS.get(model_name, DEFAULT_PARAMS)


def with_params(**changes) -> Params:
    return replace(DEFAULT_PARAMS, **changes)
