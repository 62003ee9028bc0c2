"""The demo session: a populated workshop a new user can open at once.

Ledgerline sells accounts-payable automation to mid-market companies. Its
brief of record still describes the AP manager drowning in invoices; the
sellers now meet CFOs in the middle of an ERP migration who have just been
hit by a fake "new bank details" email and have auditors asking about AP
controls. Triggers, fears and evidence have drifted; the comparison set and
the objections are the same points in different words.

Answers are written the way people type in a workshop: sales concrete and
anecdotal, marketing in the brief's language; bullets, run-on lines, lower
case, abbreviations; two answers left blank.
"""

from __future__ import annotations

from workshop.models import MARKETING, SALES, Session
from workshop.session_import import Person, SessionData, import_session
from workshop.store import Store, StoreError, now

DEMO_SESSION_ID = "demo"
DEMO_TITLE = "Ledgerline: Q4 brief reset (demo)"
DEMO_COMPANY = "Ledgerline"
DEMO_FACILITATOR = "Claire Donovan (RevOps)"
# Set once every answer is in, so a creation cut short is redone, not shown.
COMPLETE_FLAG = "demo_complete"

DEMO_BRIEF = """\
# Customer brief: Ledgerline AP Automation

*Brief of record. Owner: Product Marketing. Approved February 2025, reviewed annually.*

## Primary buyer
The AP manager or controller of a mid-market company (200-2,000 employees)
processing 2,000 to 20,000 supplier invoices a month. The AP manager is our
champion and runs the evaluation; the controller signs.

## Triggers
- Invoice volume has grown faster than the AP team; the backlog stretches the
  month-end close.
- Late-payment fees and missed early-payment discounts show up in the numbers.
- A key AP clerk leaves and the paper-and-email process falls apart.

## Comparison set
Manual processing in the ERP with email approvals and spreadsheets, the ERP
vendor's own AP add-on, and other AP automation suites. Buyers compare us on
invoice capture accuracy, approval workflow flexibility and price per invoice.

## Fears
- The AP team sees automation as a threat to their jobs and resists the change.
- Approvers ignore the new workflow and invoices get stuck.
- Suppliers are confused by a new way to submit invoices.

## Objections
- "Our ERP can already do this."
- "Per-invoice pricing gets expensive as we grow."
- "We don't have IT time for an integration project."

## Proof
- The ROI calculator: hours saved and early-payment discounts captured.
- A live demo with the prospect's own invoices.
- Customer stories and G2 Leader badges.
"""

# participant -> (function, {prompt key: answer}); a missing key is a blank answer.
DEMO_ANSWERS: dict[str, tuple[str, dict[str, str]]] = {
    "Priya S.": (SALES, {
        "trigger": "- they're moving off Dynamics GP to NetSuite this spring\n"
                   "- controller got burned by a fake 'new bank details' email last quarter",
        "compare": "NetSuite's own bill capture (they think it's free, it isn't really)\n"
                   "Tipalti, on nearly every deal",
        "fears": "wiring 80k to a fraudster because someone changed a vendor's bank account by email",
        "objections": "per-invoice fee once they do the math on 12k invoices/month\n"
                      "'NetSuite can do this'",
        "evidence": "- SOC 1 Type II report, the auditors ask for it before anything else\n"
                    "- reference call with a customer who went live during their NS migration",
    }),
    "Tom Becker": (SALES, {
        "trigger": "ERP replatform. 3 of my last 4 deals started at the S/4 or NetSuite "
                   "project kickoff",
        "compare": "1) native ERP AP module 2) Bill.com for the smaller ones 3) 'our current "
                   "process' = PDFs in a shared inbox",
        "fears": "audit finding on AP controls, the CFO does not want a material weakness "
                 "in the 10-K\n"
                 "duplicate payments during cutover from the old ERP to the new one",
        "objections": "IT says they're buried in the ERP project, no capacity for another "
                      "integration\nprice per invoice",
        "evidence": "our SOC reports + a controls walkthrough with their internal audit\n"
                    "someone on the same ERP who'll take a call",
    }),
    "Jess O'Neill": (SALES, {
        "trigger": "BEC attempt / vendor bank change scam. CFO wants controls on the vendor "
                   "master yesterday",
        "compare": "Tipalti and Stampli, on speed of go-live and how clean the ERP sync is",
        "fears": "being the one who approved the payment to the fake bank account",
        "objections": "'we'll just use what comes with the ERP'\n"
                      "implementation pulls IT away from the migration",
        "evidence": "- live walkthrough of the bank-detail change check (callback + dual "
                    "approval) catching a fraud attempt\n"
                    "- security questionnaire turned around in days not weeks",
    }),
    "Rafa Mendes": (SALES, {
        "trigger": "1) new ERP going in next year 2) auditors flagged segregation of duties in payables",
        "compare": "excel + email approvals, honestly still the main competitor",
        "fears": "- failing SOX testing on AP\n"
                 "- cutover to the new ERP double-pays vendors or misses a payment run",
        "objections": "pricing per invoice gets scary at volume",
        "evidence": "SOC 1 type 2, period. then a reference on the same ERP version",
    }),
    "Kenji Watanabe": (SALES, {
        "trigger": "pre-IPO SOX readiness project, the auditors want every control documented\n"
                   "migration to D365",
        "fears": "a fraudulent vendor payment that ends up in the board deck",
        "objections": "'our ERP partner says they can build this'\nno IT time for the integration",
        "evidence": "fraud controls demo: how we catch a changed IBAN before the payment run",
    }),
    "Hannah Cole": (MARKETING, {
        "trigger": "Invoice volume growing faster than the AP team can handle\n"
                   "Month-end close slipping because of the AP backlog",
        "compare": "- Manual processing with email approvals and spreadsheets\n"
                   "- Native ERP AP modules\n"
                   "- Best-of-breed AP automation suites",
        "fears": "- AP staff see automation as a threat to their jobs\n"
                 "- Approvers won't adopt the new workflow",
        "objections": "- \"Our ERP already does this\"\n"
                      "- Per-invoice pricing doesn't scale\n"
                      "- No IT resources for the integration",
        "evidence": "- ROI calculator (hours saved, discounts captured)\n"
                    "- G2 Leader badges and customer case studies",
    }),
    "Oliver Grant": (MARKETING, {
        "trigger": "late payment fees and missed early-pay discounts",
        "fears": "team pushback - clerks worried about being replaced",
        "objections": "cost per invoice as they grow\nERP add-on is 'good enough'",
        "evidence": "ROI calc + customer stories",
    }),
    "Sofia Ricci": (MARKETING, {
        "trigger": "- AP backlog at month end\n"
                   "- a key AP clerk leaves and the process falls apart",
        "compare": "status quo: paper, PDFs, approvals by email\n"
                   "other AP suites on capture accuracy and price per invoice",
        "fears": "invoices stuck with approvers who ignore the new tool\n"
                 "suppliers confused by a new portal",
        "objections": "integration effort with their ERP, IT has no bandwidth",
        "evidence": "case studies + review-site ratings\nlive demo with their own invoices",
    }),
    "Lena Brandt": (MARKETING, {
        "trigger": "missing early payment discounts, late fees adding up",
        "compare": "ERP built-in AP features, on workflow flexibility",
        "fears": "change resistance in the AP team",
        "objections": "'We can do this in our ERP'\npricing that scales with volume",
        "evidence": "ROI calculator results from the website\nG2 grid position",
    }),
}


def ensure_demo_session(store: Store) -> Session:
    """The demo session, created once with its answers in and collection closed.

    Idempotent: identified by its fixed id. Call it from one place at start-up
    (`python -m workshop demo`, which `bin/app` runs); a creation that was cut
    short (no completion flag) is redone.
    """
    session = store.get_session(DEMO_SESSION_ID)
    if session is not None and store.get_state(session.id, COMPLETE_FLAG):
        return session
    stamp = now()
    people = [
        Person(name, function, answers=dict(answers), submitted_at=stamp)
        for name, (function, answers) in DEMO_ANSWERS.items()
    ]
    try:
        # One transaction: a creation cut short leaves nothing. A demo from before
        # that (no completion flag) is replaced in the same transaction.
        session = import_session(
            store,
            SessionData(DEMO_TITLE, company=DEMO_COMPANY, brief=DEMO_BRIEF,
                        facilitator=DEMO_FACILITATOR, session_id=DEMO_SESSION_ID,
                        people=people, collection_open=False, created_at=stamp,
                        state={COMPLETE_FLAG: True}),
            replace=session is not None,
        )
    except StoreError:
        # Another process created it a moment ago.
        return store.get_session(DEMO_SESSION_ID)  # type: ignore[return-value]
    return session
