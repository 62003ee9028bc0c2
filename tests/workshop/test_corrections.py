"""The facilitator's corrections (issue 11): each one, its replay on a fresh analysis, and its storage."""

import threading

import pytest

from embeddings.report import DimensionResult, MapPoint, Report, Statement, Theme
from workshop import corrections as fix


def s(who, function, text):
    return Statement(who, function, text)


SECURITY = [s("ana", "sales", "IT security review stalls every deal"), s("ben", "sales", "the 300-question vendor risk form")]
SSO = [s("cy", "sales", "they insist on SSO")]
LEGAL = [s("ana", "sales", "legal redlines the BAA"), s("ben", "sales", "BAA redlines take weeks")]
NURSES = [s("dee", "marketing", "nurses aren't tech-savvy"), s("eve", "marketing", "staff find apps hard")]


def report(order=("security", "legal", "nurses"), verdict="divergent"):
    themes = {
        "security": Theme("IT security review", "sales", ["ana", "ben"], list(SECURITY), quote=SECURITY[0].text),
        "legal": Theme("Legal redlines the BAA", "sales", ["ana", "ben"], list(LEGAL) + list(SSO), quote=LEGAL[0].text),
        "nurses": Theme("Nurses aren't tech-savvy", "marketing", ["dee", "eve"], list(NURSES), quote=NURSES[0].text),
    }
    everything = SECURITY + SSO + LEGAL + NURSES
    points = [MapPoint(0, 0, x.participant, x.function, x.text) for x in everything]
    dimension = DimensionResult("objections", verdict, 0.3, "why", [themes[k] for k in order],
                                ["IT security review", "Legal redlines the BAA"], [], points)
    return Report([dimension, DimensionResult("trigger", "aligned", 0.8, "why")])


def labels(rep, key="objections"):
    return [t.label for t in rep.dimension(key).themes]


def find(rep, label, key="objections"):
    return next(t for t in rep.dimension(key).themes if t.label == label)


def test_override_a_verdict_with_a_reason():
    with pytest.raises(fix.CorrectionError):
        fix.override_verdict("trigger", "divergent", "  ")
    c = fix.override_verdict("trigger", "divergent", "Sellers now meet the CFO, not the AP manager")
    out = fix.apply(report(), [c])
    trigger = out.report.dimension("trigger")
    assert trigger.verdict == "divergent"
    assert trigger.override == {"from": "aligned", "reason": "Sellers now meet the CFO, not the AP manager"}
    assert report().dimension("trigger").verdict == "aligned"  # the raw report is untouched


def test_move_a_statement_out_of_a_theme_and_into_another():
    rep = report()
    sso = SSO[0]
    out = fix.apply(rep, [fix.move("objections", sso, find(rep, "Legal redlines the BAA"), find(rep, "IT security review"))])
    assert sso in find(out.report, "IT security review").statements
    assert sso not in find(out.report, "Legal redlines the BAA").statements
    assert find(out.report, "IT security review").participants == ["ana", "ben", "cy"]
    out = fix.apply(rep, [fix.move("objections", sso, find(rep, "Legal redlines the BAA"), None)])
    assert all(sso not in t.statements for t in out.report.dimension("objections").themes)
    point = next(p for p in out.report.dimension("objections").map if p.text == sso.text)
    assert point.theme is None


def test_merge_split_rename_side_and_dismiss():
    rep = report()
    merged = fix.apply(rep, [fix.merge("objections", find(rep, "Legal redlines the BAA"), find(rep, "IT security review"))])
    assert labels(merged.report) == ["IT security review", "Nurses aren't tech-savvy"]
    assert "merged by the facilitator" in find(merged.report, "IT security review").corrected

    split = fix.apply(rep, [fix.split("objections", find(rep, "Legal redlines the BAA"), SSO)])
    assert labels(split.report) == ["IT security review", "Legal redlines the BAA", "they insist on SSO",
                                    "Nurses aren't tech-savvy"]
    with pytest.raises(fix.CorrectionError):
        fix.split("objections", find(rep, "IT security review"), SECURITY)  # not all of it

    renamed = fix.apply(rep, [fix.rename("objections", find(rep, "IT security review"), "Security review")])
    assert labels(renamed.report)[0] == "Security review"

    sided = fix.apply(rep, [fix.set_side("objections", find(rep, "Nurses aren't tech-savvy"), "shared")])
    assert find(sided.report, "Nurses aren't tech-savvy").side == "shared"

    gone = fix.apply(rep, [fix.dismiss("objections", find(rep, "IT security review"))])
    assert "IT security review" not in labels(gone.report)
    assert gone.report.dimension("objections").dismissed == ["IT security review"]
    assert "IT security review" not in gone.report.dimension("objections").brief_gaps


def test_a_theme_both_sides_now_speak_in_is_shared():
    rep = report()
    out = fix.apply(rep, [fix.move("objections", NURSES[0], find(rep, "Nurses aren't tech-savvy"),
                                   find(rep, "IT security review"))])
    assert find(out.report, "IT security review").side == "shared"


def test_corrections_replay_on_a_fresh_analysis_with_other_labels_and_order():
    rep = report()
    made = [fix.rename("objections", find(rep, "IT security review"), "Security review"),
            fix.merge("objections", find(rep, "Legal redlines the BAA"), find(rep, "IT security review"))]
    fresh = report(order=("nurses", "legal", "security"))
    for theme in fresh.dimension("objections").themes:
        theme.label = theme.label.upper()  # the re-analysis named them differently
    out = fix.apply(fresh, made)
    assert [t.label for t in out.report.dimension("objections").themes] == ["NURSES AREN'T TECH-SAVVY", "Security review"]
    assert not out.stale


def test_a_correction_whose_statements_are_gone_no_longer_applies():
    rep = report()
    c = fix.rename("objections", find(rep, "Nurses aren't tech-savvy"), "Tech fear")
    fresh = report()
    fresh.dimension("objections").themes.pop()  # those answers were deleted
    out = fix.apply(fresh, [c])
    assert out.stale == [c] and not out.applied


def test_round_trip_through_the_store_and_two_tabs_at_once(store, session):
    rep = report()
    first = fix.rename("objections", find(rep, "IT security review"), "Security review")
    fix.add(store, session.id, first)
    assert [c.to_dict() for c in fix.load(store, session.id)] == [first.to_dict()]
    made = [fix.dismiss("objections", find(rep, "IT security review")) for _ in range(20)]
    threads = [threading.Thread(target=fix.add, args=(store, session.id, c)) for c in made]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(fix.load(store, session.id)) == 21  # none lost
    fix.undo(store, session.id, first.id)
    assert first.id not in [c.id for c in fix.load(store, session.id)]
