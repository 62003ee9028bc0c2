import json

import altair as alt

from embeddings.report import DimensionResult, MapPoint, Report, Theme
from tests.reset_sample import sample_report
from workshop import charts
from workshop.charts import FUNCTION_COLOURS


def spec(chart) -> str:
    return json.dumps(chart.to_dict())


def test_reveal_rows_most_divergent_first_insufficient_last():
    rows = charts.reveal_rows(sample_report())
    assert [r["key"] for r in rows] == ["trigger", "objections", "evidence", "compare", "fears"]
    assert (rows[0]["key"], rows[0]["prompt"], rows[0]["alignment"], rows[0]["verdict"]) == (
        "trigger", "Trigger", 0.31, "divergent")
    assert [r["key"] for r in charts.reveal_rows(sample_report(), exclude=("trigger",))][0] == "objections"


def test_reveal_chart_keeps_its_signature_and_shows_verdict_score_and_how_sure():
    chart = charts.reveal_chart(sample_report(), {"trigger": "What triggers it"})
    assert isinstance(chart, alt.TopLevelMixin)
    text = spec(chart)
    assert "What triggers it" in text and "divergent \\u00b7 0.31 \\u00b7 clear" in text
    assert "aligned \\u00b7 0.72 \\u00b7 leaning" in text
    assert "not enough answers \\u00b7 0.50 \\u00b7 thin" in text
    assert FUNCTION_COLOURS["sales"] in text and FUNCTION_COLOURS["marketing"] in text
    empty = charts.reveal_chart(Report(dimensions=[]))
    empty.to_dict()


def test_reveal_words_start_at_the_left_edge_so_a_long_bar_never_cuts_them():
    # Issue 15 item 5: "aligned · 1.0C" was cut off right of a full bar.
    layers = charts.reveal_chart(sample_report()).to_dict()["layer"]
    words = next(layer for layer in layers if layer["mark"]["type"] == "text")
    assert words["mark"]["x"] == 0 and words["mark"]["align"] == "left"
    assert "x" not in words["encoding"]  # not placed by the score
    bars = next(layer for layer in layers if layer["mark"]["type"] == "bar")
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1]


def _font_sizes(node, path=""):
    """Every font size a chart spec sets, with where."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("fontSize", "labelFontSize", "titleFontSize") and isinstance(value, (int, float)):
                found.append((f"{path}.{key}", value))
            found += _font_sizes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _font_sizes(value, f"{path}[{index}]")
    return found


def _projected_charts():
    report = sample_report()
    rows = charts.map_rows(report.dimension("trigger"))
    deals = [{"quarter": "2026 Q1", "value": "Inbound", "deals": 3, "weight": 3, "share": 1.0}]
    stages = [{"function": "sales", "stage": "Choosing a vendor", "order": 4, "people": 2, "share": 1.0}]
    return {
        "reveal": charts.reveal_chart(report),
        "map": charts.semantic_map_chart(rows, ["sales", "marketing"]),
        "deals": charts.deals_mix_chart(deals, "Channel mix"),
        "readiness": charts.readiness_chart(stages, ["sales", "marketing"]),
    }


def test_no_projected_chart_text_is_under_18_px():
    # Issue 15 item 5: the reveal's axis and legend were 12-14 px grey.
    for name, chart in _projected_charts().items():
        data = chart.to_dict()
        sizes = _font_sizes(data)
        assert sizes, name
        small = [(where, size) for where, size in sizes if size < charts.PROJECTED_FONT]
        assert not small, (name, small)
        config = data.get("config", {})
        # Vega-Lite's own defaults (11 px) apply where nothing is set: set axis and legend text explicitly.
        if "axis" in config:
            assert config["axis"].get("labelFontSize", 0) >= 18 and config["axis"].get("titleFontSize", 0) >= 18, name
        if "legend" in config:
            assert config["legend"].get("labelFontSize", 0) >= 18, name


def test_map_rows_are_anonymous_unless_names_are_shown():
    dim = sample_report().dimension("trigger")
    rows = charts.map_rows(dim)
    assert {r["who"] for r in rows} == {"Sales", "Marketing"}
    assert all(r["theme"] for r in rows)
    assert {r["who"] for r in charts.map_rows(dim, show_names=True)} >= {"Ana", "Eva"}
    assert not any("Ana" in r["who"] for r in rows)


def _inside(x, y, polygon):
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def test_theme_outlines_enclose_every_dot_of_their_theme():
    rows = charts.map_rows(sample_report().dimension("trigger"))
    outlines = charts.theme_outlines(rows)
    themes = {r["theme"] for r in rows}
    assert {o["theme"] for o in outlines} == themes
    for theme in themes:
        polygon = [(o["x"], o["y"]) for o in sorted(
            (o for o in outlines if o["theme"] == theme), key=lambda o: o["order"])]
        assert len(polygon) >= 3
        for r in rows:
            if r["theme"] == theme:
                assert _inside(r["x"], r["y"], polygon)
    labels = charts.theme_label_rows(outlines, rows)
    assert {label["theme"] for label in labels} == themes
    # A dot without a theme gets no outline; an empty map gets none.
    assert charts.theme_outlines([{"x": 0, "y": 0, "theme": ""}]) == []
    assert charts.theme_outlines([]) == []


def test_semantic_map_uses_the_fixed_pair_and_hover_shows_the_statement():
    rows = charts.map_rows(sample_report().dimension("trigger"))
    text = spec(charts.semantic_map_chart(rows, ["sales", "marketing"]))
    assert FUNCTION_COLOURS["sales"] in text and FUNCTION_COLOURS["marketing"] in text
    assert "Procurement now sends an RFP before we ever meet the CFO" in text
    assert '"tooltip"' in text and "statement" in text
    assert "linear-closed" in text
    charts.semantic_map_chart([], ["sales", "marketing"]).to_dict()


def test_semantic_map_with_a_third_function():
    dim = DimensionResult("trigger", "divergent", 0.2, "", [Theme("t", "shared", ["a"], [])],
                          map=[MapPoint(0, 0, "a", "customer success", "x", 0), MapPoint(1, 1, "b", "sales", "y", None)])
    text = spec(charts.semantic_map_chart(charts.map_rows(dim), ["sales", "marketing", "customer success"]))
    assert FUNCTION_COLOURS["customer success"] in text


def test_deals_mix_chart_stacks_shares_by_quarter():
    rows = [
        {"quarter": "2026 Q1", "value": "Inbound", "deals": 3, "weight": 3, "share": 0.75},
        {"quarter": "2026 Q1", "value": "Partner", "deals": 1, "weight": 1, "share": 0.25},
    ]
    chart = charts.deals_mix_chart(rows, "Channel mix")
    text = spec(chart)
    assert '"normalize"' in text and "Channel mix" in text and "Partner" in text
    charts.deals_mix_chart([]).to_dict()


def test_readiness_chart_colours_each_function():
    rows = [
        {"function": "sales", "stage": "Choosing a vendor", "order": 4, "people": 2, "share": 1.0},
        {"function": "marketing", "stage": "Not yet aware of a problem", "order": 0, "people": 1, "share": 1.0},
    ]
    text = spec(charts.readiness_chart(rows, ["sales", "marketing"]))
    assert FUNCTION_COLOURS["sales"] in text and FUNCTION_COLOURS["marketing"] in text
    assert "yOffset" in text
    charts.readiness_chart([], ["sales", "marketing"]).to_dict()


def test_wrapped_labels_keep_every_word():
    assert charts.wrap_label("Price per seat") == ["Price per seat"]
    long = "ERP replatform. 3 of my last 4 deals started at the kickoff"
    lines = charts.wrap_label(long)
    assert " ".join(lines) == long and len(lines) <= 3


def _crowded_rows(themes=9, seed=3):
    import random

    rng = random.Random(seed)
    rows = []
    for t in range(themes):
        cx, cy = rng.uniform(-4, 4), rng.uniform(-3, 3)
        for k in range(rng.randint(1, 4)):
            rows.append({"x": cx + rng.uniform(-0.4, 0.4), "y": cy + rng.uniform(-0.4, 0.4), "function": "sales",
                         "statement": "s", "who": "Sales", "theme": f"Theme number {t} with a few words"})
    return rows


def test_theme_names_on_the_map_never_overlap_each_other_or_a_dot():
    # Issue 15 item 5: map labels overlapped ("migration to D365" over "new ERP going in").
    for seed in range(12):
        rows = _crowded_rows(seed=seed)
        width, height = charts.MAP_WIDTH, 380
        labels = charts.theme_label_rows(charts.theme_outlines(rows), rows, width=width, height=height)
        assert {label["theme"] for label in labels} == {r["theme"] for r in rows}
        boxes = [label["box"] for label in labels]
        for i, a in enumerate(boxes):
            assert 0 <= a[0] and a[2] <= width and 0 <= a[1] and a[3] <= height, (seed, labels[i])
            for b in boxes[i + 1:]:
                assert not charts._overlap(a, b, gap=0), (seed, a, b)
        # A name that fits nowhere is a number, listed under the map; every name appears once.
        numbered = charts.numbered_themes(rows, width, height)
        shown = [label["label"].replace("\n", " ") for label in labels if not label["numbered"]]
        assert sorted(shown + [name for _, name in numbered]) == sorted({r["theme"] for r in rows})
