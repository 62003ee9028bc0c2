"""The New session form and the hints participants see (issue 15 items 4 and 7)."""

from __future__ import annotations

import re

import pytest

from tests.pages.conftest import ADMIN_KEY, open_app, rerun, values
from workshop import agenda
from workshop.models import DEFAULT_PROMPTS

pytestmark = pytest.mark.usefixtures("admin_key")

# The old hints: sample answers in one company's words ("Security review takes
# months" was the very point the meeting was meant to hear from sales only).
OLD_CONTENT = re.compile(r"auditor|CFO|ERP|security|pilot|reference|spreadsheet|rollout|price|seat|migration",
                         re.IGNORECASE)


def test_default_hints_say_how_to_answer_never_what():
    for prompt in DEFAULT_PROMPTS:
        assert "per line" in prompt.example, prompt.key
        assert not OLD_CONTENT.search(prompt.example), prompt.key
        assert "\n" not in prompt.example  # one sentence, not a list of sample points


def _create(at, title="Hints"):
    at.text_input(key="create_title").input(title)
    at.button(key="FormSubmitter:create-Create session").click()
    return rerun(at)


def test_the_facilitator_edits_or_removes_each_hint(store):
    at = open_app(admin=ADMIN_KEY)
    at.text_input(key="hint_objections").input("Write them the way the buyer says them, one per line.")
    at.text_input(key="hint_trigger").input("")
    _create(at)
    [created] = store.list_sessions()
    assert created.prompt("objections").example == "Write them the way the buyer says them, one per line."
    assert created.prompt("trigger").example == ""
    assert created.prompt("fears").example == DEFAULT_PROMPTS[2].example

    me = store.join(created.id, "Priya", "sales")
    page = open_app(p=me.token)
    captions = values(page.caption)
    assert any("Write them the way the buyer says them, one per line" in c for c in captions)
    assert not any("A good answer looks like" in c for c in captions)
    # The trigger question has no hint at all now: nothing between it and its box.
    assert sum("per line" in c for c in captions) == len(DEFAULT_PROMPTS) - 1


def test_readiness_is_switched_on_in_the_new_session_form(store):
    at = open_app(admin=ADMIN_KEY)
    at.checkbox(key="create_readiness").check()
    _create(at, "With readiness")
    [created] = store.list_sessions()
    assert agenda.readiness_enabled(created)
    assert created.dimension_keys[-1] == agenda.READINESS_KEY
    me = store.join(created.id, "Priya", "sales")
    assert open_app(p=me.token).radio(key="answer_readiness") is not None


def test_without_the_switch_there_is_no_readiness_question(store):
    _create(open_app(admin=ADMIN_KEY), "Plain")
    [created] = store.list_sessions()
    assert not agenda.readiness_enabled(created)


BULLETED = ("- Trigger: invoice volume grows faster than the team\n- Fears: a failed rollout\n"
            "- Evidence: Our 4.8-star app store rating\nChampion: the AP lead")


def test_the_brief_is_shown_as_read_before_the_session_is_saved(store):
    # Issue 12: a bulleted brief used to be read as no section at all, found out only in the deep dive.
    at = open_app(admin=ADMIN_KEY)
    at.text_input(key="create_title").input("With a brief")
    at.text_area(key="create_brief").input(BULLETED)
    at.button(key="FormSubmitter:create-Create session").click()
    rerun(at)
    assert store.list_sessions() == []  # not yet: first the reading is shown
    shown = " ".join(values(at.markdown))
    assert "How the brief is read" in shown
    assert "**Trigger:** “invoice volume grows faster than the team”" in shown
    assert "app store rating”" in shown
    assert "Champion\\: the AP lead" in shown  # belongs to no prompt
    assert "nothing found" in shown  # compare and objections have no section
    at.button(key="FormSubmitter:create-Create session").click()
    rerun(at)
    [created] = store.list_sessions()
    assert created.brief == BULLETED


def test_changing_the_brief_after_checking_shows_it_again(store):
    at = open_app(admin=ADMIN_KEY)
    at.text_input(key="create_title").input("Changed")
    at.text_area(key="create_brief").input("## Fears\n- losing data")
    at.button(key="FormSubmitter:create-Show how the brief is read").click()
    rerun(at)
    at.text_area(key="create_brief").input("## Fears\n- losing data\n## Proof\n- a pilot on their data")
    at.button(key="FormSubmitter:create-Create session").click()
    rerun(at)
    assert store.list_sessions() == []
    assert "a pilot on their data" in " ".join(values(at.markdown))
