import pytest

from workshop import scorecard as card
from workshop.scorecard import Metric, ScorecardError


def test_metrics_are_added_once_and_named():
    metrics = card.add_metric([], "  Marketing-qualified   leads ")
    assert metrics == [Metric("Marketing-qualified leads")]
    with pytest.raises(ScorecardError, match="already"):
        card.add_metric(metrics, "marketing-qualified LEADS")
    with pytest.raises(ScorecardError, match="Name"):
        card.add_metric(metrics, "   ")
    with pytest.raises(ScorecardError):
        card.add_metric(metrics, "x" * 500)


def test_rating_is_yes_partly_or_no_with_a_note():
    metrics = card.add_metric(card.add_metric([], "Win rate"), "Cost per lead")
    metrics = card.rate(metrics, "Win rate", "partly", "  only with the proof asset ")
    assert metrics[0] == Metric("Win rate", "partly", "only with the proof asset")
    assert metrics[1] == Metric("Cost per lead")
    with pytest.raises(ScorecardError):
        card.rate(metrics, "Win rate", "maybe")
    # Clearing the choice keeps the note.
    assert card.rate(metrics, "Win rate", None)[0] == Metric("Win rate", "", "only with the proof asset")


def test_scorecard_is_stored_and_tallied(store, session):
    metrics = card.add_metric(card.add_metric(card.add_metric([], "A"), "B"), "C")
    metrics = card.rate(card.rate(metrics, "A", "yes"), "B", "no", "sales owns it")
    card.save(store, session.id, metrics)
    again = card.load(store, session.id)
    assert again == metrics
    assert card.tally(again) == {"yes": 1, "partly": 0, "no": 1, "open": 1}
    card.save(store, session.id, card.remove(again, "B"))
    assert [m.name for m in card.load(store, session.id)] == ["A", "C"]
