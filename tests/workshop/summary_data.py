"""A hand-made, fully recorded session for the summary, export and backup tests.

Built directly in the store with a hand-made Report: no embedding model.
The text carries the characters that break naive exports: quotes, markup,
table pipes, emphasis stars, accents and emoji.
"""

from __future__ import annotations

from embeddings.report import DimensionResult, MapPoint, Report, Statement, Theme
from workshop import deals
from workshop.analysis import save_report
from workshop.store import Store

NASTY = 'Zoë said "<script>alert(1)</script>" | *not* _this_ `code` – café 😀 🚀'
PEOPLE = {
    "sales": ["Ana Souza", "Björn Ek", "Chloé Martin"],
    "marketing": ["Dmitri Volkov", "Emma O'Neil"],
}
OLD_BRIEF = (
    "Primary buyer: the Head of Finance at a mid-size manufacturer.\n"
    "\n"
    "Trigger:\n"
    "- A failed audit\n"
    "- Growth beyond spreadsheets\n"
    "\n"
    "Fears:\n"
    "- A failed rollout"
)

# Four quarters of won deals: partners take over from direct sales.
DEALS_CSV = "close date,segment,channel,buyer role,amount,won/lost\n" + "".join(
    f"2026-{month:02d}-10,Enterprise,{'Partner' if month > 6 else 'Direct'},CFO,1000,won\n"
    for month in range(1, 10)
)


def make_session(store: Store, *, show_names: bool = False, full: bool = True):
    """A session with answers, analysis, decisions, reset brief, scorecard, actions."""
    session = store.create_session(
        title="Q3 brief reset — Acmé",
        company="Acmé <GmbH> & Co | *Industrial*",
        facilitator="Fatima Zahra",
        brief=OLD_BRIEF,
        created_at="2026-11-20T09:30:00+00:00",
    )
    if show_names:
        session = store.update_session(session.id, show_names=True)
    texts = {
        "trigger": {
            "sales": ["Procurement now runs a formal RFP", "A new CFO wants one system", NASTY],
            "marketing": ["A failed audit", "Growth beyond spreadsheets"],
        },
        "fears": {
            "sales": ["A failed rollout", "Losing data in the migration", "Being blamed"],
            "marketing": ["A failed rollout", "Migration risk"],
        },
    }
    for function, names in PEOPLE.items():
        for i, name in enumerate(names):
            p = store.add_participant(
                session.id, name, function, joined_at="2026-11-20T09:35:00+00:00",
                submitted_at="2026-11-20T09:50:00+00:00",
            )
            for dim, per_function in texts.items():
                store.put_answer(p.id, dim, per_function[function][i % len(per_function[function])])
    # Someone who joined and never answered did not take part.
    store.add_participant(session.id, "Idle Ivan", "sales")
    if not full:
        return session
    save_report(store, session, make_report())
    store.save_decision(session.id, "trigger", "Procurement-led RFP", "adopt", note=NASTY, side="sales")
    store.save_decision(session.id, "trigger", "Failed audit", "retire", side="marketing")
    store.save_decision(session.id, "fears", "Being blamed", "investigate", note="Ask 3 customers")
    store.set_state(session.id, "reset_brief", {
        "trigger": "- Procurement runs a formal RFP\n- Triggered by a failed audit",
        "fears": "Being blamed for a failed rollout | *really*",
    })
    store.set_state(session.id, "primary_buyer", "The CFO, with procurement in the room 🚀")
    store.set_state(session.id, "next_review", "2027-05-20")
    store.set_state(session.id, "deals", {**deals.parse_deals(DEALS_CSV).to_dict(), "file": "deals.csv"})
    store.set_state(session.id, "reality_notes", "Deals now close through procurement; 60% via partners.")
    store.set_state(session.id, "scorecard", [
        {"name": "MQLs", "influence": "yes", "note": ""},
        {"name": "Win rate | enterprise", "influence": "partly", "note": "needs the proof asset"},
        {"name": "Net revenue", "influence": "no", "note": "<b>not ours</b>"},
    ])
    store.add_action(session.id, "Write the RFP proof pack *now*", owner="Gül Yılmaz", due="2026-12-15",
                     created_at="2026-11-20T11:00:00+00:00")
    store.add_action(session.id, "Update the brief in the wiki", owner="Hana", due="", done=True,
                     created_at="2026-11-20T11:05:00+00:00")
    return store.get_session(session.id)


def make_report() -> Report:
    def st(name, function, text):
        return Statement(name, function, text)

    trigger = DimensionResult(
        key="trigger", verdict="divergent", alignment=0.34,
        why="Sales describes a procurement-led purchase; marketing a failed audit.",
        themes=[
            Theme("Procurement-led RFP", "sales", ["Ana Souza", "Björn Ek", "Chloé Martin"], [
                st("Ana Souza", "sales", "Procurement now runs a formal RFP"),
                st("Björn Ek", "sales", "A new CFO wants one system"),
                st("Chloé Martin", "sales", NASTY),
                st("Ana Souza", "sales", "Procurement now runs a formal RFP"),
            ]),
            Theme("Failed audit", "marketing", ["Dmitri Volkov", "Emma O'Neil"], [
                st("Dmitri Volkov", "marketing", "A failed audit"),
                st("Emma O'Neil", "marketing", "Growth beyond spreadsheets"),
            ], in_brief=True),
            Theme("Growth", "shared", ["Ana Souza", "Emma O'Neil"], [
                st("Ana Souza", "sales", "We are growing"),
                st("Emma O'Neil", "marketing", "Growth beyond spreadsheets"),
            ]),
        ],
        brief_gaps=["Procurement-led RFP"],
        stale_points=["Triggered by a failed audit"],
        map=[MapPoint(0.1, 0.2, "Ana Souza", "sales", "Procurement now runs a formal RFP", 0)],
    )
    fears = DimensionResult(
        key="fears", verdict="aligned", alignment=0.81,
        why="Both name a failed rollout.",
        themes=[Theme("Failed rollout", "shared", ["Ana Souza", "Dmitri Volkov"], [
            st("Ana Souza", "sales", "A failed rollout"),
            st("Dmitri Volkov", "marketing", "A failed rollout"),
        ])],
    )
    return Report([fears, trigger], model="hand-made", has_brief=True)
