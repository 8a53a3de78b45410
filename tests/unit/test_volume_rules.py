"""/week counts hard glute sets the same way the programs plan them."""

import pytest

from core.library import default_library
from core.programs import hard_sets
from core.volume import volume_rules

LIBRARY = default_library()
RULES = volume_rules()


@pytest.mark.parametrize("program", LIBRARY.programs.values(), ids=lambda p: p.id)
def test_doing_a_program_day_as_written_counts_the_hard_sets_it_plans(program):
    for day in program.days:
        counted = sum(item.sets for item in day.items if RULES.is_hard_glute_set(LIBRARY.catalog.get(item.exercise_id)))
        assert counted == hard_sets(day), f"{program.id} {day.title}"


@pytest.mark.parametrize(
    "exercise_id, counts",
    [
        ("hip_thrust", True),
        ("bulgarian_split_squat", True),
        ("side_lying_hip_abduction", True),
        ("clamshell", False),  # activation drill
        ("pigeon_stretch", False),  # mobility
        ("side_plank", False),  # trunk work, a timed hold
        ("nordic_curl", False),  # hamstrings, not glutes
    ],
)
def test_what_counts_as_a_hard_glute_set(exercise_id, counts):
    assert RULES.is_hard_glute_set(LIBRARY.catalog.get(exercise_id)) is counts


def test_custom_exercises_are_not_counted():
    assert RULES.is_hard_glute_set(None) is False


def test_the_target_is_the_fact_sheets_range():
    assert (RULES.low, RULES.high) == (10, 20)
