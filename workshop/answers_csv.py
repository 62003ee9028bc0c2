"""Answers as CSV: `participant,function,dimension,answer` (RFC 4180, UTF-8).

The import format of answers collected elsewhere (a survey tool) and the
export of a session's answers. A file is taken whole or refused whole: the
error names the line and the problem, so nothing is ever half-imported.

Every export imports again as the same answers: control characters are
dropped on the way in (as everywhere, `workshop.text.clean`), a cell a
spreadsheet would run as a formula is exported with a leading quote that the
import takes off again, and two people who share a name are exported as
"Alex" and "Alex (2)" so the file does not read as one person answering twice.
"""

from __future__ import annotations

import csv
import io

from workshop.models import DEFAULT_FUNCTIONS, DIMENSIONS, MAX_ANSWER_CHARS, Answer
from workshop.text import clean, csv_cell, csv_uncell

HEADER = ["participant", "function", "dimension", "answer"]
MAX_CSV_BYTES = 5_000_000


class CsvError(ValueError):
    """The file cannot be imported; the message says where and why."""


def read_answers_csv(
    data: bytes | str,
    functions: tuple[str, ...] | list[str] | None = None,
    dimensions: tuple[str, ...] | list[str] | None = None,
) -> list[Answer]:
    """Parse an answers file into Answers, or raise CsvError naming the line.

    `functions`: the functions a session invites; None accepts any function
    name (the command line), as long as sales or marketing answered.
    `dimensions`: the session's prompt keys; by default the five standard ones.
    """
    dimensions = tuple(dimensions or DIMENSIONS)
    text = _decode(data)
    if not text.strip():
        raise CsvError("The file is empty.")
    _refuse_other_separators(text)
    records = [(line, row) for line, row in _records(text) if any(c.strip() for c in row)]
    if not records:
        raise CsvError("The file is empty.")
    header_line, header_row = records[0]
    header = [h.strip().lower() for h in header_row]
    if header != HEADER:
        raise CsvError(
            f"Line {header_line}: the header must be {','.join(HEADER)}, "
            f"found {','.join(header_row)}."
        )
    answers: list[Answer] = []
    seen: dict[tuple[str, str], int] = {}
    function_of: dict[str, str] = {}
    for line, row in records[1:]:
        if len(row) != 4:
            raise CsvError(f"Line {line}: expected 4 fields, found {len(row)}.")
        participant, function, dimension, answer = (csv_uncell(clean(c).strip()) for c in row)
        participant = " ".join(participant.split())
        function = " ".join(function.lower().split())
        dimension = dimension.lower()
        if not participant:
            raise CsvError(f"Line {line}: the participant is empty.")
        if not function:
            raise CsvError(f"Line {line}: the function is empty.")
        if functions is not None and function not in functions:
            raise CsvError(
                f"Line {line}: unknown function '{function}' "
                f"(expected one of {', '.join(functions)})."
            )
        if dimension not in dimensions:
            raise CsvError(
                f"Line {line}: unknown dimension '{dimension}' "
                f"(expected one of {', '.join(dimensions)})."
            )
        if function_of.setdefault(participant, function) != function:
            raise CsvError(
                f"Line {line}: {participant} is listed as both "
                f"{function_of[participant]} and {function}."
            )
        if (participant, dimension) in seen:
            raise CsvError(
                f"Line {line}: a second answer from {participant} to {dimension} "
                f"(first on line {seen[(participant, dimension)]})."
            )
        seen[(participant, dimension)] = line
        if len(answer) > MAX_ANSWER_CHARS:
            raise CsvError(
                f"Line {line}: the answer is {len(answer):,} characters; "
                f"the limit is {MAX_ANSWER_CHARS:,}."
            )
        if not answer:
            continue  # a blank answer is the same as no row
        answers.append(Answer(participant, function, dimension, answer))
    if not answers:
        raise CsvError("The file has a header but no answers.")
    if functions is None:
        missing = [f for f in DEFAULT_FUNCTIONS if f not in function_of.values()]
        if len(missing) == len(DEFAULT_FUNCTIONS):
            raise CsvError("The file has no sales and no marketing answers.")
    return answers


def write_answers_csv(answers: list[Answer]) -> str:
    """The answers in the import format (CRLF records, quoted where needed)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    names = _distinct_names(answers)
    for a in answers:
        if _visible_text(a.text):
            name = names.get(a.participant_id, a.participant)
            # Cleaned here too: a database from before the store cleaned its input may hold a NUL.
            writer.writerow([csv_cell(clean(v).strip()) for v in (name, a.function, a.dimension, a.text)])
    return out.getvalue()


def _visible_text(text: str) -> bool:
    return bool(clean(text).strip())


def _distinct_names(answers: list[Answer]) -> dict[int, str]:
    """One name per participant id; a name already taken gets " (2)", " (3)"..."""
    taken: set[str] = set()
    names: dict[int, str] = {}
    for a in answers:
        if a.participant_id is None or a.participant_id in names:
            continue
        name, n = a.participant, 1
        while name in taken:
            n += 1
            name = f"{a.participant} ({n})"
        taken.add(name)
        names[a.participant_id] = name
    return names


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if len(data) > MAX_CSV_BYTES:
        raise CsvError(f"The file is larger than {MAX_CSV_BYTES // 1_000_000} MB.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvError(
            "The file is saved as UTF-16 (\"Unicode text\"); save it as CSV UTF-8."
        )
    if b"\x00" in data:
        raise CsvError("This is not a text file (it contains binary data).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        # Nearly every non-UTF-8 CSV is a spreadsheet's "CSV" in Windows-1252
        # (Latin-1): show the word it trips on, decoded that way, so the person
        # recognises it.
        start = max(data.rfind(b",", 0, error.start), data.rfind(b"\n", 0, error.start)) + 1
        end = min(i for i in (data.find(b",", error.start), data.find(b"\n", error.start),
                              len(data)) if i >= 0)
        word = data[start:end].strip().decode("cp1252", errors="replace")[:40]
        raise CsvError(
            f"Line {line}: the file is not UTF-8; it looks like Latin-1 / Windows-1252 "
            f"(at \"{word}\"). Save it as \"CSV UTF-8\" and import it again."
        ) from None


def _refuse_other_separators(text: str) -> None:
    """A spreadsheet set to a European locale saves "CSV" with semicolons (or tabs)."""
    first = text.lstrip("\r\n").splitlines()[0]
    if "," in first:
        return
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        if first.count(separator) >= len(HEADER) - 1:
            raise CsvError(
                f"Line 1: the columns are separated by {name}; save the file as "
                "comma-separated CSV (\"CSV UTF-8\")."
            )


def _records(text: str) -> list[tuple[int, list[str]]]:
    """Each CSV record with the physical line it starts on (answers span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return records
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                raise CsvError(
                    f"Line {start}: a quoted field opens here and is never closed "
                    "(an unbalanced \" quote). A quote inside an answer must be "
                    "doubled (\"\")."
                ) from None
            raise CsvError(
                f"Line {reader.line_num}: this is not valid CSV ({error}). A quote "
                "inside an answer must be doubled (\"\")."
            ) from None
        records.append((start, row))
        start = reader.line_num + 1
