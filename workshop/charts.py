"""Altair charts shared by the reveal, the deep dive and the exports.

One colour per function everywhere. Orange and blue from the Okabe-Ito
palette: distinct for the common colour-vision deficiencies, and both stay
saturated on a washed-out projector.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

FUNCTION_COLOURS = {
    "sales": "#D55E00",  # vermillion
    "marketing": "#0072B2",  # blue
    "customer success": "#009E73",
    "shared": "#7F7F7F",
}
EXTRA_COLOURS = ["#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
VERDICT_COLOURS = {"aligned": "#0072B2", "divergent": "#D55E00", "insufficient": "#BBBBBB"}


def function_colour(function: str, functions: list[str] | None = None) -> str:
    if function in FUNCTION_COLOURS:
        return FUNCTION_COLOURS[function]
    others = [f for f in (functions or []) if f not in FUNCTION_COLOURS]
    index = others.index(function) if function in others else 0
    return EXTRA_COLOURS[index % len(EXTRA_COLOURS)]


def function_scale(functions: list[str]) -> alt.Scale:
    return alt.Scale(domain=list(functions), range=[function_colour(f, functions) for f in functions])


def reveal_chart(report, prompt_titles: dict[str, str] | None = None) -> alt.Chart:
    """Alignment per prompt, most divergent first: the reveal's headline chart."""
    prompt_titles = prompt_titles or {}
    rows = [
        {
            "prompt": prompt_titles.get(d.key, d.key),
            "alignment": round(d.alignment, 2),
            "verdict": d.verdict,
        }
        for d in report.dimensions
    ]
    frame = pd.DataFrame(rows, columns=["prompt", "alignment", "verdict"])
    order = list(frame.sort_values("alignment")["prompt"])
    bars = (
        alt.Chart(frame)
        .mark_bar(height=28)
        .encode(
            x=alt.X("alignment:Q", scale=alt.Scale(domain=[0, 1]), title="Alignment (1 = same buyer)"),
            y=alt.Y("prompt:N", sort=order, title=None),
            color=alt.Color(
                "verdict:N",
                scale=alt.Scale(domain=list(VERDICT_COLOURS), range=list(VERDICT_COLOURS.values())),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=["prompt", "verdict", "alignment"],
        )
    )
    labels = bars.mark_text(align="left", dx=4, fontSize=16).encode(text="verdict:N", color=alt.value("#222"))
    return (bars + labels).properties(height=60 * max(len(rows), 1)).configure_axis(
        labelFontSize=16, titleFontSize=14
    )
