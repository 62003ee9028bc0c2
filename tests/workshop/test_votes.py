"""Votes after the reveal: a limit per person, one vote per theme, changeable until voting closes."""

from __future__ import annotations

import pytest

from tests.reset_sample import make_session
from workshop import votes
from workshop.votes import VoteError


@pytest.fixture
def sample(store):
    session = make_session(store)
    return store.update_session(session.id, revealed=True)


@pytest.fixture
def voters(store, sample):
    return {p.name: p for p in store.participants(sample.id)}


def _theme(store, token, label):
    return next(t for t in votes.voter_view(store, token).themes if t.label == label)


def _vote(store, token, *labels):
    for label in labels:
        votes.cast(store, token, _theme(store, token, label).id)


def test_nothing_to_vote_on_before_voting_opens_nor_before_the_reveal(store, sample, voters):
    assert votes.voter_view(store, voters["Ana"].token) is None
    store.update_session(sample.id, revealed=False)
    with pytest.raises(VoteError, match="reveal first"):
        votes.open_voting(store, sample)


def test_the_themes_to_vote_on_follow_the_deep_dive_and_name_nobody(store, sample, voters):
    votes.open_voting(store, sample)
    view = votes.voter_view(store, voters["Ana"].token)
    trigger = [(t.label, t.side_words) for t in view.themes if t.prompt == "trigger"]
    assert trigger == [("Procurement runs a formal tender", "Only sales"),
                       ("Audit finding on manual reconciliation", "Only sales"),
                       ("Month-end close is too slow", "Both sides"),
                       ("Outgrowing spreadsheets", "Only marketing")]
    assert not any(name in repr(view) for name in voters)
    assert view.limit == 3 and view.left == 3 and view.open


def test_a_participant_voting_twice_on_one_theme_has_one_vote(store, sample, voters):
    votes.open_voting(store, sample)
    token = voters["Ana"].token
    _vote(store, token, "Price per seat", "Price per seat")
    view = votes.voter_view(store, token)
    assert len(view.mine) == 1 and view.left == 2
    assert votes.tally(store, sample.id).of("objections", "Price per seat") == 1


def test_the_limit_holds_and_a_vote_taken_back_frees_one(store, sample, voters):
    votes.open_voting(store, sample)
    token = voters["Ana"].token
    _vote(store, token, "Price per seat", "Migration effort", "Pilot on their own data")
    with pytest.raises(VoteError, match="used your 3 votes"):
        _vote(store, token, "Outgrowing spreadsheets")
    votes.cast(store, token, _theme(store, token, "Migration effort").id, on=False)
    _vote(store, token, "Outgrowing spreadsheets")
    assert votes.tally(store, sample.id).votes == 3


def test_the_limit_is_a_setting(store, sample, voters, monkeypatch):
    monkeypatch.setenv("BRIEF_RESET_VOTES", "1")
    votes.open_voting(store, sample)
    _vote(store, voters["Ana"].token, "Price per seat")
    with pytest.raises(VoteError, match="used your 1 votes"):
        _vote(store, voters["Ana"].token, "Migration effort")
    monkeypatch.setenv("BRIEF_RESET_VOTES", "lots")
    assert votes.votes_per_person() == 3


def test_votes_change_until_voting_closes_then_stay(store, sample, voters):
    votes.open_voting(store, sample)
    token = voters["Ben"].token
    _vote(store, token, "Price per seat")
    votes.close_voting(store, sample.id)
    with pytest.raises(VoteError, match="closed"):
        _vote(store, token, "Migration effort")
    view = votes.voter_view(store, token)
    assert not view.open and len(view.mine) == 1
    votes.open_voting(store, sample)  # opened again: the votes are still there
    assert len(votes.voter_view(store, token).mine) == 1


def test_a_late_joiner_votes_like_everyone(store, sample, voters):
    votes.open_voting(store, sample)
    late = store.add_participant(sample.id, "Hal", "sales")  # joined after the reveal
    _vote(store, late.token, "Price per seat", "Migration effort", "Pilot on their own data")
    assert votes.tally(store, sample.id).voters == 1


def test_top_voted_ties_are_kept_together_and_in_deep_dive_order(store, sample, voters):
    votes.open_voting(store, sample)
    for name in ("Ana", "Ben", "Chen"):
        _vote(store, voters[name].token, "Price per seat")
    for name in ("Dita", "Eva"):
        _vote(store, voters[name].token, "Migration effort", "Security review takes months")
    for name, label in (("Femi", "Outgrowing spreadsheets"), ("Gus", "Pilot on their own data"),
                        ("Ana", "Reference call with a peer"), ("Ben", "ERP add-on on total cost")):
        _vote(store, voters[name].token, label)
    themes = votes.voter_view(store, voters["Ana"].token).themes
    counts = votes.tally(store, sample.id)
    ranked = [(t.label, n) for t, n in votes.top(themes, counts, count=4)]
    # Four places, but four themes tie for the fourth: all listed, in prompt and deep dive order.
    assert ranked == [("Price per seat", 3), ("Security review takes months", 2), ("Migration effort", 2),
                      ("Outgrowing spreadsheets", 1), ("ERP add-on on total cost", 1),
                      ("Pilot on their own data", 1), ("Reference call with a peer", 1)]
    assert counts.voters == 7 and counts.votes == 11


def test_the_deep_dive_orders_a_column_by_votes(store, sample, voters):
    from workshop.analysis import session_report

    report = session_report(store, sample)
    sales = [t for t in report.dimension("trigger").themes if t.side == "sales"]
    votes.open_voting(store, sample)
    _vote(store, voters["Ana"].token, "Audit finding on manual reconciliation")
    ordered = votes.by_votes(sales, "trigger", votes.tally(store, sample.id))
    assert [t.label for t in ordered] == ["Audit finding on manual reconciliation", "Procurement runs a formal tender"]
    assert votes.by_votes(sales, "trigger", None) == sales
