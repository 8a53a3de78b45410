"""The exercise catalog: complete, consistent, and it finds what people type."""

import pytest

from core.catalog import CONFIDENT, POSSIBLE, Catalog
from core.domain import LoadType

CATALOG = Catalog.load()

REQUIRED = [
    "hip_thrust", "single_leg_hip_thrust", "bulgarian_split_squat", "single_leg_rdl", "glute_bridge", "clamshell",
    "banded_lateral_walk", "back_squat", "goblet_squat", "romanian_deadlift", "deadlift", "walking_lunge",
    "reverse_lunge", "leg_press_wide", "step_up", "cable_kickback", "hip_extension_45", "side_lying_hip_abduction",
    "machine_hip_abduction", "half_kneeling_hip_flexor_stretch", "standing_hip_flexor_stretch",
]


def test_the_catalog_has_at_least_40_exercises_including_every_seed():
    assert len(CATALOG) >= 40
    assert [i for i in REQUIRED if i not in CATALOG] == []


def test_every_exercise_has_cue_muscles_equipment_and_load_type():
    for exercise in CATALOG:
        assert exercise.cue and exercise.muscles and exercise.equipment, exercise.id
        assert isinstance(exercise.load_type, LoadType)


@pytest.mark.parametrize("typed, expected", [
    ("hip thrust", "hip_thrust"), ("Hip Thrusts:", "hip_thrust"), ("hipthrust", "hip_thrust"),
    ("hip trust", "hip_thrust"), ("bss", "bulgarian_split_squat"), ("bulgarians", "bulgarian_split_squat"),
    ("bridges", "glute_bridge"), ("glute bridge", "glute_bridge"), ("clams", "clamshell"),
    ("banded walks", "banded_lateral_walk"), ("rdl", "romanian_deadlift"), ("RDLs", "romanian_deadlift"),
    ("sldl", "single_leg_rdl"), ("single leg rdl", "single_leg_rdl"), ("single-leg deadlift", "single_leg_rdl"),
    ("sumo dl", "sumo_deadlift"), ("squats", "back_squat"), ("lunges", "walking_lunge"),
    ("leg press", "leg_press_wide"), ("step ups", "step_up"), ("kickbacks", "cable_kickback"),
    ("romanian deadlfit", "romanian_deadlift"), ("plank", "plank"), ("hip flexor stretch", "half_kneeling_hip_flexor_stretch"),
])
def test_names_aliases_plurals_and_typos_resolve_confidently(typed, expected):
    match = CATALOG.resolve(typed)
    assert match is not None and match.exercise.id == expected
    assert match.score >= CONFIDENT


@pytest.mark.parametrize("typed", ["bench press", "bicep curl", "asdf", "pull ups"])
def test_things_outside_the_catalog_are_not_taken_for_an_exercise(typed):
    match = CATALOG.resolve(typed)
    assert match is None or match.score < POSSIBLE


def test_candidates_offer_several_different_exercises():
    found = CATALOG.candidates("hip thrst", limit=3)
    assert found[0].exercise.id == "hip_thrust"
    assert len({m.exercise.id for m in found}) == 3


def test_a_duplicate_alias_is_refused_naming_both_exercises(tmp_path):
    broken = tmp_path / "exercises.toml"
    entry = ('[[exercise]]\nid = "{id}"\nname = "{name}"\naliases = ["bridge"]\npattern = "bridge"\n'
             'muscles = ["gluteus maximus"]\nequipment = ["mat"]\nload_type = "bodyweight"\ncue = "x"\n')
    broken.write_text(entry.format(id="a", name="A") + entry.format(id="b", name="B"))
    with pytest.raises(ValueError, match="already used by a"):
        Catalog.load(broken)


def test_an_unknown_tag_is_refused(tmp_path):
    broken = tmp_path / "exercises.toml"
    broken.write_text('[[exercise]]\nid = "a"\nname = "A"\npattern = "bridge"\nmuscles = ["x"]\n'
                      'equipment = ["mat"]\nload_type = "bodyweight"\ncue = "x"\ntags = ["magic"]\n')
    with pytest.raises(ValueError, match="exercise a: unknown tag"):
        Catalog.load(broken)
