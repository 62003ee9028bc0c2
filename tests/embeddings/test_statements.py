import pytest
from hypothesis import given
from hypothesis import strategies as st

from embeddings.statements import MAX_STATEMENT_CHARS, split_answer, split_inline_list, list_item, strip_bullet


def test_one_statement_per_line_with_bullets_removed():
    text = "- first point\n• second point\n1. third\n2) fourth\n* fifth\n\n   \n"
    assert split_answer(text) == ["first point", "second point", "third", "fourth", "fifth"]


def test_crlf_and_blank_lines():
    assert split_answer("a point\r\n\r\nanother\r\n") == ["a point", "another"]


def test_run_on_numbered_line_is_split():
    assert split_answer("1) seal failures 2) supply gaps") == ["seal failures", "supply gaps"]
    assert split_answer("1. native AWS/Azure tooling 2. vantage") == ["native AWS/Azure tooling", "vantage"]


def test_inline_bullets_are_split():
    assert split_answer("cost • timing • lock-in") == ["cost", "timing", "lock-in"]


def test_numbers_that_are_not_a_list_stay_together():
    for line in ["grew 3. times", "v2.1 rollout", "cost up 2) maybe", "top 10. that is all"]:
        assert split_answer(line) == [line]
    assert split_inline_list("step 2) then 3)") == ["step 2) then 3)"]


def test_prose_punctuation_does_not_split():
    line = "cost - a subscription feels like paying forever; and the CFO hates it, honestly"
    assert split_answer(line) == [line]


def test_short_answers_and_abbreviations_are_kept():
    assert split_answer("API") == ["API"]
    assert split_answer("SLA, MSA, ROI") == ["SLA, MSA, ROI"]


def test_bullet_only_lines_are_dropped():
    assert split_answer("-\n•\n1)\n") == []
    assert strip_bullet("  -  ") == ""


def test_long_statement_is_clipped():
    (statement,) = split_answer("word " * 500)
    assert len(statement) <= MAX_STATEMENT_CHARS + 1


@given(st.text(max_size=400))
def test_statements_are_trimmed_non_empty_single_lines(text):
    for statement in split_answer(text):
        assert statement == statement.strip()
        assert statement
        assert "\n" not in statement and "\r" not in statement
        assert any(ch.isalnum() for ch in statement)


@given(st.lists(st.from_regex(r"[a-z][a-z ]{0,30}[a-z]", fullmatch=True), min_size=1, max_size=6),
       st.sampled_from(["- ", "• ", "* ", "", "1. "]))
def test_bulleted_lines_round_trip(points, bullet):
    text = "\n".join(bullet + p for p in points)
    assert split_answer(text) == [" ".join(p.split()) for p in points]


@given(st.lists(st.from_regex(r"[a-z][a-z ]{0,30}[a-z]", fullmatch=True), min_size=2, max_size=5))
def test_inline_numbered_list_round_trip(points):
    line = " ".join(f"{n}) {p}" for n, p in enumerate(points, start=1))
    assert split_answer(line) == [" ".join(p.split()) for p in points]


@pytest.mark.parametrize("line, text", [
    ("- a point", "a point"), ("  • a point  ", "a point"), ("* a point", "a point"),
    ("– a point", "a point"), ("— a point", "a point"), ("· a point", "a point"),
    ("▪ a point", "a point"), ("‣ a point", "a point"), ("◦ a point", "a point"),
    ("► a point", "a point"), ("+ a point", "a point"),
    ("1. a point", "a point"), ("2) a point", "a point"), ("(3) a point", "a point"),
    ("12. a point", "a point"),
])
def test_a_list_item_loses_its_mark(line, text):
    assert list_item(line) == (True, text)


@pytest.mark.parametrize("line", [
    "**Fears.** losing control", "-5% churn", "2024. was the year", "100. is not a list number",
    "•no space after the mark", "a) letters are not list marks in a typed text", "plain text", "",
])
def test_a_line_without_a_spaced_mark_is_not_a_list_item(line):
    assert list_item(line) == (False, line.strip())


@pytest.mark.parametrize("line, text", [
    ("- cost", "cost"), ("•cost", "cost"), ("1)cost", "cost"), ("(2) cost", "cost"),
    ("a) cost", "cost"), ("(b) cost", "cost"), ("--> cost", "cost"), ("> cost", "cost"),
    ("-5% churn", "5% churn"), ("v2.1 is late", "v2.1 is late"), ("12.5% churn", "12.5% churn"),
    ("1)", ""), ("  -  ", ""), ("•", ""),
])
def test_a_statement_loses_any_leading_mark(line, text):
    assert strip_bullet(line) == text

