"""Answers as CSV: `participant,function,dimension,answer` (RFC 4180, UTF-8).

The import format of answers collected elsewhere (a survey tool) and the
export of a session's answers. A file is taken whole or refused whole: the
error names the line and the problem, so nothing is ever half-imported.
"""

from __future__ import annotations

import csv
import io

from workshop.models import DEFAULT_FUNCTIONS, DIMENSIONS, MAX_ANSWER_CHARS, Answer

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
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise CsvError(f"This is not a valid CSV file: {error}.") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)] if rows else rows
    header = [h.strip().lower() for h in rows[0]]
    if header != HEADER:
        if len(rows[0]) == 1 and ";" in rows[0][0]:
            raise CsvError(
                "Line 1: the columns are separated by semicolons; save the file "
                "as comma-separated CSV."
            )
        raise CsvError(
            f"Line 1: the header must be {','.join(HEADER)}, found {','.join(rows[0])}."
        )
    answers: list[Answer] = []
    seen: dict[tuple[str, str], int] = {}
    function_of: dict[str, str] = {}
    line_of = _record_lines(text)
    for index, row in enumerate(rows[1:], start=1):
        line = line_of.get(index, index + 1)
        if len(row) != 4:
            raise CsvError(f"Line {line}: expected 4 fields, found {len(row)}.")
        participant, function, dimension, answer = (c.strip() for c in row)
        function = function.lower()
        dimension = dimension.lower()
        if not participant:
            raise CsvError(f"Line {line}: the participant is empty.")
        if functions is not None and function not in functions:
            raise CsvError(
                f"Line {line}: unknown function '{function}' "
                f"(expected one of {', '.join(functions)})."
            )
        if not function:
            raise CsvError(f"Line {line}: the function is empty.")
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
        answers.append(Answer(participant, function, dimension, answer.replace("\r\n", "\n")))
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
    for a in answers:
        if a.text.strip():
            writer.writerow([a.participant, a.function, a.dimension, a.text])
    return out.getvalue()


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    if len(data) > MAX_CSV_BYTES:
        raise CsvError(f"The file is larger than {MAX_CSV_BYTES // 1_000_000} MB.")
    if b"\x00" in data:
        raise CsvError("This is not a text file (it contains binary data).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CsvError(
            f"Line {line}: the file is not UTF-8 (it may be Latin-1 or Windows-1252); "
            "save it as CSV UTF-8."
        ) from None


def _record_lines(text: str) -> dict[int, int]:
    """Physical line where each CSV record starts (answers span lines)."""
    starts: dict[int, int] = {}
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    record = 0
    for _ in reader:
        starts[record] = line
        line = reader.line_num + 1
        record += 1
    return starts
