"""The answers CSV: what a survey tool or a spreadsheet hands us, and back.

A file is taken whole or refused whole with a message that names the line,
so every refusal below checks the line number as well as the reason.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop.answers_csv import HEADER, CsvError, read_answers_csv, write_answers_csv
from workshop.models import DIMENSIONS, Answer
from workshop.text import clean, clean_line, csv_cell

# The shared development set next to the repository (as benchmarks/ finds it).
DEVSET = Path(os.environ.get(
    "BRIEF_RESET_DEVSET", Path(__file__).resolve().parents[3] / "shared" / "devset" / "scenarios"))
SCENARIO_FILES = sorted(DEVSET.glob("*/responses.csv")) if DEVSET.is_dir() else []
FUNCTIONS = ("sales", "marketing")
HEAD = "participant,function,dimension,answer\r\n"


def refusal(data: bytes | str, functions=FUNCTIONS) -> str:
    with pytest.raises(CsvError) as caught:
        read_answers_csv(data, functions=functions)
    return str(caught.value)


# -- accepted files ---------------------------------------------------------


def test_reads_a_simple_file():
    data = HEAD + "ana,sales,trigger,New CFO\r\nbo,marketing,fears,Failed rollout\r\n"
    answers = read_answers_csv(data.encode(), functions=FUNCTIONS)
    assert answers == [
        Answer("ana", "sales", "trigger", "New CFO"),
        Answer("bo", "marketing", "fears", "Failed rollout"),
    ]


@pytest.mark.parametrize("ending", ["\r\n", "\n"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_bom_and_either_line_ending_are_tolerated(bom, ending):
    text = ending.join([
        "participant,function,dimension,answer",
        'ana,sales,trigger,"- audit finding',
        '- new CFO"',
        "bo,marketing,trigger,growth",
        "",
    ])
    answers = read_answers_csv(bom + text.encode(), functions=FUNCTIONS)
    assert [a.text for a in answers] == ["- audit finding\n- new CFO", "growth"]
    assert answers[0].participant == "ana"  # the BOM is not part of the first name


def test_a_multiline_answer_round_trips():
    answers = [Answer("ana", "sales", "trigger", 'line one\nline "two", with comma\n\nfour')]
    assert read_answers_csv(write_answers_csv(answers).encode()) == answers


def test_header_case_and_spaces_and_blank_lines_are_tolerated():
    data = " Participant , FUNCTION,Dimension,answer\r\n\r\nana,Sales,Trigger,x\r\n\r\n"
    assert read_answers_csv(data, functions=FUNCTIONS) == [Answer("ana", "sales", "trigger", "x")]


def test_a_blank_answer_is_the_same_as_no_row():
    data = HEAD + "ana,sales,trigger,x\r\nana,sales,fears,   \r\n"
    assert [a.dimension for a in read_answers_csv(data, functions=FUNCTIONS)] == ["trigger"]


def test_writer_leaves_out_blank_answers_and_quotes_what_needs_it():
    out = write_answers_csv([
        Answer("ana", "sales", "trigger", "a, b"),
        Answer("ana", "sales", "fears", "  "),
    ])
    assert out == HEAD + 'ana,sales,trigger,"a, b"\r\n'


def test_session_specific_functions_and_prompts():
    data = HEAD + "cy,customer success,renewal,churn risk\r\n"
    answers = read_answers_csv(
        data, functions=("sales", "marketing", "customer success"), dimensions=("renewal",)
    )
    assert answers == [Answer("cy", "customer success", "renewal", "churn risk")]


@pytest.mark.skipif(not SCENARIO_FILES, reason="shared devset not present")
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.parent.name)
def test_devset_files_read_fully_and_round_trip(path):
    raw = path.read_bytes()
    answers = read_answers_csv(raw, functions=FUNCTIONS)
    records = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))[1:]
    assert len(answers) == len([r for r in records if r and r[3].strip()])
    assert {a.function for a in answers} == set(FUNCTIONS)
    assert read_answers_csv(write_answers_csv(answers).encode(), functions=FUNCTIONS) == answers


# -- refusals: each names the line and the problem --------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b",,,\r\n,,,\r\n", ""])
def test_empty_file(data):
    assert refusal(data) == "The file is empty."


def test_header_only():
    assert "header but no answers" in refusal(HEAD)


def test_wrong_header():
    message = refusal("name,team,question,text\r\nana,sales,trigger,x\r\n")
    assert message.startswith("Line 1:")
    assert "participant,function,dimension,answer" in message


def test_unknown_function():
    message = refusal(HEAD + "ana,sales,trigger,x\r\nbo,finance,trigger,y\r\n")
    assert message.startswith("Line 3:") and "unknown function 'finance'" in message


def test_unknown_dimension_after_a_multiline_answer_names_the_physical_line():
    data = HEAD + 'ana,sales,trigger,"1\r\n2\r\n3"\r\nbo,sales,budget,y\r\n'
    message = refusal(data)
    assert message.startswith("Line 5:") and "unknown dimension 'budget'" in message


def test_latin1_file():
    data = (HEAD + "jürgen,sales,trigger,café\r\n").encode("latin-1")
    message = refusal(data)
    assert message.startswith("Line 2:")
    assert "not UTF-8" in message and "Latin-1" in message and "jürgen" in message


def test_utf16_file():
    assert "UTF-16" in refusal((HEAD + "ana,sales,trigger,x\r\n").encode("utf-16"))


def test_semicolon_file_even_with_a_quoted_multiline_cell():
    data = 'participant;function;dimension;answer\r\nana;sales;trigger;"a\r\nb"\r\n'
    message = refusal(data.encode())
    assert message.startswith("Line 1:") and "semicolons" in message


def test_tab_separated_file():
    assert "tabs" in refusal("participant\tfunction\tdimension\tanswer\r\nana\tsales\ttrigger\tx\r\n")


def test_unbalanced_quote_names_the_line_where_it_opens():
    data = HEAD + 'ana,sales,trigger,ok\r\nbo,sales,trigger,"never closed\r\ncy,sales,fears,x\r\n'
    message = refusal(data)
    assert message.startswith("Line 3:") and "unbalanced" in message


def test_text_after_a_closing_quote():
    message = refusal(HEAD + 'ana,sales,trigger,"quoted" then more\r\n')
    assert message.startswith("Line 2:") and "not valid CSV" in message


@pytest.mark.parametrize("data", [bytes(range(256)), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"])
def test_binary_file(data):
    assert "binary" in refusal(data)


def test_duplicate_row():
    message = refusal(HEAD + "ana,sales,trigger,x\r\nbo,sales,fears,y\r\nana,sales,trigger,z\r\n")
    assert message.startswith("Line 4:") and "first on line 2" in message


def test_one_person_in_two_functions():
    message = refusal(HEAD + "ana,sales,trigger,x\r\nana,marketing,fears,y\r\n")
    assert message.startswith("Line 3:") and "both sales and marketing" in message


def test_wrong_number_of_fields():
    assert refusal(HEAD + "ana,sales,trigger,x,extra\r\n").startswith("Line 2: expected 4 fields")


@pytest.mark.parametrize("row,problem", [
    (",sales,trigger,x", "participant is empty"),
    ("ana,,trigger,x", "function is empty"),
])
def test_empty_participant_or_function(row, problem):
    message = refusal(HEAD + row + "\r\n")
    assert message.startswith("Line 2:") and problem in message


def test_answer_over_the_limit():
    message = refusal(HEAD + "ana,sales,trigger," + "x" * 50_000 + "\r\n")
    assert message.startswith("Line 2:") and "50,000" in message and "5,000" in message


def test_no_sales_and_no_marketing_when_any_function_is_accepted():
    assert "no sales and no marketing" in refusal(HEAD + "cy,support,trigger,x\r\n", functions=None)


# -- properties -------------------------------------------------------------

# Any text a person might type, emoji, right-to-left and CJK included, but no
# surrogates (not encodable) and no NUL (a binary-file marker we refuse).
typed_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=80,
)
tricky = st.sampled_from([
    '"', '""', ",", "\n", "\r\n", "\r", ";", "\t", " ", "😀👍🏽", "שלום עולם", "مرحبا",
    "価格が高い", "<script>alert(1)</script>", "**bold**", "- bullet", "\ufeff",
    # Formulas a spreadsheet would run, and the quote that neutralises them.
    "=1+1", "+CMD", "-2", "@SUM(A1)", "'", "'=x", "=HYPERLINK(\"http://x\")",
    # Control characters and a bidi override: dropped on the way in.
    "\x07", "\x1b[31m", "\x7f", "\u202e", "\x85",
])
answer_text = st.lists(st.one_of(typed_text, tricky), max_size=6).map("".join)
name = st.one_of(typed_text, tricky).map(clean_line).filter(bool)


def normalised(text: str) -> str:
    """What the reader gives back for an answer: cleaned (CRLF and CR as LF) and trimmed."""
    return clean(text).strip()


@st.composite
def answer_sets(draw):
    people = draw(st.dictionaries(name, st.sampled_from(FUNCTIONS), min_size=1, max_size=5))
    answers = []
    for person, function in people.items():
        for dimension in draw(st.sets(st.sampled_from(DIMENSIONS), min_size=1)):
            answers.append(Answer(person, function, dimension, draw(answer_text)))
    return answers


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer_sets(), st.booleans())
def test_write_then_read_gives_the_answers_back(answers, with_bom):
    expected = [
        Answer(a.participant, a.function, a.dimension, normalised(a.text))
        for a in answers if normalised(a.text)
    ]
    data = (b"\xef\xbb\xbf" if with_bom else b"") + write_answers_csv(answers).encode("utf-8")
    if not expected:
        with pytest.raises(CsvError):
            read_answers_csv(data, functions=FUNCTIONS)
        return
    assert read_answers_csv(data, functions=FUNCTIONS) == expected


@settings(max_examples=100, deadline=None)
@given(answer_sets())
def test_lf_only_files_read_the_same_as_crlf(answers):
    # A file written with LF endings has no CR anywhere (Python's writer would
    # not even quote a lone CR then).
    function_of: dict[str, str] = {}
    cleaned = {}
    for a in answers:
        person = clean_line(a.participant.replace("\r", "")) or "x"
        function = function_of.setdefault(person, a.function)
        cleaned[person, a.dimension] = Answer(person, function, a.dimension,
                                              a.text.replace("\r", ""))
    answers = list(cleaned.values())
    if not any(normalised(a.text) for a in answers):
        return
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for a in answers:
        # As the app writes it: a formula cell carries its leading quote.
        writer.writerow([csv_cell(clean(v).strip()) for v in (a.participant, a.function, a.dimension, a.text)])
    lf = read_answers_csv(out.getvalue().encode(), functions=FUNCTIONS)
    assert lf == read_answers_csv(write_answers_csv(answers).encode(), functions=FUNCTIONS)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=400), typed_text.map(str.encode),
                 st.lists(st.one_of(typed_text, tricky, st.just(HEAD)), max_size=8).map("".join)))
def test_any_input_is_read_or_refused_with_a_message(data):
    """Never a crash: either answers, or a CsvError a person can act on."""
    try:
        answers = read_answers_csv(data, functions=FUNCTIONS)
    except CsvError as error:
        assert str(error).strip()
    else:
        assert answers and all(a.text.strip() for a in answers)


@pytest.mark.skipif(not SCENARIO_FILES, reason="shared devset not present")
def test_devset_round_trip_through_the_store(store):
    """Import a file into a session, export the session: the same answers."""
    raw = SCENARIO_FILES[0].read_bytes()
    answers = read_answers_csv(raw, functions=FUNCTIONS)
    session = store.create_session("Imported")
    ids: dict[str, int] = {}
    for a in answers:
        if a.participant not in ids:
            ids[a.participant] = store.add_participant(session.id, a.participant, a.function).id
        store.put_answer(ids[a.participant], a.dimension, a.text)
    exported = write_answers_csv(store.answers(session.id)).encode()
    key = lambda a: (a.participant, a.function, a.dimension, a.text)  # noqa: E731
    assert sorted(map(key, read_answers_csv(exported, functions=FUNCTIONS))) == sorted(map(key, answers))


# -- what the app exports, it imports -----------------------------------------

store_text = st.lists(st.one_of(typed_text, tricky, st.just("\x00")), max_size=6).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(people=st.lists(st.tuples(st.one_of(typed_text, tricky, st.just("Alex")), st.sampled_from(FUNCTIONS),
                                 st.dictionaries(st.sampled_from(DIMENSIONS), store_text, min_size=1)),
                       min_size=1, max_size=4))
def test_every_answers_export_of_a_session_imports_as_the_same_answers(tmp_path_factory, people):
    """Typed as people type (NUL, escapes, formulas, shared names): stored, exported, read back."""
    from workshop.export import answers_csv
    from workshop.store import Store, StoreError

    store = Store(tmp_path_factory.mktemp("db") / "round.db")
    session = store.create_session("Round trip")
    for person, function, texts in people:
        try:
            token = store.join(session.id, person, function).token
        except StoreError:
            continue  # a name of nothing visible is refused at the door
        for dimension, text in texts.items():
            store.save_answer(token, dimension, text)
    stored = store.answers(session.id)
    exported = answers_csv(store, session).encode("utf-8")
    assert b"\x00" not in exported
    if not stored:
        return
    back = read_answers_csv(exported, functions=FUNCTIONS)
    key = lambda a: (a.function, a.dimension, a.text)  # noqa: E731
    assert sorted(map(key, back)) == sorted(map(key, stored))
    # Two people who share a name stay two people.
    assert len({a.participant for a in back}) == len({a.participant_id for a in stored})


@pytest.mark.parametrize("typed", ["=1+1", "+44 20 7946 0000", "-5% churn", "@channel", "'=already quoted"])
def test_formulas_are_exported_as_text_and_read_back_as_typed(typed):
    data = write_answers_csv([Answer(typed, "sales", "trigger", typed, participant_id=1)])
    cells = next(r for i, r in enumerate(csv.reader(io.StringIO(data))) if i == 1)
    assert cells[0].startswith("'") and cells[3].startswith("'")
    (back,) = read_answers_csv(data.encode(), functions=FUNCTIONS)
    assert (back.participant, back.text) == (typed, typed)


def test_control_characters_in_an_imported_file_are_dropped_and_newlines_kept():
    data = (HEAD + 'Ana\x07,sales,trigger,"first\x1b[0m line\r\nsecond\tline\x0b"\r\n').encode()
    (answer,) = read_answers_csv(data, functions=FUNCTIONS)
    assert answer.participant == "Ana"
    assert answer.text == "first[0m line\nsecond\tline"
