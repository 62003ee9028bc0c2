"""Closed deals from a CRM export: who buys, through which channel, in what proportion.

The room uploads whatever their CRM gives them. Header names vary ("Close
Date", "closed_on", "Lead source"...), extra columns are ignored, and a row the
reader cannot use is reported by its line number instead of sinking the file.
A row that repeats an earlier one in every column is counted once, and said
so. Only a file with nothing usable in it is refused, with the reason: that
includes a file that is not CSV text at all (a spreadsheet, an image).

A CRM export can hold 100,000 deals: values are parsed once per distinct
spelling, and the stored form is columnar (each text column as a list of
distinct values and an index per deal), a few bytes per deal, so the step
re-runs quickly and a session backup stays well within what restore accepts.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

MAX_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS_KEPT = 200  # rows skipped are counted in full; the first ones are listed
STORED_FORMAT = 2
_TEXT_FIELDS = ("close_date", "segment", "channel", "buyer_role")

# Each field, and the header spellings that mean it (compared without case,
# spaces, dashes or underscores).
COLUMNS: dict[str, tuple[str, ...]] = {
    "close_date": ("closedate", "closed", "closedon", "closedat", "dateclosed", "closingdate",
                   "date", "wondate", "dealclosedate", "closeddate"),
    "segment": ("segment", "customersegment", "marketsegment", "companysize", "size", "tier",
                "industry", "vertical", "accountsegment"),
    "channel": ("channel", "source", "leadsource", "dealsource", "salesChannel", "origin",
                "acquisitionchannel", "originalsource", "saleschannel", "route"),
    "buyer_role": ("buyerrole", "buyer", "role", "buyertitle", "title", "jobtitle", "persona",
                   "economicbuyer", "decisionmaker", "contactrole", "buyerpersona"),
    "amount": ("amount", "value", "dealvalue", "dealamount", "revenue", "acv", "arr", "tcv",
               "dealsize", "total", "price"),
    "outcome": ("wonlost", "outcome", "result", "status", "stage", "won", "dealstage", "winloss",
                "isclosedwon", "iswon"),
}
MIX_FIELDS = ("segment", "channel", "buyer_role")
FIELD_TITLES = {
    "close_date": "close date", "segment": "segment", "channel": "channel / source",
    "buyer_role": "buyer role", "amount": "amount", "outcome": "won / lost",
}

_WON = {"won", "win", "closedwon", "closed won", "yes", "y", "true", "1", "w", "success"}
_LOST = {"lost", "loss", "closedlost", "closed lost", "no", "n", "false", "0", "l", "lose"}

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%d %b %Y", "%d %B %Y",
                 "%b %d %Y", "%B %d %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y")


class DealsError(ValueError):
    """The whole file is unusable; the message says why, for the person."""


@dataclass
class Deal:
    line: int
    close_date: str  # ISO date
    segment: str = ""
    channel: str = ""
    buyer_role: str = ""
    amount: float | None = None
    won: bool | None = None

    @property
    def quarter(self) -> str:
        return quarter_of(date.fromisoformat(self.close_date))


@dataclass
class DealsFile:
    deals: list[Deal]
    problems: list[str] = field(default_factory=list)  # "line 7: ..." for the first skipped rows
    columns: dict[str, str] = field(default_factory=dict)  # field -> header used
    ignored: list[str] = field(default_factory=list)  # headers not used
    skipped: int = 0  # rows skipped, all of them (problems lists the first MAX_PROBLEMS_KEPT)
    duplicates: int = 0  # rows identical in every column to an earlier row, counted once

    def to_dict(self) -> dict:
        """The stored form: columnar, each text column as distinct values plus an index per deal."""
        out: dict = {
            "format": STORED_FORMAT, "problems": list(self.problems), "columns": dict(self.columns),
            "ignored": list(self.ignored), "skipped": self.skipped, "duplicates": self.duplicates,
            "line": [d.line for d in self.deals],
            "amount": [d.amount for d in self.deals],
            "won": [d.won for d in self.deals],
        }
        for name in _TEXT_FIELDS:
            values: dict[str, int] = {}
            index = [values.setdefault(getattr(d, name), len(values)) for d in self.deals]
            out[name] = {"values": list(values), "index": index}
        return out

    @classmethod
    def from_dict(cls, data: dict | None) -> "DealsFile | None":
        if not data:
            return None
        if data.get("format") == STORED_FORMAT:
            texts = {name: [data[name]["values"][i] for i in data[name]["index"]] for name in _TEXT_FIELDS}
            deals = [
                Deal(line, *fields, amount=amount, won=won)
                for line, *fields, amount, won in zip(
                    data["line"], *(texts[n] for n in _TEXT_FIELDS), data["amount"], data["won"])
            ]
        else:  # stored before the columnar form: one record per deal
            deals = [Deal(**d) for d in data.get("deals", [])]
        problems = list(data.get("problems", []))
        return cls(
            deals=deals,
            problems=problems,
            columns=dict(data.get("columns", {})),
            ignored=list(data.get("ignored", [])),
            skipped=int(data.get("skipped", len(problems))),
            duplicates=int(data.get("duplicates", 0)),
        )


def _norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (header or "").lower())


def match_columns(headers: list[str]) -> dict[str, int]:
    """Which column holds which field. Exact aliases win over partial ones."""
    found: dict[str, int] = {}
    normed = [_norm(h) for h in headers]
    for name, aliases in COLUMNS.items():
        aliases_n = [_norm(a) for a in aliases]
        for alias in aliases_n:  # earlier alias = better
            if alias in normed and normed.index(alias) not in found.values():
                found[name] = normed.index(alias)
                break
    for name, aliases in COLUMNS.items():
        if name in found:
            continue
        for index, header in enumerate(normed):
            if index in found.values() or not header:
                continue
            if any(len(a) >= 5 and _norm(a) in header for a in aliases):
                found[name] = index
                break
    return found


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise DealsError(f"The file is {len(data) // 1_000_000} MB; the limit is "
                         f"{MAX_BYTES // 1_000_000} MB. Export only the last two years.")
    if b"\x00" in data[:4096] or _looks_binary(data[:4096]):
        raise DealsError(NOT_CSV)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


NOT_CSV = ("This is not a CSV file (it looks like a spreadsheet or binary file). "
           "Save it as CSV and upload again.")


def _looks_binary(head: bytes) -> bool:
    """Control bytes other than tab and line ends, or a zip/PDF/image signature: not text."""
    if head.startswith((b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0")):
        return True
    control = sum(b < 32 and b not in (9, 10, 13) or b == 127 for b in head)
    return control > max(2, len(head) // 100)


def _dialect(text: str):
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


@lru_cache(maxsize=65536)
def parse_amount(value: str) -> float | None:
    """'€12,500', '12.500,00', '12500' -> 12500.0; blank -> None; junk -> ValueError."""
    value = (value or "").strip()
    if not value:
        return None
    negative = value.startswith("-") or (value.startswith("(") and value.endswith(")"))
    digits = re.sub(r"[^0-9.,]", "", value)
    if not re.search(r"\d", digits):
        raise ValueError(f"amount '{value}' is not a number")
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        digits = digits.replace(thousands, "").replace(decimal, ".")
    elif "," in digits:
        head, _, tail = digits.rpartition(",")
        digits = digits.replace(",", "") if len(tail) == 3 else head.replace(",", "") + "." + tail
    elif digits.count(".") > 1:
        digits = digits.replace(".", "")
    number = float(digits)
    return -number if negative else number


@lru_cache(maxsize=4096)
def parse_outcome(value: str) -> bool | None:
    value = " ".join((value or "").strip().lower().replace("_", " ").replace("-", " ").split())
    if not value:
        return None
    if value in _WON or value.replace(" ", "") in _WON:
        return True
    if value in _LOST or value.replace(" ", "") in _LOST:
        return False
    if "won" in value.split() or value.endswith("won"):
        return True
    if "lost" in value.split() or value.endswith("lost"):
        return False
    raise ValueError(f"won/lost '{value}' is neither won nor lost")


def _day_first(values: list[str]) -> bool:
    """For a/b/yyyy dates: a > 12 somewhere means day first; b > 12 means month first."""
    for value in values:
        m = re.match(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})", value or "")
        if m:
            if int(m.group(1)) > 12:
                return True
            if int(m.group(2)) > 12:
                return False
    return True


@lru_cache(maxsize=65536)
def parse_date(value: str, day_first: bool = True) -> date:
    value = (value or "").strip()
    if not value:
        raise ValueError("close date is empty")
    head = value.split("T")[0].split(" ")[0] if re.match(r"^\d{4}-\d", value) else value
    m = re.match(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$", head.split(" ")[0])
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year = year + 2000 if year < 100 else year
        day, month = (a, b) if day_first else (b, a)
        try:
            return date(year, month, day)
        except ValueError:
            raise ValueError(f"close date '{value}' is not a date") from None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"close date '{value}' is not a date")


def parse_deals(data: bytes | str) -> DealsFile:
    """Read a closed-deals CSV. Raises DealsError only when nothing in it is usable."""
    text = _decode(data)
    if not text.strip():
        raise DealsError("The file is empty.")
    # Line ends as a spreadsheet on any system writes them: CRLF, LF or an old Mac's lone CR.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), _dialect(text)))
    except csv.Error as error:
        raise DealsError(f"{NOT_CSV} ({error})") from None
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise DealsError("The file is empty.")
    headers = [h.strip() for h in rows[0]]
    columns = match_columns(headers)
    if "close_date" not in columns:
        raise DealsError(
            "No close date column found. The first row should name the columns, e.g. "
            "close date, segment, channel, buyer role, amount, won/lost. Found: "
            + ", ".join(h for h in headers if h)[:200]
        )
    if not any(name in columns for name in MIX_FIELDS):
        raise DealsError(
            "No segment, channel/source or buyer role column found, so there is no mix "
            "to show. Found: " + ", ".join(h for h in headers if h)[:200]
        )
    day_first = _day_first(list(dict.fromkeys(
        r[columns["close_date"]] for r in rows[1:] if len(r) > columns["close_date"])))
    deals: list[Deal] = []
    problems: list[str] = []
    skipped = duplicates = 0
    seen: set[tuple[str, ...]] = set()
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        key = tuple([cell.strip() for cell in row])
        if key in seen:
            duplicates += 1
            continue
        seen.add(key)
        try:
            deals.append(_deal(line, key, columns, day_first))
        except ValueError as error:
            skipped += 1
            if len(problems) < MAX_PROBLEMS_KEPT:
                problems.append(f"line {line}: {error}")
    if not deals:
        detail = "; ".join(problems[:3])
        raise DealsError("No row could be read" + (f" ({detail})." if detail else "."))
    return DealsFile(
        deals=deals,
        problems=problems,
        columns={name: headers[i] for name, i in columns.items()},
        ignored=[h for i, h in enumerate(headers) if i not in columns.values() and h],
        skipped=skipped,
        duplicates=duplicates,
    )


def duplicates_note(data: DealsFile) -> str:
    """What the room should know about repeated rows, or ""."""
    if not data.duplicates:
        return ""
    rows = "1 row repeats" if data.duplicates == 1 else f"{data.duplicates:,} rows repeat"
    return (f"{rows} an earlier row in every column and {'is' if data.duplicates == 1 else 'are'} "
            "counted once. If they are separate deals, export a deal ID or name column too.")


def _deal(line: int, row: tuple[str, ...], columns: dict[str, int], day_first: bool) -> Deal:
    """One deal from a row of stripped cells."""
    size = len(row)

    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index] if index is not None and index < size else ""

    if columns["close_date"] >= size:
        raise ValueError("the row is shorter than the header")
    return Deal(
        line=line,
        close_date=_iso_date(cell("close_date"), day_first),
        segment=_one_line(cell("segment")),
        channel=_one_line(cell("channel")),
        buyer_role=_one_line(cell("buyer_role")),
        amount=parse_amount(cell("amount")),
        won=parse_outcome(cell("outcome")),
    )


@lru_cache(maxsize=65536)
def _iso_date(value: str, day_first: bool) -> str:
    return parse_date(value, day_first).isoformat()


@lru_cache(maxsize=65536)
def _one_line(value: str) -> str:
    return " ".join(value.split())


def quarter_of(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def last_quarters(until: date, count: int = 4) -> list[str]:
    """The `count` quarters ending with the one holding `until`, oldest first."""
    year, q = until.year, (until.month - 1) // 3
    out = []
    for _ in range(count):
        out.append(f"{year} Q{q + 1}")
        q -= 1
        if q < 0:
            q, year = 3, year - 1
    return list(reversed(out))


def mix_by_quarter(
    deals: list[Deal], field_name: str, until: date | None = None, quarters: int = 8,
    weight: str = "deals",
) -> list[dict]:
    """Share of each value of `field_name` per quarter, for the last `quarters` quarters.

    Eight by default: the last four quarters and the four before, so the chart
    shows the shift the sentences of shift_summary describe. Counts won deals
    when the file says which deals were won (the mix of who actually buys),
    otherwise every deal. Quarters are counted back from `until`, by default
    the latest close date in the file, so an export made months ago still
    shows its own last years. weight is "deals" or "amount".
    """
    if field_name not in MIX_FIELDS:
        raise ValueError(f"mix by one of {', '.join(MIX_FIELDS)}")
    if not deals:
        return []
    until = until or _latest(deals)
    window = last_quarters(until, quarters)
    return [{"quarter": key, **row} for key, row in _mix(_counted(deals), field_name, weight, {q: q for q in window}, window)]


def _latest(deals: list[Deal]) -> date:
    return max(date.fromisoformat(d.close_date) for d in deals)


def _counted(deals: list[Deal]) -> list[Deal]:
    """The deals the mix counts: the won ones when the file says, else all."""
    return [d for d in deals if d.won] if any(d.won is not None for d in deals) else list(deals)


def basis(deals: list[Deal], weight: str = "deals") -> str:
    """What a share is a share of, in words: "won deals", "deals", "won amount"..."""
    won = "won " if any(d.won is not None for d in deals) else ""
    return f"{won}{'amount' if weight == 'amount' else 'deals'}"


def _mix(deals: list[Deal], field_name: str, weight: str, bucket_of: dict[str, str], order: list[str]):
    """(bucket, row) per bucket and value: deals, weight and share within the bucket."""
    totals: dict[tuple[str, str], float] = {}
    counts: dict[tuple[str, str], int] = {}
    for deal in deals:
        bucket = bucket_of.get(deal.quarter)
        if bucket is None:
            continue
        value = getattr(deal, field_name) or "(not given)"
        key = (bucket, value)
        totals[key] = totals.get(key, 0.0) + ((deal.amount or 0.0) if weight == "amount" else 1.0)
        counts[key] = counts.get(key, 0) + 1
    per_bucket: dict[str, float] = {}
    for (bucket, _), total in totals.items():
        per_bucket[bucket] = per_bucket.get(bucket, 0.0) + total
    for (bucket, value), total in sorted(totals.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1])):
        yield bucket, {
            "value": value,
            "deals": counts[(bucket, value)],
            "weight": round(total, 2),
            "share": round(total / per_bucket[bucket], 4) if per_bucket[bucket] else 0.0,
        }


def span(quarters: list[str]) -> str:
    """'2025 Q3–2026 Q2', or one quarter's name."""
    if not quarters:
        return ""
    return quarters[0] if len(quarters) == 1 else f"{quarters[0]}–{quarters[-1]}"


def periods(deals: list[Deal], until: date | None = None, quarters: int = 4) -> tuple[list[str], list[str]]:
    """The two periods the shift is measured between: (the earlier, the recent), quarters oldest first.

    The last four quarters against the four before. A file that does not
    reach back that far is split in two halves of the quarters it covers, so
    a young file still compares like with like and every figure names its
    quarters. ([], []) when the file covers a single quarter.
    """
    if not deals:
        return [], []
    until = until or _latest(deals)
    recent = last_quarters(until, quarters)
    before = last_quarters(_quarter_start(recent[0]) - _ONE_DAY, quarters)
    counted = _counted(deals)
    if any(d.quarter in before for d in counted):
        return before, recent
    first = min((date.fromisoformat(d.close_date) for d in counted), default=until)
    covered = [q for q in last_quarters(until, quarters) if _quarter_start(q) >= _quarter_start(quarter_of(first))]
    if len(covered) < 2:
        return [], []
    half = len(covered) // 2
    return covered[:half], covered[half:]


_ONE_DAY = date(2000, 1, 2) - date(2000, 1, 1)


def _quarter_start(quarter: str) -> date:
    year, q = quarter.split(" Q")
    return date(int(year), 3 * (int(q) - 1) + 1, 1)


def mix_by_period(
    deals: list[Deal], field_name: str, until: date | None = None, weight: str = "deals",
) -> list[dict]:
    """Share of each value in the earlier and the recent period (see `periods`): rows with
    period ("before" | "recent"), quarters (their span in words), value, deals, weight, share."""
    if field_name not in MIX_FIELDS:
        raise ValueError(f"mix by one of {', '.join(MIX_FIELDS)}")
    before, recent = periods(deals, until)
    if not recent:
        return []
    bucket_of = {**{q: "before" for q in before}, **{q: "recent" for q in recent}}
    names = {"before": span(before), "recent": span(recent)}
    return [
        {"period": bucket, "quarters": names[bucket], **row}
        for bucket, row in _mix(_counted(deals), field_name, weight, bucket_of, ["before", "recent"])
    ]


def shift_summary(rows: list[dict], of: str = "won deals") -> list[str]:
    """Plain sentences on the biggest moves between the earlier and the recent period (rows of mix_by_period).

    Each figure names the quarters it covers, so nobody reads a quarter of two
    deals as the year.
    """
    spans = {r["period"]: r["quarters"] for r in rows}
    if set(spans) != {"before", "recent"}:
        return []
    share = {(r["period"], r["value"]): r["share"] for r in rows}
    values = sorted({r["value"] for r in rows})
    moves = [(share.get(("recent", v), 0.0) - share.get(("before", v), 0.0), v) for v in values]
    moves.sort(key=lambda m: -abs(m[0]))
    out = []
    for delta, value in moves[:2]:
        if abs(delta) < 0.05:
            continue
        direction = "up" if delta > 0 else "down"
        out.append(
            f"{value}: {share.get(('before', value), 0.0):.0%} of {of} in {spans['before']} → "
            f"{share.get(('recent', value), 0.0):.0%} in {spans['recent']} ({direction} {abs(delta) * 100:.0f} points)"
        )
    return out


def outside_periods(deals: list[Deal], until: date | None = None) -> int:
    """How many counted deals fall before both periods (older than the comparison looks)."""
    before, recent = periods(deals, until)
    inside = set(before) | set(recent)
    if not inside:
        return 0
    first = min(inside, key=_quarter_start)
    return sum(1 for d in _counted(deals) if _quarter_start(d.quarter) < _quarter_start(first))
