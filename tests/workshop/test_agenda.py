from datetime import datetime, timedelta, timezone

from workshop import agenda
from workshop.agenda import READINESS_KEY, STEPS, Agenda
from workshop.models import Answer

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def test_the_steps_in_meeting_order_with_suggested_minutes():
    assert [s.key for s in STEPS] == [
        "ground_rules", "commercial_reality", "descriptions", "crossread", "reveal", "votes",
        "deep_dive", "scorecard", "reset_brief", "actions",
    ]
    assert all(s.minutes > 0 for s in STEPS)
    assert Agenda().total_minutes == sum(s.minutes for s in STEPS)


def test_leaving_a_step_stops_its_clock_and_keeps_its_time():
    a = agenda.start(Agenda(), T0)
    agenda.next_step(a, T0 + timedelta(minutes=7))
    assert a.current == 1
    later = T0 + timedelta(minutes=10)
    assert agenda.elapsed_seconds(a, "ground_rules", later) == 7 * 60
    assert agenda.elapsed_seconds(a, "commercial_reality", later) == 3 * 60
    # Coming back adds to the time already spent.
    agenda.previous_step(a, later)
    assert agenda.elapsed_seconds(a, "ground_rules", later + timedelta(minutes=2)) == 9 * 60
    assert agenda.elapsed_seconds(a, "commercial_reality", later + timedelta(minutes=2)) == 3 * 60


def test_moves_stay_inside_the_agenda():
    a = agenda.start(Agenda(), T0)
    agenda.previous_step(a, T0)
    assert a.current == 0
    agenda.go_to(a, 99, T0)
    assert a.current == len(STEPS) - 1
    agenda.next_step(a, T0)
    assert a.current == len(STEPS) - 1


def test_over_time_is_reported_against_the_edited_duration():
    a = agenda.start(Agenda(), T0)
    agenda.set_minutes(a, "ground_rules", 2)
    assert not agenda.is_over(a, "ground_rules", T0 + timedelta(minutes=1))
    assert agenda.is_over(a, "ground_rules", T0 + timedelta(minutes=3))
    assert agenda.clock_text(3 * 60 + 5) == "03:05"
    assert agenda.clock_text(3600 + 61) == "1:01:01"


def test_minutes_are_clamped_and_unknown_steps_refused():
    a = Agenda()
    assert agenda.set_minutes(a, "reveal", 0).minutes_for("reveal") == agenda.MIN_MINUTES
    assert agenda.set_minutes(a, "reveal", 10_000).minutes_for("reveal") == agenda.MAX_MINUTES
    assert agenda.set_minutes(a, "reveal", "abc").minutes_for("reveal") == agenda.MIN_MINUTES
    try:
        agenda.set_minutes(a, "nope", 5)
    except KeyError:
        pass
    else:
        raise AssertionError("unknown step accepted")


def test_a_damaged_stored_agenda_falls_back_to_the_start():
    a = Agenda.from_dict({"current": 42, "minutes": {"reveal": "x", "bogus": 3}, "spent": {"reveal": -5}})
    assert a.current == 0
    assert a.minutes == {"reveal": agenda.MIN_MINUTES}
    assert a.spent == {"reveal": 0.0}
    assert Agenda.from_dict(None).current == 0


def test_the_agenda_survives_a_reload_from_the_store(store, session):
    a = agenda.start(agenda.load(store, session.id), T0)
    agenda.go_to(a, agenda.STEP_KEYS.index("deep_dive"), T0 + timedelta(minutes=5))
    agenda.set_minutes(a, "deep_dive", 55)
    agenda.save(store, session.id, a)
    again = agenda.load(store, session.id)
    assert again.step.key == "deep_dive"
    assert again.minutes_for("deep_dive") == 55
    assert agenda.elapsed_seconds(again, "ground_rules", T0 + timedelta(hours=1)) == 5 * 60


def test_readiness_is_off_by_default_and_adds_one_prompt(store, session):
    assert not agenda.readiness_enabled(session)
    on = agenda.set_readiness(store, session, True)
    assert agenda.readiness_enabled(on)
    assert [p.key for p in on.prompts].count(READINESS_KEY) == 1
    assert all(stage in on.prompt(READINESS_KEY).example for stage in agenda.READINESS_STAGES)
    again = agenda.set_readiness(store, on, True)
    assert [p.key for p in again.prompts].count(READINESS_KEY) == 1
    off = agenda.set_readiness(store, again, False)
    assert not agenda.readiness_enabled(off)
    assert [p.key for p in off.prompts] == [p.key for p in session.prompts]
    assert store.get_state(session.id, agenda.READINESS_STATE_KEY) is False


def test_readiness_answers_map_to_stages():
    assert agenda.readiness_stage("3") == 2
    assert agenda.readiness_stage("Stage 5") == 4
    assert agenda.readiness_stage("1. Not yet aware of a problem") == 0
    assert agenda.readiness_stage("Deciding whether now is the time") == 3
    assert agenda.readiness_stage("mostly comparing options and alternatives") == 2
    assert agenda.readiness_stage("they already have a shortlist of vendors") == 4
    assert agenda.readiness_stage("") is None
    assert agenda.readiness_stage("no idea honestly") is None
    assert agenda.readiness_stage("in 2024 it changed") is None


def test_readiness_tally_is_a_share_within_each_function():
    answers = [
        Answer("a", "sales", READINESS_KEY, "5"),
        Answer("b", "sales", READINESS_KEY, "5"),
        Answer("c", "sales", READINESS_KEY, "3"),
        Answer("d", "sales", READINESS_KEY, "no idea"),
        Answer("e", "marketing", READINESS_KEY, "1"),
        Answer("f", "marketing", "trigger", "5"),  # another prompt: not counted
    ]
    rows = agenda.readiness_tally(answers, ["sales", "marketing"])
    by = {(r["function"], r["stage"]): r for r in rows}
    assert by[("sales", "Choosing a vendor")]["people"] == 2
    assert by[("sales", "Choosing a vendor")]["share"] == 0.5
    assert by[("sales", "Unclear")]["people"] == 1
    assert by[("marketing", "Not yet aware of a problem")]["share"] == 1.0
    assert ("marketing", "Unclear") not in by
    assert sum(r["people"] for r in rows if r["function"] == "marketing") == 1


def _stages(pairs):
    return [Answer(name, function, READINESS_KEY, text) for name, function, text in pairs]


def test_readiness_two_sides_at_opposite_ends_are_different_stages():
    # The meeting of issue 15: both sales people chose "Choosing a vendor", both
    # marketing people "Weighing whether it is worth solving".
    answers = _stages([
        ("Ana", "sales", "Choosing a vendor"), ("Ben", "sales", "Choosing a vendor"),
        ("Eva", "marketing", "Weighing whether it is worth solving"),
        ("Gus", "marketing", "Weighing whether it is worth solving"),
    ])
    result = agenda.readiness_comparison(answers, ["sales", "marketing"])
    assert result.verdict == agenda.APART and result.verdict_words == "Different stages"
    assert result.stages_apart == 3.0
    assert "sales mostly at “Choosing a vendor” (2 of 2)" in result.sentence
    assert "marketing mostly at “Weighing whether it is worth solving” (2 of 2)" in result.sentence
    assert "Sales put the buyer 3 stages further along than marketing do." in result.sentence


def test_readiness_neighbouring_choices_are_the_same_stage():
    answers = _stages([
        ("Ana", "sales", "3"), ("Ben", "sales", "4"), ("Eva", "marketing", "3"), ("Gus", "marketing", "3"),
    ])
    result = agenda.readiness_comparison(answers, ["sales", "marketing"])
    assert result.verdict == agenda.SAME_STAGE
    assert result.sentence.startswith("Same stage:")


def test_readiness_without_one_side_says_so_and_counts_unclear_answers():
    answers = _stages([("Ana", "sales", "5"), ("Eva", "marketing", "no idea honestly")])
    result = agenda.readiness_comparison(answers, ["sales", "marketing"])
    assert result.verdict == agenda.NOT_ENOUGH and "marketing" in result.sentence
    assert result.side("marketing").unclear == 1
    assert agenda.readiness_comparison([], ["sales", "marketing"]) is None


def test_an_agenda_stored_before_the_new_steps_stays_on_its_step():
    # Stored as an index into the eight steps there were; "4" was the deep dive.
    assert Agenda.from_dict({"current": 4}).step.key == "deep_dive"
    assert Agenda.from_dict({"current": 3}).step.key == "reveal"
    assert Agenda.from_dict(Agenda(agenda.STEP_KEYS.index("votes")).to_dict()).step.key == "votes"


def test_next_and_back_pass_over_a_step_the_session_leaves_out():
    a = agenda.go_to(agenda.start(Agenda(), T0), agenda.STEP_KEYS.index("descriptions"), T0)
    agenda.next_step(a, T0, skipped={"crossread"})
    assert a.step.key == "reveal"
    agenda.previous_step(a, T0, skipped={"crossread"})
    assert a.step.key == "descriptions"
    agenda.next_step(a, T0)
    assert a.step.key == "crossread"
    assert agenda.planned_minutes(a, {"crossread"}) == a.total_minutes - a.minutes_for("crossread")
    assert agenda.step("crossread").key not in [STEPS[i].key for i in agenda.shown_steps({"crossread"})]
    assert agenda.STEP_KEYS.index("crossread") in agenda.shown_steps({"crossread"}, current=3)
