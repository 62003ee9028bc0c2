"""Altair charts shared by the reveal, the deep dive and the exports.

One colour per function everywhere. Orange and blue from the Okabe-Ito
palette: distinct for the common colour-vision deficiencies, and both stay
saturated on a washed-out projector.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from workshop.models import MARKETING, SALES

FUNCTION_COLOURS = {
    SALES: "#D55E00",  # vermillion
    MARKETING: "#0072B2",  # blue
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


# Projected text: nothing under 18 px at 1280x720 (read from the back of a room),
# and dark, not the default grey.
PROJECTED_FONT = 18
INK = "#222222"
ROW_HEIGHT = 74  # one prompt of the reveal chart: its words above, its bar below


def reveal_chart(report, prompt_titles: dict[str, str] | None = None, exclude: tuple[str, ...] = ()) -> alt.Chart:
    """Alignment per prompt, most divergent first: the reveal's headline chart.

    Each prompt's verdict, score and how sure it is are written above its bar,
    starting at the left edge, so they are never cut off at the right however
    long the bar is. A verdict that is only leaning or thin is drawn paler,
    never hidden.
    """
    rows = reveal_rows(report, prompt_titles, exclude)
    frame = pd.DataFrame(rows, columns=["prompt", "alignment", "verdict", "label", "strength", "sure", "note"])
    order = [r["prompt"] for r in rows]
    y = alt.Y("prompt:N", sort=order, title=None,
              axis=alt.Axis(labelFontSize=PROJECTED_FONT + 2, labelFontWeight="bold", labelColor=INK,
                            labelLimit=200, ticks=False, domain=False, labelPadding=10))
    base = alt.Chart(frame).encode(y=y)
    bars = base.mark_bar(height=26, yOffset=13).encode(
        x=alt.X("alignment:Q", scale=alt.Scale(domain=[0, 1]), title="Alignment (1 = same buyer)",
                axis=alt.Axis(values=[0, 0.25, 0.5, 0.75, 1.0], format=".2~f", grid=True)),
        color=alt.Color("verdict:N", scale=alt.Scale(domain=list(VERDICT_COLOURS), range=list(VERDICT_COLOURS.values())),
                        legend=None),
        opacity=alt.condition(alt.datum.sure == 1, alt.value(1.0), alt.value(0.55)),
        tooltip=[alt.Tooltip("prompt:N", title="Prompt"), alt.Tooltip("label:N", title="Verdict"),
                 alt.Tooltip("note:N", title="How sure")],
    )
    words = base.mark_text(align="left", baseline="middle", yOffset=-14, x=0, fontSize=PROJECTED_FONT,
                           fontWeight="bold", color=INK).encode(text="label:N")
    return (bars + words).properties(height=ROW_HEIGHT * max(len(rows), 1)).configure_axis(
        labelFontSize=PROJECTED_FONT, titleFontSize=PROJECTED_FONT, labelColor=INK, titleColor=INK,
        titleFontWeight="normal",
    ).configure_view(strokeWidth=0)


# -- the reveal ---------------------------------------------------------------


def prompt_title(key: str) -> str:
    return key.replace("_", " ").capitalize()


def reveal_rows(report, prompt_titles: dict[str, str] | None = None, exclude: tuple[str, ...] = ()) -> list[dict]:
    """One row per prompt, most divergent first; insufficient ones last."""
    prompt_titles = prompt_titles or {}
    from workshop.summary import OVERRIDE_LABEL, strength_note, strength_words  # the words live there

    rows = []
    for d in report.dimensions:
        if d.key in exclude:
            continue
        verdict = "not enough answers" if d.verdict == "insufficient" else d.verdict
        sure = strength_words(d.strength).lower()
        if getattr(d, "override", None):
            sure = OVERRIDE_LABEL  # the facilitator read the evidence and decided
        rows.append({
            "key": d.key,
            "prompt": prompt_titles.get(d.key, prompt_title(d.key)),
            "alignment": round(d.alignment, 2),
            "verdict": d.verdict,
            "why": d.why,
            "strength": d.strength,
            "label": f"{verdict} · {d.alignment:.2f}" + (f" · {sure}" if sure else ""),
            "sure": int(d.strength == "clear" or bool(getattr(d, "override", None))),
            "note": strength_note(d),
        })
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


MAP_WIDTH = 680  # the map's width on a 1280x720 projector, for placing its labels
MAP_LABEL_FONT = PROJECTED_FONT
_CHAR_WIDTH = 0.52  # average glyph width of a bold sans label, in em (measured on the map)
_LINE_HEIGHT = 1.15


def wrap_label(text: str, width: int = 20, lines: int = 3) -> list[str]:
    """A theme name in lines of about `width` characters, whole words; nothing is cut off.

    Labels are short phrases (the analysis keeps them to a few words); a long
    one gets longer lines rather than an ellipsis.
    """
    words = " ".join(str(text).split()).split(" ")
    out: list[str] = []
    for word in words:
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    while len(out) > lines:  # join the shortest neighbours until it fits the line count
        i = min(range(len(out) - 1), key=lambda k: len(out[k]) + len(out[k + 1]))
        out[i:i + 2] = [out[i] + " " + out[i + 1]]
    return out


def _size(lines: list[str], font: float) -> tuple[float, float]:
    return max(len(line) for line in lines) * font * _CHAR_WIDTH + 6, len(lines) * font * _LINE_HEIGHT + 4


def _overlap(a, b, gap: float = 4.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def _gap(a, b) -> float:
    """How far apart two boxes are (0 when they touch or overlap)."""
    dx = max(b[0] - a[2], a[0] - b[2], 0)
    dy = max(b[1] - a[3], a[1] - b[3], 0)
    return max(dx, dy)


def theme_label_rows(outlines: list[dict], rows: list[dict] | None = None, width: float = MAP_WIDTH,
                     height: float = 380, font: float = MAP_LABEL_FONT) -> list[dict]:
    """Where to write each theme's name: beside its outline, never over another name.

    Placed in pixels of a `width` x `height` map, biggest theme first: above
    the outline, below it, to its right, to its left. A theme whose name fits
    nowhere gets its number instead, and the caller lists the numbers under
    the map (rows with "numbered": True). The dots themselves are not labelled.
    """
    if not outlines:
        return []
    rows = rows or []
    xs = [o["x"] for o in outlines] + [r["x"] for r in rows]
    ys = [o["y"] for o in outlines] + [r["y"] for r in rows]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    pad_x, pad_y = 24, 36  # the scale padding of semantic_map_chart

    def to_px(x, y):
        px = pad_x + (x - x0) / ((x1 - x0) or 1) * (width - 2 * pad_x)
        py = height - pad_y - (y - y0) / ((y1 - y0) or 1) * (height - 2 * pad_y)
        return px, py

    def to_data(px, py):
        x = x0 + (px - pad_x) / (width - 2 * pad_x) * ((x1 - x0) or 1)
        y = y0 + (height - pad_y - py) / (height - 2 * pad_y) * ((y1 - y0) or 1)
        return x, y

    themes: dict[str, list[tuple[float, float]]] = {}
    for o in outlines:
        themes.setdefault(o["theme"], []).append(to_px(o["x"], o["y"]))
    sizes = {t: sum(1 for r in rows if r.get("theme") == t) for t in themes}
    dots = [to_px(r["x"], r["y"]) for r in rows]
    line_height = font * _LINE_HEIGHT
    placed: list[tuple[float, float, float, float]] = []
    out, numbered = [], 0
    for theme in sorted(themes, key=lambda t: (-sizes[t], t)):
        points = themes[theme]
        others = [p for t, ps in themes.items() if t != theme for p in ps]
        left, right = min(p[0] for p in points), max(p[0] for p in points)
        top, bottom = min(p[1] for p in points), max(p[1] for p in points)
        cx, cy = (left + right) / 2, (top + bottom) / 2
        best = None
        for wrap in (20, 14, 28):
            lines = wrap_label(theme, wrap)
            w, h = _size(lines, font)
            candidates = [
                (cx, top - h / 2 - 2), (cx, bottom + h / 2 + 2),
                (right + w / 2 + 4, cy), (left - w / 2 - 4, cy),
                (right + w / 2, top - h / 2), (left - w / 2, top - h / 2),
                (right + w / 2, bottom + h / 2), (left - w / 2, bottom + h / 2),
            ]
            for order, (px, py) in enumerate(candidates):
                # Slide inside the map rather than off its edge.
                px = min(max(px, w / 2 + 2), width - w / 2 - 2)
                py = min(max(py, h / 2 + 2), height - h / 2 - 2)
                box = (px - w / 2, py - h / 2, px + w / 2, py + h / 2)
                if any(_overlap(box, other) for other in placed):
                    continue
                if _gap(box, (left, top, right, bottom)) > 14:
                    continue  # slid too far from its outline to read as its name
                inside = lambda pts: sum(box[0] <= x <= box[2] and box[1] <= y <= box[3] for x, y in pts)  # noqa: E731
                if any(box[0] - 9 <= x <= box[2] + 9 and box[1] - 9 <= y <= box[3] + 9 for x, y in dots):
                    continue  # a name over a dot (radius 9 px) hides a statement
                # Crossing another theme's outline is worse than crossing its own; nearer candidates first.
                cost = (3 * inside(others) + inside(points), order)
                if best is None or cost < best[0]:
                    best = (cost, px, py, box, lines)
            if best is not None and best[0][0] == 0:
                break
        if best is None:
            # No room for the name: its number beside the outline, the name listed under the map.
            numbered += 1
            spots = [(cx, top - font * 0.7), (cx, bottom + font * 0.7), (right + font * 0.7, cy),
                     (left - font * 0.7, cy), (cx, cy)]
            px, py = next(((x, y) for x, y in spots
                           if not any(_overlap((x - font * 0.6, y - font * 0.6, x + font * 0.6, y + font * 0.6), b)
                                      for b in placed)), (cx, cy))
            placed.append((px - font * 0.6, py - font * 0.6, px + font * 0.6, py + font * 0.6))
            x, y = to_data(px, py)
            out.append({"theme": theme, "label": str(numbered), "x": round(x, 4), "y": round(y, 4),
                        "numbered": True, "number": numbered, "box": placed[-1]})
            continue
        _, px, py, box, lines = best
        placed.append(box)
        # Vega puts the first line of a multi-line text at y; lift it so the block is centred there.
        x, y = to_data(px, py - (len(lines) - 1) * line_height / 2)
        out.append({"theme": theme, "label": "\n".join(lines), "x": round(x, 4), "y": round(y, 4),
                    "numbered": False, "number": 0, "box": tuple(round(v, 1) for v in box)})
    return out


def semantic_map_chart(rows: list[dict], functions: list[str], height: int = 460,
                       width: float = MAP_WIDTH) -> alt.LayerChart:
    """Statements as dots coloured by function, themes outlined and named; hover shows the statement."""
    functions = list(dict.fromkeys(list(functions) + [r["function"] for r in rows]))
    frame = pd.DataFrame(rows, columns=["x", "y", "function", "statement", "who", "theme"])
    outline_rows = theme_outlines(rows)
    outlines = pd.DataFrame(outline_rows, columns=["theme", "order", "x", "y"])
    label_rows = theme_label_rows(outline_rows, rows, width=width, height=height)
    labels = pd.DataFrame(label_rows, columns=["theme", "label", "x", "y"])
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    # The same domain theme_label_rows placed the names in: outlines and dots.
    xs = list(frame["x"]) + list(outlines["x"])
    ys = list(frame["y"]) + list(outlines["y"])
    x_scale = alt.Scale(domain=[min(xs, default=0), max(xs, default=1)], nice=False, padding=24)
    y_scale = alt.Scale(domain=[min(ys, default=0), max(ys, default=1)], nice=False, padding=36)
    shapes = (
        alt.Chart(outlines)
        .mark_line(interpolate="linear-closed", strokeDash=[6, 4], color="#777", strokeWidth=1.5)
        .encode(
            x=alt.X("x:Q", axis=axis, scale=x_scale),
            y=alt.Y("y:Q", axis=axis, scale=y_scale),
            detail="theme:N",
            order="order:Q",
        )
    )
    names = (
        alt.Chart(labels)
        .mark_text(fontSize=MAP_LABEL_FONT, color=INK, fontWeight="bold", lineBreak="\n", align="center",
                   baseline="middle", lineHeight=MAP_LABEL_FONT * _LINE_HEIGHT)
        .encode(x=alt.X("x:Q", axis=axis, scale=x_scale), y=alt.Y("y:Q", axis=axis, scale=y_scale), text="label:N",
                tooltip=alt.Tooltip("theme:N", title="Theme"))
    )
    dots = (
        alt.Chart(frame)
        .mark_circle(size=260, opacity=0.9, stroke="white", strokeWidth=1.5)
        .encode(
            x=alt.X("x:Q", axis=axis, scale=x_scale),
            y=alt.Y("y:Q", axis=axis, scale=y_scale),
            # No legend inside the chart: it would take its height from the plot the names
            # were placed in. The page draws the key (map_key) above the map instead.
            color=alt.Color("function:N", scale=function_scale(functions), legend=None),
            tooltip=[
                alt.Tooltip("statement:N", title="Said"),
                alt.Tooltip("who:N", title="By"),
                alt.Tooltip("theme:N", title="Theme"),
            ],
        )
    )
    return (shapes + dots + names).properties(height=height).configure_view(strokeWidth=0)


def map_key(rows: list[dict], functions: list[str]) -> list[tuple[str, str]]:
    """(function, colour) for each function on the map, for the key the page draws above it."""
    shown = list(dict.fromkeys(list(functions) + [r["function"] for r in rows]))
    present = {r["function"] for r in rows}
    return [(f, function_colour(f, shown)) for f in shown if f in present]


def numbered_themes(rows: list[dict], width: float = MAP_WIDTH, height: float = 380) -> list[tuple[int, str]]:
    """The themes the map shows by number (their names did not fit): (number, name), for a line under it."""
    labels = theme_label_rows(theme_outlines(rows), rows, width=width, height=height)
    return [(r["number"], r["theme"]) for r in labels if r["numbered"]]


# -- commercial reality ----------------------------------------------------------

CATEGORY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]


def deals_mix_chart(rows: list[dict], title: str = "", height: int = 260) -> alt.Chart:
    """Share of deals per quarter, one stacked bar per quarter (rows from deals.mix_by_quarter)."""
    frame = pd.DataFrame(rows, columns=["quarter", "value", "deals", "weight", "share"])
    values = list(dict.fromkeys(sorted(frame["value"])))
    return (
        alt.Chart(frame, title=alt.Title(title, fontSize=PROJECTED_FONT + 1, anchor="start", color=INK)
                  if title else alt.Undefined)
        .mark_bar()
        .encode(
            x=alt.X("quarter:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("share:Q", stack="normalize", axis=alt.Axis(format="%", title=None)),
            color=alt.Color(
                "value:N",
                scale=alt.Scale(domain=values, range=[CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i in range(len(values))]),
                legend=alt.Legend(title=None, orient="right", labelLimit=260),
            ),
            order=alt.Order("value:N"),
            tooltip=["quarter:N", "value:N", "deals:Q", alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(height=height)
        .configure_axis(labelFontSize=PROJECTED_FONT, titleFontSize=PROJECTED_FONT, labelColor=INK)
        .configure_legend(labelFontSize=PROJECTED_FONT, symbolSize=220, labelColor=INK)
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
            y=alt.Y("stage:N", sort=stages, title=None, axis=alt.Axis(labelLimit=400)),
            x=alt.X("share:Q", scale=alt.Scale(domain=[0, 1]),
                    axis=alt.Axis(format="%", title="share of each function", values=[0, 0.25, 0.5, 0.75, 1])),
            yOffset=alt.YOffset("function:N", sort=functions),
            color=alt.Color("function:N", scale=function_scale(functions),
                            legend=alt.Legend(title=None, orient="top", labelFontSize=PROJECTED_FONT)),
            tooltip=["function:N", "stage:N", "people:Q", alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(height=height)
        .configure_axis(labelFontSize=PROJECTED_FONT, titleFontSize=PROJECTED_FONT, labelColor=INK, titleColor=INK)
        .configure_legend(labelFontSize=PROJECTED_FONT, symbolSize=220, labelColor=INK)
    )
