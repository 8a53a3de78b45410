"""The exercise catalog: complete, consistent, and it finds what people type."""

from collections import defaultdict

import pytest

from core.catalog import CONFIDENT, POSSIBLE, Catalog, normalise
from core.domain import LoadType

CATALOG = Catalog.load()

REQUIRED = [
    "hip_thrust",
    "single_leg_hip_thrust",
    "glute_bridge",
    "single_leg_glute_bridge",
    "banded_glute_bridge",
    "bulgarian_split_squat",
    "single_leg_rdl",
    "romanian_deadlift",
    "deadlift",
    "sumo_deadlift",
    "back_squat",
    "front_squat",
    "goblet_squat",
    "box_squat",
    "sumo_squat",
    "bodyweight_squat",
    "walking_lunge",
    "reverse_lunge",
    "lateral_lunge",
    "step_up",
    "leg_press_wide",
    "clamshell",
    "banded_lateral_walk",
    "side_lying_hip_abduction",
    "machine_hip_abduction",
    "seated_banded_abduction",
    "cable_kickback",
    "quadruped_hip_extension",
    "hip_extension_45",
    "reverse_hyper",
    "cable_pull_through",
    "kettlebell_swing",
    "frog_pump",
    "good_morning",
    "nordic_curl",
    "glute_squeeze",
    "standing_hip_flexor_stretch",
    "half_kneeling_hip_flexor_stretch",
    "couch_stretch",
    "pigeon_stretch",
    "figure_four_stretch",
    "cat_camel",
    "dead_bug",
    "bird_dog",
    "side_plank",
    "plank",
    "copenhagen_plank",
    "wall_sit",
    "hip_airplane",
    "curtsy_lunge",
    "hip_thrust_machine",
    "smith_hip_thrust",
]

# What people type, from the brief: each must be an exact name or alias of that exercise.
REQUIRED_ALIASES = {
    "hip_thrust": ["hip thrust", "hip thrusts", "ht", "barbell hip thrust"],
    "glute_bridge": ["bridge", "bridges", "glute bridges"],
    "bulgarian_split_squat": ["bss", "bulgarian", "split squat bulgarian"],
    "single_leg_rdl": ["sldl", "sl rdl", "single leg deadlift", "single-leg deadlift"],
    "romanian_deadlift": ["rdl", "romanian deadlift", "rdls"],
    "back_squat": ["squat", "squats", "back squat"],
    "walking_lunge": ["lunges", "lunge"],
    "leg_press_wide": ["leg press"],
    "clamshell": ["clams", "clamshells", "clam"],
    "banded_lateral_walk": ["banded walks", "lateral band walk", "monster walk", "band walks"],
    "machine_hip_abduction": ["abduction machine", "hip abduction"],
    "cable_kickback": ["kickbacks"],
    "quadruped_hip_extension": ["donkey kicks"],
    "hip_extension_45": ["45 degree hip extension", "back extension glute", "hyperextension"],
    "half_kneeling_hip_flexor_stretch": ["hip flexor stretch"],
    "couch_stretch": ["couch stretch"],
    "plank": ["plank", "planks"],
}


def test_the_catalog_has_at_least_45_exercises_including_every_required_one():
    assert len(CATALOG) >= 45
    assert [i for i in REQUIRED if i not in CATALOG] == []


def test_get_refuses_an_unknown_id():
    with pytest.raises(KeyError):
        CATALOG.get("moon_squat")
    assert "moon_squat" not in CATALOG


def test_no_name_or_alias_belongs_to_two_exercises():
    owners = defaultdict(set)
    for exercise in CATALOG:
        for name in (exercise.name, *exercise.aliases):
            owners[normalise(name)].add(exercise.id)
    assert {name: ids for name, ids in owners.items() if len(ids) > 1} == {}


def test_every_name_and_alias_finds_its_own_exercise_exactly():
    for exercise in CATALOG:
        for name in (exercise.name, *exercise.aliases):
            match = CATALOG.resolve(name)
            assert (match.exercise.id, match.exact, match.score) == (exercise.id, True, 100), name


@pytest.mark.parametrize("exercise_id, typed", [(i, t) for i, names in REQUIRED_ALIASES.items() for t in names])
def test_what_people_type_is_an_exact_alias(exercise_id, typed):
    match = CATALOG.resolve(typed)
    assert match.exact and match.exercise.id == exercise_id


def test_every_exercise_is_complete_and_consistent():
    for exercise in CATALOG:
        assert exercise.cue and exercise.muscles and exercise.equipment, exercise.id
        assert exercise.id == exercise.id.lower() and " " not in exercise.id, exercise.id
        if exercise.load_type == LoadType.WEIGHTED:
            assert exercise.increment_kg > 0, exercise.id
        else:
            assert exercise.increment_kg == 0, exercise.id
        if "unilateral" in exercise.tags:
            assert exercise.per_side, exercise.id


def test_tags_say_what_pain_rules_need_and_never_contradict_each_other():
    spinal = {e.id for e in CATALOG.with_tag("spinal_load")}
    assert {"back_squat", "front_squat", "deadlift", "romanian_deadlift", "good_morning"} <= spinal
    assert spinal.isdisjoint(e.id for e in CATALOG.with_tag("spine_friendly"))
    assert {"hip_thrust", "glute_bridge", "machine_hip_abduction", "cable_pull_through"} <= {
        e.id for e in CATALOG.with_tag("spine_friendly")
    }
    knee_friendly = {e.id for e in CATALOG.with_tag("knee_friendly")}
    assert knee_friendly.isdisjoint(e.id for e in CATALOG.with_tag("deep_knee_flexion"))
    assert {"bulgarian_split_squat", "walking_lunge", "back_squat"} <= {
        e.id for e in CATALOG.with_tag("deep_knee_flexion")
    }
    assert all("low_load" in e.tags for e in CATALOG.with_tag("glute_activation"))
    assert len(CATALOG.with_tag("hip_flexor_stretch")) >= 2
    assert all(e.load_type == LoadType.TIMED for e in CATALOG.with_tag("hip_flexor_stretch"))


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("hip thrust", "hip_thrust"),
        ("Hip Thrusts:", "hip_thrust"),
        ("hipthrust", "hip_thrust"),
        ("hip trust", "hip_thrust"),
        ("hip thurst", "hip_thrust"),
        ("bss", "bulgarian_split_squat"),
        ("bulgarians", "bulgarian_split_squat"),
        ("bulgarain split squat", "bulgarian_split_squat"),
        ("bridges", "glute_bridge"),
        ("glute bridge", "glute_bridge"),
        ("glute brdige", "glute_bridge"),
        ("clams", "clamshell"),
        ("clamshel", "clamshell"),
        ("banded walks", "banded_lateral_walk"),
        ("rdl", "romanian_deadlift"),
        ("RDLs", "romanian_deadlift"),
        ("romanian deadlfit", "romanian_deadlift"),
        ("sldl", "single_leg_rdl"),
        ("single leg rdl", "single_leg_rdl"),
        ("single-leg deadlift", "single_leg_rdl"),
        ("sumo dl", "sumo_deadlift"),
        ("squats", "back_squat"),
        ("lunges", "walking_lunge"),
        ("leg press", "leg_press_wide"),
        ("step ups", "step_up"),
        ("stepups", "step_up"),
        ("kickbacks", "cable_kickback"),
        ("goblet sqaut", "goblet_squat"),
        ("kettelbell swing", "kettlebell_swing"),
        ("dead lift", "deadlift"),
        ("Side-lying abductions", "side_lying_hip_abduction"),
        ("plank", "plank"),
        ("hip flexor stretch", "half_kneeling_hip_flexor_stretch"),
        ("hip_thrust", "hip_thrust"),
    ],
)
def test_names_aliases_plurals_and_typos_resolve_confidently(typed, expected):
    match = CATALOG.resolve(typed)
    assert match is not None and match.exercise.id == expected
    assert match.score >= CONFIDENT


@pytest.mark.parametrize(
    "typed",
    [
        "bench press",
        "bicep curl",
        "asdf",
        "pull ups",
        "lat pulldown",
        "calf raise",
        "shoulder press",
        "thanks",
        "leg extension",
    ],
)
def test_things_outside_the_catalog_are_not_taken_for_an_exercise(typed):
    match = CATALOG.resolve(typed)
    assert match is None or match.score < POSSIBLE


def test_the_adductor_machine_is_not_taken_for_the_abductor_machine():
    assert CATALOG.resolve("adductor machine").exercise.id == "machine_hip_adduction"
    assert CATALOG.resolve("hip adduction").exercise.id == "machine_hip_adduction"
    assert CATALOG.resolve("abductor machine").exercise.id == "machine_hip_abduction"


def test_an_ambiguous_word_is_offered_as_choices_not_taken():
    found = CATALOG.candidates("abduction", limit=3)
    assert len({m.exercise.id for m in found}) == 3
    assert all("abduction" in m.exercise.id for m in found)
    assert POSSIBLE <= found[0].score < CONFIDENT


def test_candidates_put_the_exact_match_first_then_other_exercises():
    found = CATALOG.candidates("hip thrust", limit=3)
    assert found[0].exercise.id == "hip_thrust" and found[0].exact
    assert len({m.exercise.id for m in found}) == 3
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_nothing_typed_matches_nothing():
    assert CATALOG.resolve("  ?! ") is None
    assert CATALOG.candidates("") == []


ENTRY = (
    '[[exercise]]\nid = "{id}"\nname = "{name}"\naliases = {aliases}\npattern = "{pattern}"\n'
    'muscles = ["gluteus maximus"]\nequipment = ["mat"]\nload_type = "{load_type}"\ncue = "x"\ntags = {tags}\n'
)


def write_catalog(tmp_path, *entries):
    path = tmp_path / "exercises.toml"
    defaults = dict(aliases="[]", pattern="bridge", load_type="bodyweight", tags="[]")
    path.write_text("\n".join(ENTRY.format(**{**defaults, **entry}) for entry in entries))
    return path


def test_a_small_valid_file_loads(tmp_path):
    catalog = Catalog.load(write_catalog(tmp_path, dict(id="a", name="Alpha bridge", aliases='["ab"]')))
    assert len(catalog) == 1 and catalog.resolve("AB").exercise.id == "a"


@pytest.mark.parametrize(
    "entries, message",
    [
        (
            [dict(id="a", name="A", aliases='["bridge"]'), dict(id="b", name="B", aliases='["bridges"]')],
            "exercise b: name or alias 'bridges' is already used by a",
        ),
        ([dict(id="a", name="A"), dict(id="b", name="a")], "exercise b: name or alias 'a' is already used by a"),
        ([dict(id="a", name="A"), dict(id="a", name="B")], "duplicate exercise id.*a"),
        ([dict(id="a", name="A", tags='["magic"]')], "exercise a: unknown tag.*magic"),
        ([dict(id="a", name="A", pattern="flying")], "exercise a: unknown pattern 'flying'"),
        ([dict(id="a", name="A", load_type="heavy")], "exercise a: 'heavy' is not a valid LoadType"),
    ],
)
def test_a_broken_catalog_is_refused_naming_the_offender(tmp_path, entries, message):
    with pytest.raises(ValueError, match=message):
        Catalog.load(write_catalog(tmp_path, *entries))


def test_a_missing_key_is_refused_naming_the_exercise(tmp_path):
    path = tmp_path / "exercises.toml"
    path.write_text('[[exercise]]\nid = "a"\nname = "A"\npattern = "bridge"\n')
    with pytest.raises(ValueError, match="exercise a: missing key 'muscles'"):
        Catalog.load(path)
