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
    assert rows[0] == {"key": "trigger", "prompt": "Trigger", "alignment": 0.31, "verdict": "divergent",
                       "why": rows[0]["why"]}
    assert [r["key"] for r in charts.reveal_rows(sample_report(), exclude=("trigger",))][0] == "objections"


def test_reveal_chart_keeps_its_signature_and_shows_verdict_and_score():
    chart = charts.reveal_chart(sample_report(), {"trigger": "What triggers it"})
    assert isinstance(chart, alt.TopLevelMixin)
    text = spec(chart)
    assert "What triggers it" in text and "divergent \\u00b7 0.31" in text
    assert FUNCTION_COLOURS["sales"] in text and FUNCTION_COLOURS["marketing"] in text
    empty = charts.reveal_chart(Report(dimensions=[]))
    empty.to_dict()


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
    labels = charts.theme_label_rows(outlines)
    assert {label["theme"] for label in labels} == themes
    assert all(len(label["label"]) <= 33 for label in labels)
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


def test_short_labels_cut_at_a_word():
    assert charts.short_label("Price per seat") == "Price per seat"
    assert charts.short_label("ERP replatform. 3 of my last 4 deals started at the kickoff") == "ERP replatform. 3 of my last 4…"
    assert charts.short_label("x" * 50) == "x" * 32 + "…"
