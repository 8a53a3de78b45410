"""Every phrasing people use for a set log, read into exercise, sets, reps and load."""

import pytest
from hypothesis import given, settings, strategies as st

from core.catalog import CONFIDENT, Catalog
from core.setlog.parser import Ambiguous, ParsedLine, Unreadable, parse_line, split_lines

CATALOG = Catalog.load()

# text -> (exercise id, reps per set (or seconds), load, unit, per side, rpe)
PHRASINGS = {
    "hip thrust 3x10 @ 60kg": ("hip_thrust", [10, 10, 10], 60, "kg", False, None),
    "hip thrust 3x10 60kg": ("hip_thrust", [10, 10, 10], 60, "kg", False, None),
    "3x10 hip thrust 60 kg": ("hip_thrust", [10, 10, 10], 60, "kg", False, None),
    "hip thrust 60kg x 10, 10, 8": ("hip_thrust", [10, 10, 8], 60, "kg", False, None),
    "Hip thrusts: 60kg x 10,10,8": ("hip_thrust", [10, 10, 8], 60, "kg", False, None),
    "bss 10/10/8 12.5kg": ("bulgarian_split_squat", [10, 10, 8], 12.5, "kg", False, None),
    "bss 3x8 each leg 16kg": ("bulgarian_split_squat", [8, 8, 8], 16, "kg", True, None),
    "bridges 2x20": ("glute_bridge", [20, 20], None, None, False, None),
    "glute bridge 20 reps": ("glute_bridge", [20], None, None, False, None),
    "clams 3x15 per side": ("clamshell", [15, 15, 15], None, None, True, None),
    "banded walks 3x12 steps": ("banded_lateral_walk", [12, 12, 12], None, None, False, None),
    "rdl 4x8 @ 70 kg rpe 8": ("romanian_deadlift", [8, 8, 8, 8], 70, "kg", False, 8),
    "hip thrust 135lb 5x5": ("hip_thrust", [5] * 5, 135, "lb", False, None),
    "hip thrust 60,5 kg 3x10": ("hip_thrust", [10, 10, 10], 60.5, "kg", False, None),
    "hip thrust 3x10 @ 100 lbs": ("hip_thrust", [10, 10, 10], 100, "lb", False, None),
    "hip thrust 3x10 @ 100 pounds": ("hip_thrust", [10, 10, 10], 100, "lb", False, None),
    "3 sets of 10 hip thrusts at 60kg": ("hip_thrust", [10, 10, 10], 60, "kg", False, None),
    "hip thrust 3x10x60kg": ("hip_thrust", [10, 10, 10], 60, "kg", False, None),
    "hip thrust 3x10 60": ("hip_thrust", [10, 10, 10], 60, "kg", False, None),
    "squat 100x5": ("back_squat", [5], 100, "kg", False, None),
    "step ups 3x10/side": ("step_up", [10, 10, 10], None, None, True, None),
    "RDLs 3 x 8 @ 80kg": ("romanian_deadlift", [8, 8, 8], 80, "kg", False, None),
    "kickbacks 3x12 each side 10kg": ("cable_kickback", [12, 12, 12], 10, "kg", True, None),
}
TIMED = {
    "plank 3x45s": ("plank", [45, 45, 45]),
    "plank 60s": ("plank", [60]),
    "side plank 2x30 sec": ("side_plank", [30, 30]),
}


@pytest.mark.parametrize("text", PHRASINGS)
def test_phrasing_is_understood_exactly(text):
    exercise_id, reps, load, unit, per_side, rpe = PHRASINGS[text]
    parsed = parse_line(text)
    assert isinstance(parsed, ParsedLine), parsed
    match = CATALOG.resolve(parsed.exercise)
    assert match.exercise.id == exercise_id and match.score >= CONFIDENT
    assert [s.reps for s in parsed.sets] == reps
    assert {s.load for s in parsed.sets} == {load}
    assert (parsed.unit, parsed.per_side, parsed.rpe) == (unit if load else None, per_side, rpe)


@pytest.mark.parametrize("text", TIMED)
def test_timed_holds(text):
    exercise_id, seconds = TIMED[text]
    parsed = parse_line(text)
    assert CATALOG.resolve(parsed.exercise).exercise.id == exercise_id
    assert [s.seconds for s in parsed.sets] == seconds and all(s.reps is None for s in parsed.sets)


def test_a_load_without_unit_uses_the_persons_units():
    assert parse_line("hip thrust 3x10 @ 135", default_unit="lb").unit == "lb"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("3x10", "no exercise name"),
        ("hip thrust", "no sets or reps"),
        ("hip thrust 3x500", "out of range"),
        ("hip thrust 50x10 @ 60kg", "more than I can believe"),
        ("hip thrust 3x10 60kg 70kg", "more than one load"),
        ("hip thrust 3x10 -20kg", "negative"),
        ("hip thrust 100000000x10 @ 60kg", "more than I can believe"),
        ("hip thrust 3x10 60kg rpe 11", "RPE goes from 1 to 10"),
        ("hip thrust 3x10 60kg rir 12", "reps in reserve go from 0 to 10"),
        ("bss 3x10/leg w/ 25s", "reps and a time"),
    ],
)
def test_unreadable_lines_say_why(text, reason):
    parsed = parse_line(text)
    assert isinstance(parsed, Unreadable) and reason in parsed.reason


def test_several_lines_in_one_message_are_several_logs():
    assert split_lines("hip thrust 3x10 60kg\n\nbss 3x8 16kg; bridges 2x20") == [
        "hip thrust 3x10 60kg",
        "bss 3x8 16kg",
        "bridges 2x20",
    ]


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=400))
def test_no_text_makes_the_parser_fail(text):
    for line in split_lines(text) or [text]:
        result = parse_line(line)
        assert isinstance(result, (ParsedLine, Ambiguous, Unreadable))
        for line in result.readings if isinstance(result, Ambiguous) else [result]:
            if isinstance(line, ParsedLine):
                assert line.sets and all((s.reps or s.seconds or s.distance_m) for s in line.sets)
