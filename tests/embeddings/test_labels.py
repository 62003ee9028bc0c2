"""Theme labels: a short phrase in the side's own words, the same every time (issue 12)."""

from embeddings.labels import MAX_WORDS, WHOLE_WORDS, short_label

PROMPT = [
    "ERP replatform. 3 of my last 4 deals started at the S/4 or NetSuite project kickoff",
    "new ERP going in next year",
    "they're moving off Dynamics GP to NetSuite this spring",
    "controller got burned by a fake 'new bank details' email last quarter",
    "BEC attempt / vendor bank change scam. CFO wants controls on the vendor master yesterday",
    "Invoice volume growing faster than the AP team can handle",
]


def test_a_short_central_statement_is_its_own_label():
    assert short_label(["new ERP going in next year", PROMPT[0]], PROMPT[:3], PROMPT) == "New ERP going in next year"


def test_a_long_statement_gives_a_phrase_of_its_own_words():
    members = [PROMPT[3], PROMPT[4]]
    label = short_label(members, members, PROMPT)
    assert 1 <= len(label.split()) <= MAX_WORDS
    words = {w.lower().strip(".,'/") for w in " ".join(members).split()}
    assert {w.lower().strip(".,'/") for w in label.split()} <= words
    assert "bank" in label.lower()  # the word both statements use
    assert short_label(members, members, PROMPT) == label  # deterministic


def test_labels_never_run_long():
    long = " ".join(f"word{i}" for i in range(30))
    assert len(short_label([long], [long], [long]).split()) <= MAX_WORDS
    assert WHOLE_WORDS <= 7


def test_quote_marks_are_not_left_dangling():
    assert short_label(["'We can do this in our ERP'"], ["x"], ["x"]) == "'We can do this in our ERP'"
    assert short_label(["ERP add-on is 'good enough"], ["x"], ["x"]) == "ERP add-on is 'good enough"
