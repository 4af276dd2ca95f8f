"""The traffic lights' rules, on their own (cycle/lights.py)."""

from mineralstrategi.cycle import lights
from mineralstrategi.cycle.lights import (
    AT_RISK,
    NOT_REPORTED,
    OFF_TRACK,
    ON_TRACK,
    Lit,
    computed_light,
    light_of,
    rolled_up,
)
from mineralstrategi.cycle.models import Progress
from mineralstrategi.implementation.rollup import Node


def test_the_lights_are_the_states_an_owner_reports():
    assert {ON_TRACK, AT_RISK, OFF_TRACK} == set(Progress.values)


def test_the_reported_state_comes_first_then_the_computed_then_not_reported():
    assert light_of(AT_RISK, ON_TRACK) == AT_RISK
    assert light_of("", OFF_TRACK) == OFF_TRACK
    assert light_of(None, None) == NOT_REPORTED


def test_the_computed_status_maps_open_sdg_categories_least_favourable_place_counting():
    assert computed_light(["achieved"]) == ON_TRACK
    assert computed_light(["on_track", "acceleration_needed"]) == AT_RISK
    assert computed_light(["on_track", "limited_progress"]) == OFF_TRACK
    assert computed_light(["deterioration"]) == OFF_TRACK
    assert computed_light(["unknown"]) is None
    assert computed_light([]) is None


def test_the_roll_up_rule():
    assert rolled_up([]) is None
    assert rolled_up([NOT_REPORTED, NOT_REPORTED]) == NOT_REPORTED
    assert rolled_up([ON_TRACK, OFF_TRACK, AT_RISK]) == OFF_TRACK
    assert rolled_up([ON_TRACK, AT_RISK]) == AT_RISK
    # One in three not reported is not more than a third; two in five is.
    assert rolled_up([ON_TRACK, ON_TRACK, NOT_REPORTED]) == ON_TRACK
    assert rolled_up([ON_TRACK] * 3 + [NOT_REPORTED] * 2) == AT_RISK


def test_a_direction_counts_its_goals_subjects_once():
    tree = [Node("d", [Node("g1"), Node("g2")])]
    lit = [
        Lit(("initiative", 1), ON_TRACK, frozenset({"g1", "g2"})),
        Lit(("indicator", 1), OFF_TRACK, frozenset({"g2"})),
        Lit(("initiative", 2), NOT_REPORTED, frozenset({"d"})),
    ]
    flat = lights.flatten(lights.roll_up(tree, lit))
    assert flat["g1"].counts[ON_TRACK] == 1 and flat["g1"].light == ON_TRACK
    assert flat["g2"].total == 2 and flat["g2"].light == OFF_TRACK
    assert flat["d"].counts == {ON_TRACK: 1, AT_RISK: 0, OFF_TRACK: 1, NOT_REPORTED: 1}
    assert flat["d"].light == OFF_TRACK
