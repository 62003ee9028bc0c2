"""Every reader of a typed text (the brief, a reset brief section, notes) takes the same list items.

The cases of the bullet reading itself are in tests/embeddings/test_statements.py.
"""

from embeddings.brief import read_brief
from workshop.models import DEFAULT_PROMPTS
from workshop.reset_brief import brief_points
from workshop.summary import text_blocks


def test_every_reader_of_a_typed_text_takes_the_same_items():
    text = "- audit findings\n• losing control\n(3) a failed rollout\n+ vendor lock-in"
    items = ["audit findings", "losing control", "a failed rollout", "vendor lock-in"]
    assert brief_points(text) == items
    assert [(b.kind, b.lines) for b in text_blocks(text)] == [("items", items)]
    points = read_brief("Fears:\n" + text, DEFAULT_PROMPTS).points
    assert [(p.text, p.prompt) for p in points] == [(item, "fears") for item in items]
