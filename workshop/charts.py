"""Altair charts shared by the reveal, the deep dive and the exports.

One colour per function everywhere. Orange and blue from the Okabe-Ito
palette: distinct for the common colour-vision deficiencies, and both stay
saturated on a washed-out projector.
"""

from __future__ import annotations

import math

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


def reveal_chart(report, prompt_titles: dict[str, str] | None = None, exclude: tuple[str, ...] = ()) -> alt.Chart:
    """Alignment per prompt, most divergent first: the reveal's headline chart."""
    rows = reveal_rows(report, prompt_titles, exclude)
    for row in rows:
        row["label"] = f"{row['verdict']} · {row['alignment']:.2f}"
    frame = pd.DataFrame(rows, columns=["prompt", "alignment", "verdict", "label"])
    order = [r["prompt"] for r in rows]
    bars = (
        alt.Chart(frame)
        .mark_bar(height=34)
        .encode(
            # Room right of 1.0 for the "aligned · 0.88" label.
            x=alt.X("alignment:Q", scale=alt.Scale(domain=[0, 1.35]), title="Alignment (1 = same buyer)",
                    axis=alt.Axis(values=[0, 0.2, 0.4, 0.6, 0.8, 1.0])),
            y=alt.Y("prompt:N", sort=order, title=None),
            color=alt.Color(
                "verdict:N",
                scale=alt.Scale(domain=list(VERDICT_COLOURS), range=list(VERDICT_COLOURS.values())),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=["prompt:N", "verdict:N", "alignment:Q"],
        )
    )
    labels = bars.mark_text(align="left", dx=4, fontSize=17).encode(text="label:N", color=alt.value("#222"))
    return (bars + labels).properties(height=64 * max(len(rows), 1)).configure_axis(
        labelFontSize=18, titleFontSize=15
    ).configure_legend(labelFontSize=16)


# -- the reveal ---------------------------------------------------------------


def prompt_title(key: str) -> str:
    return key.replace("_", " ").capitalize()


def reveal_rows(report, prompt_titles: dict[str, str] | None = None, exclude: tuple[str, ...] = ()) -> list[dict]:
    """One row per prompt, most divergent first; insufficient ones last."""
    prompt_titles = prompt_titles or {}
    rows = [
        {
            "key": d.key,
            "prompt": prompt_titles.get(d.key, prompt_title(d.key)),
            "alignment": round(d.alignment, 2),
            "verdict": d.verdict,
            "why": d.why,
        }
        for d in report.dimensions
        if d.key not in exclude
    ]
    return sorted(rows, key=lambda r: (r["verdict"] == "insufficient", r["alignment"]))


# -- the semantic map -----------------------------------------------------------


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Convex hull, counter-clockwise (Andrew's monotone chain)."""
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def map_rows(dimension, show_names: bool = False) -> list[dict]:
    """The map's dots as plain rows; names only when the facilitator shows them."""
    labels = [t.label for t in dimension.themes]
    return [
        {
            "x": p.x,
            "y": p.y,
            "function": p.function,
            "statement": p.text,
            "who": p.participant if show_names else p.function.capitalize(),
            "theme": labels[p.theme] if p.theme is not None and 0 <= p.theme < len(labels) else "",
        }
        for p in dimension.map
    ]


def theme_outlines(rows: list[dict], steps: int = 12) -> list[dict]:
    """A rounded outline around each theme's dots: the hull of small circles around them.

    Padding scales with the map's extent so a one-dot theme still gets a ring.
    """
    if not rows:
        return []
    xs, ys = [r["x"] for r in rows], [r["y"] for r in rows]
    pad = 0.06 * max(max(xs) - min(xs), max(ys) - min(ys), 1e-6)
    outlines = []
    for theme in dict.fromkeys(r["theme"] for r in rows if r["theme"]):
        ring = [
            (r["x"] + pad * math.cos(2 * math.pi * k / steps), r["y"] + pad * math.sin(2 * math.pi * k / steps))
            for r in rows if r["theme"] == theme
            for k in range(steps)
        ]
        for order, (x, y) in enumerate(_hull(ring)):
            outlines.append({"theme": theme, "order": order, "x": round(x, 4), "y": round(y, 4)})
    return outlines


def theme_label_rows(outlines: list[dict]) -> list[dict]:
    """Where to write each theme's name: just above its outline."""
    labels = {}
    for row in outlines:
        top = labels.get(row["theme"])
        if top is None or row["y"] > top["y"]:
            labels[row["theme"]] = {"theme": row["theme"], "label": short_label(row["theme"]),
                                    "x": row["x"], "y": row["y"]}
    return list(labels.values())


def short_label(text: str, limit: int = 32) -> str:
    """A theme name short enough to sit on the map; the hover shows it whole."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,.;:") + "…"


def semantic_map_chart(rows: list[dict], functions: list[str], height: int = 460) -> alt.LayerChart:
    """Statements as dots coloured by function, themes outlined; hover shows the statement."""
    functions = list(dict.fromkeys(list(functions) + [r["function"] for r in rows]))
    frame = pd.DataFrame(rows, columns=["x", "y", "function", "statement", "who", "theme"])
    outlines = pd.DataFrame(theme_outlines(rows), columns=["theme", "order", "x", "y"])
    labels = pd.DataFrame(theme_label_rows(theme_outlines(rows)), columns=["theme", "label", "x", "y"])
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    # The padding of the outlines must stay inside the chart.
    xs = list(frame["x"]) + list(outlines["x"])
    ys = list(frame["y"]) + list(outlines["y"]) + [y + 0.0 for y in labels["y"]]
    x_scale = alt.Scale(domain=[min(xs, default=0), max(xs, default=1)], nice=False, padding=24)
    y_scale = alt.Scale(domain=[min(ys, default=0), max(ys, default=1)], nice=False, padding=36)
    shapes = (
        alt.Chart(outlines)
        .mark_line(interpolate="linear-closed", strokeDash=[6, 4], color="#888", strokeWidth=1.5)
        .encode(
            x=alt.X("x:Q", axis=axis, scale=x_scale),
            y=alt.Y("y:Q", axis=axis, scale=y_scale),
            detail="theme:N",
            order="order:Q",
        )
    )
    names = (
        alt.Chart(labels)
        .mark_text(dy=-10, fontSize=15, color="#333", fontWeight="bold")
        .encode(x=alt.X("x:Q", axis=axis, scale=x_scale), y=alt.Y("y:Q", axis=axis, scale=y_scale), text="label:N",
                tooltip=alt.Tooltip("theme:N", title="Theme"))
    )
    dots = (
        alt.Chart(frame)
        .mark_circle(size=260, opacity=0.9, stroke="white", strokeWidth=1.5)
        .encode(
            x=alt.X("x:Q", axis=axis, scale=x_scale),
            y=alt.Y("y:Q", axis=axis, scale=y_scale),
            color=alt.Color(
                "function:N", scale=function_scale(functions),
                legend=alt.Legend(title=None, orient="top", labelFontSize=18, symbolSize=300),
            ),
            tooltip=[
                alt.Tooltip("statement:N", title="Said"),
                alt.Tooltip("who:N", title="By"),
                alt.Tooltip("theme:N", title="Theme"),
            ],
        )
    )
    return (shapes + names + dots).properties(height=height).configure_view(strokeWidth=0)


# -- commercial reality ----------------------------------------------------------

CATEGORY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]


def deals_mix_chart(rows: list[dict], title: str = "", height: int = 260) -> alt.Chart:
    """Share of deals per quarter, one stacked bar per quarter (rows from deals.mix_by_quarter)."""
    frame = pd.DataFrame(rows, columns=["quarter", "value", "deals", "weight", "share"])
    values = list(dict.fromkeys(sorted(frame["value"])))
    return (
        alt.Chart(frame, title=alt.Title(title, fontSize=18, anchor="start") if title else alt.Undefined)
        .mark_bar()
        .encode(
            x=alt.X("quarter:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("share:Q", stack="normalize", axis=alt.Axis(format="%", title=None)),
            color=alt.Color(
                "value:N",
                scale=alt.Scale(domain=values, range=[CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i in range(len(values))]),
                legend=alt.Legend(title=None, orient="right", labelLimit=220),
            ),
            order=alt.Order("value:N"),
            tooltip=["quarter:N", "value:N", "deals:Q", alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(height=height)
        .configure_axis(labelFontSize=16)
        .configure_legend(labelFontSize=17, symbolSize=220)
    )


# -- readiness (the optional sixth prompt) ------------------------------------------


def readiness_chart(rows: list[dict], functions: list[str], height: int = 300) -> alt.Chart:
    """Share of each function's people per buying stage (rows from agenda.readiness_tally)."""
    frame = pd.DataFrame(rows, columns=["function", "stage", "order", "people", "share"])
    functions = list(dict.fromkeys(list(functions) + list(frame["function"])))
    stages = list(frame.sort_values("order")["stage"].drop_duplicates())
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("stage:N", sort=stages, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("share:Q", scale=alt.Scale(domain=[0, 1]),
                    axis=alt.Axis(format="%", title="share of each function", values=[0, 0.25, 0.5, 0.75, 1])),
            yOffset=alt.YOffset("function:N", sort=functions),
            color=alt.Color("function:N", scale=function_scale(functions),
                            legend=alt.Legend(title=None, orient="top")),
            tooltip=["function:N", "stage:N", "people:Q", alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(height=height)
        .configure_axis(labelFontSize=16, titleFontSize=14)
        .configure_legend(labelFontSize=17, symbolSize=220)
    )
