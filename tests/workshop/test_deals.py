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


def test_mix_counts_won_deals_of_the_last_four_quarters_only():
    parsed = deals.parse_deals(GOOD)
    rows = deals.mix_by_quarter(parsed.deals, "channel")
    # Latest close date 2026-08-30 -> 2025 Q4 .. 2026 Q3; the 2024 deal and the lost one are out.
    assert {r["quarter"] for r in rows} == {"2025 Q4", "2026 Q2", "2026 Q3"}
    by = {(r["quarter"], r["value"]): r for r in rows}
    assert by[("2025 Q4", "Inbound")]["share"] == 0.5
    assert by[("2025 Q4", "Partner")]["share"] == 0.5
    assert by[("2026 Q3", "Outbound")]["share"] == 1.0
    for quarter in {r["quarter"] for r in rows}:
        assert sum(r["share"] for r in rows if r["quarter"] == quarter) == pytest.approx(1.0)


def test_mix_by_amount_and_without_outcome_column():
    parsed = deals.parse_deals(GOOD)
    rows = deals.mix_by_quarter(parsed.deals, "buyer_role", weight="amount")
    by = {(r["quarter"], r["value"]): r for r in rows}
    assert by[("2025 Q4", "Procurement")]["share"] == pytest.approx(80000 / 92500, abs=1e-3)
    no_outcome = deals.parse_deals("close date,segment\n2026-01-05,SMB\n2026-01-06,\n")
    rows = deals.mix_by_quarter(no_outcome.deals, "segment")
    assert {r["value"]: r["deals"] for r in rows} == {"SMB": 1, "(not given)": 1}
    with pytest.raises(ValueError):
        deals.mix_by_quarter(no_outcome.deals, "amount")
    assert deals.mix_by_quarter([], "segment") == []


def test_shift_summary_names_the_biggest_move():
    rows = [
        {"quarter": "2025 Q4", "value": "Inbound", "share": 0.7},
        {"quarter": "2025 Q4", "value": "Partner", "share": 0.3},
        {"quarter": "2026 Q3", "value": "Inbound", "share": 0.2},
        {"quarter": "2026 Q3", "value": "Partner", "share": 0.8},
    ]
    summary = deals.shift_summary(rows)
    assert any(s.startswith("Inbound: 70% → 20% (down 50 points, 2025 Q4 → 2026 Q3") for s in summary)
    assert any(s.startswith("Partner: 30% → 80% (up 50 points") for s in summary)
    rows[2]["share"], rows[3]["share"] = 0.68, 0.32
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
