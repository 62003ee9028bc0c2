"""The brief of record, read as people write it (issue 12): which point goes to which prompt."""

import pytest

from embeddings.brief import covered, label_prompt, read_brief
from workshop.models import DEFAULT_PROMPTS, Prompt

PROMPTS = list(DEFAULT_PROMPTS)


def sections(brief, prompts=PROMPTS, encoder=None):
    reading = read_brief(brief, prompts, encoder)
    return {p.key: reading.section(p.key) for p in prompts}


def test_markdown_headings():
    brief = ("# Customer brief: Acme\n\n## Primary buyer\nThe AP manager.\n\n## Triggers\n- Invoice volume grows.\n"
             "- A key clerk leaves.\n\n## Comparison set\nSpreadsheets and the ERP add-on.\n\n## Proof\n- ROI calculator.")
    got = sections(brief)
    assert got["trigger"] == ["Invoice volume grows.", "A key clerk leaves."]
    assert got["compare"] == ["Spreadsheets and the ERP add-on."]
    assert got["evidence"] == ["ROI calculator."]
    assert got["fears"] == [] and got["objections"] == []
    assert "The AP manager." in read_brief(brief, PROMPTS).unassigned()


def test_bold_labels_with_text_on_the_same_line():
    brief = ("**Primary buyer.** VP Engineering at cloud-native companies.\n\n**Triggers.**\n- Costs grow faster "
             "than revenue.\n\n**Comparison set.** The cloud consoles and spreadsheets. We win on setup time.\n\n"
             "**Fears.**\n- Bill shock: a forgotten cluster.")
    got = sections(brief)
    assert got["trigger"] == ["Costs grow faster than revenue."]
    assert got["compare"] == ["The cloud consoles and spreadsheets.", "We win on setup time."]
    assert got["fears"] == ["Bill shock: a forgotten cluster."]  # a colon inside a point is not a label


@pytest.mark.parametrize("bullet", ["- ", "• ", "* ", "1. ", ""])
def test_label_lines_with_or_without_bullets(bullet):
    brief = "\n".join(f"{bullet}{line}" for line in [
        "Trigger: new CFO wants a rolling forecast by Q3",
        "Compare: spreadsheets and the ERP add-on",
        "Fears: a failed rollout that lands on their desk",
        "Objections: price per seat",
        "Evidence: Our 4.8-star app store rating",
    ])
    got = sections(brief)
    assert got == {
        "trigger": ["new CFO wants a rolling forecast by Q3"],
        "compare": ["spreadsheets and the ERP add-on"],
        "fears": ["a failed rollout that lands on their desk"],
        "objections": ["price per seat"],
        "evidence": ["Our 4.8-star app store rating"],
    }


def test_a_label_line_only_labels_its_own_bullet():
    brief = "- Fears: losing data\n- Evidence: a reference call\nChampion: the AP lead\nOpen questions: none"
    reading = read_brief(brief, PROMPTS)
    assert reading.section("fears") == ["losing data"]
    assert reading.section("evidence") == ["a reference call"]
    assert reading.unassigned() == ["Champion: the AP lead", "Open questions: none"]


def test_wrapped_lines_continue_their_point():
    brief = "## Fears\n- Packaging that fails in the supply chain: seal failures,\n  shortened shelf life.\n- A gap."
    assert sections(brief)["fears"] == [
        "Packaging that fails in the supply chain: seal failures, shortened shelf life.", "A gap."]


def test_custom_prompts_are_matched_by_key_and_question():
    prompts = PROMPTS + [Prompt("channel", "Through which channel does the buyer buy?")]
    brief = "## Channel\n- Through the AWS Marketplace.\n\n## Buying channel partners\n- Resellers in EMEA."
    got = sections(brief, prompts)
    assert got["channel"] == ["Through the AWS Marketplace.", "Resellers in EMEA."]


def test_label_words_people_use():
    pairs = [(p.key, p.text) for p in PROMPTS]
    assert label_prompt("Why they start looking", pairs) == "trigger"
    assert label_prompt("What they compare us with", pairs) == "compare"
    assert label_prompt("Risks", pairs) == "fears"
    assert label_prompt("Objections we hear", pairs) == "objections"
    assert label_prompt("Proof that works", pairs) == "evidence"
    assert label_prompt("Primary buyer", pairs) is None
    # A plain "X: ..." line is a label only when X plainly names a prompt.
    assert label_prompt("Bill shock", pairs, strict=True) is None
    assert label_prompt("Risk of a failed rollout", pairs, strict=True) is None


class QuestionEncoder:
    """Puts each text on the axis of the prompt whose words it shares (a stand-in for meaning)."""

    name = "toy"
    AXES = {"trigger": ("trigger", "start", "happened", "auditor", "cfo"), "compare": ("compare", "spreadsheets"),
            "fears": ("fear", "risk", "afraid"), "objections": ("objections", "price", "expensive"),
            "evidence": ("evidence", "proof", "reference", "pilot")}

    def encode(self, texts):
        import numpy as np

        out = np.zeros((len(texts), 5), dtype=np.float32)
        for row, text in enumerate(texts):
            for column, words in enumerate(self.AXES.values()):
                out[row, column] = sum(word in text.lower() for word in words)
            out[row] /= max(np.linalg.norm(out[row]), 1e-9)
        return out


def test_a_brief_without_labels_is_read_by_meaning():
    brief = ("Our buyers start looking when an auditor flags manual work. They are afraid of a failed rollout. "
             "They say we are too expensive. A reference call changes their mind.")
    reading = read_brief(brief, PROMPTS, QuestionEncoder())
    assert not reading.labelled
    assert reading.section("trigger") == ["Our buyers start looking when an auditor flags manual work."]
    assert reading.section("fears") == ["They are afraid of a failed rollout."]
    assert reading.section("objections") == ["They say we are too expensive."]
    assert reading.section("evidence") == ["A reference call changes their mind."]
    assert all(p.by_meaning for p in reading.points)
    # Without an encoder nothing is guessed.
    assert read_brief(brief, PROMPTS).section("trigger") == []


def test_section_text_keeps_the_points_as_bullets():
    reading = read_brief("Trigger: a\n- Fears: losing data\n- Fears: a chaotic go-live", PROMPTS)
    assert reading.section_text("fears") == "- losing data\n- a chaotic go-live"


def test_covered_prefers_the_own_section():
    assert covered([0.5, 0.6], [0.1], at=0.5, margin=0.1)
    assert not covered([0.2], [0.55], at=0.5, margin=0.1)  # elsewhere it must be clearer
    assert covered([0.2], [0.65], at=0.5, margin=0.1)
    assert not covered([], [], at=0.5, margin=0.1)
