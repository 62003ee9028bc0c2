from datetime import date

import json

import pytest

from workshop import deals
from workshop.deals import DealsError

GOOD = (
    "Opportunity Name,Close Date,Customer Segment,Lead Source,Buyer Role,Amount,Stage,Owner\n"
    "Acme,2025-10-03,Mid-market,Inbound,CFO,\"12,500\",Closed Won,Ana\n"
    "Beta,2025-11-20,Enterprise,Partner,Procurement,80000,Closed Won,Ben\n"
    "Gamma,not a date,SMB,Inbound,CFO,100,Closed Won,Chen\n"
    "Delta,2026-02-14,Enterprise,Partner,Procurement,90000,Closed Lost,Dita\n"
    "Eps,2026-03-01,Enterprise,Partner,Procurement,abc,Closed Won,Ana\n"
    "Zeta,2026-05-09,Enterprise,Partner,Procurement,\"€40,000\",Closed Won,Ben\n"
    "Eta,2026-08-30,Mid-market,Outbound,Head of Finance,30000,won,Chen\n"
    "Theta,2026-09-02,Enterprise,Partner,Procurement,50000,maybe,Ana\n"
    "\n"
    "Old,2024-01-10,SMB,Inbound,Controller,5000,Closed Won,Ana\n"
)


def test_tolerant_headers_extra_columns_ignored_bad_rows_by_line():
    parsed = deals.parse_deals(GOOD.encode())
    assert parsed.columns == {
        "close_date": "Close Date", "segment": "Customer Segment", "channel": "Lead Source",
        "buyer_role": "Buyer Role", "amount": "Amount", "outcome": "Stage",
    }
    assert parsed.ignored == ["Opportunity Name", "Owner"]
    assert [d.line for d in parsed.deals] == [2, 3, 5, 7, 8, 11]
    assert len(parsed.problems) == 3
    assert parsed.problems[0].startswith("line 4:") and "date" in parsed.problems[0]
    assert parsed.problems[1].startswith("line 6:") and "amount" in parsed.problems[1]
    assert parsed.problems[2].startswith("line 9:") and "won/lost" in parsed.problems[2]
    first = parsed.deals[0]
    assert (first.close_date, first.segment, first.channel, first.buyer_role, first.amount, first.won) == (
        "2025-10-03", "Mid-market", "Inbound", "CFO", 12500.0, True)
    assert parsed.deals[2].won is False
    assert parsed.deals[3].amount == 40000.0


def test_semicolons_european_numbers_and_day_first_dates():
    text = "Datum geschlossen;Segment;Kanal;Rolle;Wert\n13.02.2026;KMU;Partner;CFO;1.234,50\n01.03.2026;KMU;Web;CFO;99\n"
    # Headers in another language match nothing for the date: refused with what was found.
    with pytest.raises(DealsError, match="close date"):
        deals.parse_deals(text)
    text = "closed_on;segment;channel;role;value\n13.02.2026;KMU;Partner;CFO;1.234,50\n01.03.2026;KMU;Web;CFO;99\n"
    parsed = deals.parse_deals(text)
    assert [d.close_date for d in parsed.deals] == ["2026-02-13", "2026-03-01"]
    assert parsed.deals[0].amount == 1234.5


def test_month_first_dates_are_recognised_from_the_file():
    text = "close date,segment\n02/13/2026,SMB\n03/01/2026,SMB\n"
    parsed = deals.parse_deals(text)
    assert [d.close_date for d in parsed.deals] == ["2026-02-13", "2026-03-01"]


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"PK\x03\x04\x00\x00binary", "not a CSV"),
    (b"name,owner\nAcme,Ana\n", "close date"),
    (b"close date,amount\n2026-01-01,5\n", "segment"),
    (b"close date,segment\nyesterday,SMB\nsoon,SMB\n", "No row could be read"),
])
def test_a_wholly_bad_file_is_refused_with_a_reason(data, message):
    with pytest.raises(DealsError, match=message):
        deals.parse_deals(data)


def test_latin1_file_is_read():
    parsed = deals.parse_deals("close date,segment\n2026-01-05,Bürgerliche Gesellschaft\n".encode("cp1252"))
    assert parsed.deals[0].segment == "Bürgerliche Gesellschaft"


@pytest.mark.parametrize("value, expected", [
    ("12500", 12500.0), ("€12,500", 12500.0), ("12.500,00", 12500.0), ("1,234.56", 1234.56),
    ("12,5", 12.5), ("", None), ("(300)", -300.0),
])
def test_amounts(value, expected):
    assert deals.parse_amount(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("Closed Won", True), ("WON", True), ("closed-lost", False), ("Lost", False), ("", None), ("1", True),
])
def test_outcomes(value, expected):
    assert deals.parse_outcome(value) == expected


def test_last_four_quarters_end_with_the_given_day():
    assert deals.last_quarters(date(2026, 2, 1)) == ["2025 Q2", "2025 Q3", "2025 Q4", "2026 Q1"]


def test_mix_counts_won_deals_of_the_last_quarters_only():
    parsed = deals.parse_deals(GOOD)
    rows = deals.mix_by_quarter(parsed.deals, "channel", quarters=4)
    # Latest close date 2026-08-30 -> 2025 Q4 .. 2026 Q3; the 2024 deal and the lost one are out.
    assert {r["quarter"] for r in rows} == {"2025 Q4", "2026 Q2", "2026 Q3"}
    by = {(r["quarter"], r["value"]): r for r in rows}
    assert by[("2025 Q4", "Inbound")]["share"] == 0.5
    assert by[("2025 Q4", "Partner")]["share"] == 0.5
    assert by[("2026 Q3", "Outbound")]["share"] == 1.0
    for quarter in {r["quarter"] for r in rows}:
        assert sum(r["share"] for r in rows if r["quarter"] == quarter) == pytest.approx(1.0)
    # By default the chart shows eight quarters: the last four and the four before.
    assert deals.mix_by_quarter(parsed.deals, "channel") == rows  # nothing in 2024 Q4 .. 2025 Q3
    assert deals.outside_periods(parsed.deals) == 1  # the 2024 deal, said in the caption


def test_mix_by_amount_and_without_outcome_column():
    parsed = deals.parse_deals(GOOD)
    rows = deals.mix_by_quarter(parsed.deals, "buyer_role", weight="amount")
    by = {(r["quarter"], r["value"]): r for r in rows}
    assert by[("2025 Q4", "Procurement")]["share"] == pytest.approx(80000 / 92500, abs=1e-3)
    no_outcome = deals.parse_deals("close date,segment\n2026-01-05,SMB\n2026-01-06,\n")
    rows = deals.mix_by_quarter(no_outcome.deals, "segment")
    assert {r["value"]: r["deals"] for r in rows} == {"SMB": 1, "(not given)": 1}
    assert deals.basis(no_outcome.deals) == "deals" and deals.basis(parsed.deals, "amount") == "won amount"
    with pytest.raises(ValueError):
        deals.mix_by_quarter(no_outcome.deals, "amount")
    assert deals.mix_by_quarter([], "segment") == []


def _quarterly(counts):
    """A deals file: {(year, quarter): [(buyer role, how many)]}, all won."""
    lines = ["deal,close date,buyer role,won"]
    for (year, quarter), roles in counts.items():
        for role, n in roles:
            # Each deal its own name: identical rows are read as one deal exported twice.
            lines += [f"D{len(lines) + k},{year}-{3 * quarter - 1:02d}-15,{role},won" for k in range(n)]
    return deals.parse_deals("\n".join(lines) + "\n")


def test_the_shift_compares_the_last_four_quarters_with_the_four_before():
    # Issue 15 item 3: procurement joined most deals this year. The first quarter of
    # the year had two deals (one procurement), the last two (none), so a
    # first-quarter-to-last-quarter reading said "Procurement 50% → 0%".
    parsed = _quarterly({
        (2024, 3): [("CFO", 2)], (2024, 4): [("CFO", 2)], (2025, 1): [("CFO", 2)], (2025, 2): [("CFO", 2)],
        (2025, 3): [("Procurement", 1), ("CFO", 1)], (2025, 4): [("Procurement", 3)],
        (2026, 1): [("Procurement", 2), ("CFO", 1)], (2026, 2): [("CFO", 2)],
    })
    assert deals.periods(parsed.deals) == (["2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2"],
                                           ["2025 Q3", "2025 Q4", "2026 Q1", "2026 Q2"])
    shifts = deals.shift_summary(deals.mix_by_period(parsed.deals, "buyer_role"), deals.basis(parsed.deals))
    assert shifts[0] == "CFO: 100% of won deals in 2024 Q3–2025 Q2 → 40% in 2025 Q3–2026 Q2 (down 60 points)"
    assert shifts[1] == "Procurement: 0% of won deals in 2024 Q3–2025 Q2 → 60% in 2025 Q3–2026 Q2 (up 60 points)"
    # Every quarter of both periods is charted.
    assert {r["quarter"] for r in deals.mix_by_quarter(parsed.deals, "buyer_role")} == {
        "2024 Q3", "2024 Q4", "2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4", "2026 Q1", "2026 Q2"}


def test_a_young_file_is_split_in_halves_and_one_quarter_compares_nothing():
    parsed = _quarterly({(2026, 1): [("CFO", 2)], (2026, 2): [("CFO", 1), ("Procurement", 1)],
                         (2026, 3): [("Procurement", 2)]})
    assert deals.periods(parsed.deals) == (["2026 Q1"], ["2026 Q2", "2026 Q3"])
    one = _quarterly({(2026, 1): [("CFO", 2)]})
    assert deals.periods(one.deals) == ([], [])
    assert deals.shift_summary(deals.mix_by_period(one.deals, "buyer_role")) == []


def test_shift_summary_leaves_out_small_moves():
    rows = [
        {"period": "before", "quarters": "2025 Q1–2025 Q4", "value": "Inbound", "share": 0.7},
        {"period": "before", "quarters": "2025 Q1–2025 Q4", "value": "Partner", "share": 0.3},
        {"period": "recent", "quarters": "2026 Q1–2026 Q4", "value": "Inbound", "share": 0.68},
        {"period": "recent", "quarters": "2026 Q1–2026 Q4", "value": "Partner", "share": 0.32},
    ]
    assert deals.shift_summary(rows) == []  # small moves are not news
    assert deals.shift_summary(rows[:2]) == []


def test_stored_form_round_trips():
    parsed = deals.parse_deals(GOOD)
    again = deals.DealsFile.from_dict(parsed.to_dict())
    assert again == parsed
    assert deals.DealsFile.from_dict(None) is None


# -- files that used to crash step 2, and big ones ---------------------------------


def test_old_mac_line_endings_are_read():
    parsed = deals.parse_deals(b"Close Date,Segment\r2025-01-03,SMB\r2025-02-03,Enterprise\r")
    assert [(d.close_date, d.segment) for d in parsed.deals] == [("2025-01-03", "SMB"), ("2025-02-03", "Enterprise")]


@pytest.mark.parametrize("data", [
    bytes(range(1, 256)) * 20,  # binary, no NUL byte
    b"PK\x03\x04" + b"\x14\x06" * 300,  # an .xlsx is a zip
    b"%PDF-1.7\n" + bytes(range(128, 256)) * 10,
    b"Close Date,Segment\n\"2025-01-03,SMB\n" + b"\x01\x02\x03" * 10,
])
def test_a_binary_file_is_refused_with_a_reason_not_a_crash(data):
    with pytest.raises(DealsError, match="not a CSV file"):
        deals.parse_deals(data)


def test_identical_rows_are_counted_once_and_said_so():
    data = ("Close Date,Segment,Amount\n2025-01-03,SMB,100\n2025-01-03,SMB,100\n"
            "2025-01-03,SMB,100\n2025-01-03,SMB,200\n")
    parsed = deals.parse_deals(data)
    assert len(parsed.deals) == 2 and parsed.duplicates == 2
    assert deals.duplicates_note(parsed).startswith("2 rows repeat an earlier row in every column and are counted once")
    assert deals.DealsFile.from_dict(parsed.to_dict()).duplicates == 2
    assert deals.duplicates_note(deals.parse_deals("Close Date,Segment\n2025-01-03,SMB\n")) == ""


def big_file(rows: int, unique: bool = False) -> bytes:
    lines = ["Deal ID,Close Date,Segment,Lead Source,Buyer Role,Amount,Stage"]
    segments, channels = ("SMB", "Mid-market", "Enterprise"), ("Inbound", "Partner", "Outbound")
    for n in range(rows):
        role = f"VP Finance, account {n}" if unique else ("CFO", "Controller", "AP manager")[n % 3]
        lines.append(f"D{n},2025-{n % 12 + 1:02d}-{n % 28 + 1:02d},{segments[n % 3]},{channels[n % 7 % 3]},"
                     f"\"{role}\",{1000 + n % 90_000},{'Closed Won' if n % 3 else 'Closed Lost'}")
    return ("\n".join(lines) + "\n").encode()


def test_100k_deals_store_in_a_few_megabytes_and_read_back_the_same():
    parsed = deals.parse_deals(big_file(100_000))
    assert len(parsed.deals) == 100_000
    stored = json.dumps(parsed.to_dict())
    assert len(stored) < 4_000_000  # was 14 MB
    assert deals.DealsFile.from_dict(json.loads(stored)) == parsed


def test_skipped_rows_are_all_counted_but_only_the_first_listed():
    data = "Close Date,Segment\n" + "".join(f"not a date {n},SMB\n" for n in range(1000)) + "2025-01-03,SMB\n"
    parsed = deals.parse_deals(data)
    assert parsed.skipped == 1000 and len(parsed.problems) == deals.MAX_PROBLEMS_KEPT
