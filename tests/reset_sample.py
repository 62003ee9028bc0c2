"""A realistic stored analysis for the reset-session tests and screenshots.

Hand-made, stored the way `workshop.analysis.run_analysis` stores a report
(with the fingerprint of the answers, so it is not stale), so the reset pages
can be tested without the embedding model.
"""

from __future__ import annotations

import math

from embeddings.report import DimensionResult, MapPoint, Report, Statement, Theme

BRIEF = """# Brief of record: mid-market finance lead

## Trigger
- Month-end close takes more than ten days
- The team outgrows spreadsheets

## Compare
- Spreadsheets and the ERP add-on, on total cost

## Fears
- A failed rollout that lands on their desk

## Objections
- Price per seat
- Migration effort

## Evidence
- Customer logos from their industry
- A product demo
"""

SALES = ["Ana", "Ben", "Chen", "Dita"]
MARKETING = ["Eva", "Femi", "Gus"]


def _theme(label, side, said, in_brief=None):
    statements = [Statement(who, fn, text) for who, fn, text in said]
    people = list(dict.fromkeys(s.participant for s in statements))
    return Theme(label, side, people, statements, in_brief)


def _map(themes, centres):
    points = []
    for index, (theme, (cx, cy)) in enumerate(zip(themes, centres)):
        for k, s in enumerate(theme.statements):
            angle = 2 * math.pi * k / max(len(theme.statements), 1)
            points.append(MapPoint(cx + 0.9 * math.cos(angle), cy + 0.7 * math.sin(angle),
                                   s.participant, s.function, s.text, index))
    return points


def sample_report() -> Report:
    trigger = [
        _theme("Procurement runs a formal tender", "sales", [
            ("Ana", "sales", "Procurement now sends an RFP before we ever meet the CFO"),
            ("Ben", "sales", "A tender with three vendors is the new normal"),
            ("Chen", "sales", "Purchasing joins the first call and asks for a price list"),
        ], False),
        _theme("Audit finding on manual reconciliation", "sales", [
            ("Dita", "sales", "Their auditor flagged manual reconciliations"),
            ("Ben", "sales", "An audit finding forces the project"),
        ], False),
        _theme("Month-end close is too slow", "shared", [
            ("Ana", "sales", "Closing the books takes two weeks"),
            ("Eva", "marketing", "Month-end close takes more than ten days"),
            ("Femi", "marketing", "Finance works weekends at month end"),
        ], True),
        _theme("Outgrowing spreadsheets", "marketing", [
            ("Eva", "marketing", "They outgrow spreadsheets"),
            ("Gus", "marketing", "Excel breaks once they pass 50 entities"),
        ], True),
    ]
    objections = [
        _theme("Security review takes months", "sales", [
            ("Chen", "sales", "IT security review blocks the deal for a quarter"),
            ("Dita", "sales", "They want SOC 2 before the pilot"),
        ], False),
        _theme("Price per seat", "shared", [
            ("Ana", "sales", "Price per seat versus a flat fee"),
            ("Femi", "marketing", "Per-seat pricing looks expensive"),
        ], True),
        _theme("Migration effort", "marketing", [
            ("Gus", "marketing", "Migration looks like a big project"),
            ("Eva", "marketing", "Fear of moving historic data"),
        ], True),
    ]
    evidence = [
        _theme("Reference call with a peer", "shared", [
            ("Ben", "sales", "A reference call with a company their size"),
            ("Eva", "marketing", "Peer references close deals"),
            ("Gus", "marketing", "Talking to a customer like them"),
        ], False),
        _theme("Pilot on their own data", "sales", [
            ("Chen", "sales", "A two-week pilot on their own data"),
            ("Ana", "sales", "Seeing their own numbers reconcile"),
        ], False),
    ]
    compare = [
        _theme("ERP add-on on total cost", "shared", [
            ("Dita", "sales", "The ERP module they already pay for"),
            ("Femi", "marketing", "ERP add-on, total cost of ownership"),
        ], True),
    ]
    dims = [
        DimensionResult(
            "trigger", "divergent", 0.31,
            "Sales names a tender and an audit finding; marketing names the slow close.",
            trigger, brief_gaps=["Procurement runs a formal tender", "Audit finding on manual reconciliation"],
            stale_points=["The team outgrows spreadsheets"],
            map=_map(trigger, [(-3, 2), (-2.5, -2.5), (1, 0), (3.5, 2.5)]),
            strength="clear", strength_note="Clear: 4 sales and 3 marketing people answered; the margin is wide.",
            people={"sales": 4, "marketing": 3},
        ),
        DimensionResult(
            "objections", "divergent", 0.44,
            "Security reviews come up only in sales answers.",
            objections, brief_gaps=["Security review takes months"], stale_points=[],
            map=_map(objections, [(-3, 0), (0, 1), (3, -1)]),
            strength="clear", people={"sales": 4, "marketing": 3},
        ),
        DimensionResult("evidence", "aligned", 0.72, "Both sides name peer references.",
                        evidence, brief_gaps=["Pilot on their own data"], stale_points=["A product demo"],
                        map=_map(evidence, [(0, 0), (-3, 2)]), strength="leaning",
                        strength_note="Leaning: 3 marketing people answered; read their statements before deciding.",
                        people={"sales": 3, "marketing": 3}),
        DimensionResult("compare", "aligned", 0.81, "Both sides name the ERP add-on.", compare,
                        map=_map(compare, [(0, 0)]), strength="clear", people={"sales": 1, "marketing": 1}),
        DimensionResult("fears", "insufficient", 0.5, "Only two people answered.", [], strength="thin",
                        strength_note="Thin: 1 sales and 1 marketing person answered, too few to say.",
                        people={"sales": 1, "marketing": 1}),
    ]
    return Report(dimensions=dims, model="hand-made", has_brief=True)


def make_session(store, closed: bool = True):
    """A session with seven participants who answered, and the sample report stored."""
    session = store.create_session("Q3 brief reset", company="Northwind Ledger", brief=BRIEF)
    for name in SALES:
        p = store.add_participant(session.id, name, "sales", submitted_at="2026-11-23T10:00:00+00:00")
        store.put_answer(p.id, "trigger", f"{name}'s trigger answer")
    for name in MARKETING:
        p = store.add_participant(session.id, name, "marketing", submitted_at="2026-11-23T10:00:00+00:00")
        store.put_answer(p.id, "trigger", f"{name}'s trigger answer")
    if closed:
        store.set_collection_open(session.id, False)
    session = store.get_session(session.id)
    store_report(store, session, sample_report())
    return session


def store_report(store, session, report: Report) -> None:
    """Store `report` as the current (not stale) analysis of the session's answers."""
    from workshop.analysis import fingerprint

    store.set_state(session.id, "analysis", {
        "fingerprint": fingerprint(store.answers(session.id), session.brief, session.dimension_keys,
                                   session.functions),
        "report": report.to_dict(),
    })
