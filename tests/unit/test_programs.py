"""Programs follow the volume guidance of the fact sheet and name their sources."""

import pytest

from core.catalog import Catalog
from core.domain import Block, LoadType, PlannedExercise, Program, ProgramDay
from core.programs import DEFAULT_PROGRAM_ID, choose_program, hard_sets, load_programs, weekly_hard_glute_sets

CATALOG = Catalog.load()
PROGRAMS = load_programs(catalog=CATALOG)
EACH = pytest.mark.parametrize("program", PROGRAMS.values(), ids=list(PROGRAMS))

# Citations from the fact sheet (/work/shared/domain/training-and-platform-facts.md).
FACT_SHEET_CITATIONS = [
    "Ratamess",
    "Schoenfeld, Ogborn & Krieger 2017",
    "IUSCA 2021",
    "Contreras",
    "Plotkin",
    "Kubo",
    "Distefano",
    "Mackey & Riemann",
    "Schoenfeld et al. 2016",
    "Schoenfeld et al. 2021",
]
REST_S = {Block.MAIN: (90, 180), Block.SINGLE_LEG: (60, 90), Block.ABDUCTION: (45, 60)}


def items(program):
    return [item for day in program.days for item in day.items]


def test_three_programs_for_home_and_gym():
    assert {"home_2x", "gym_2x", "gym_3x"} <= set(PROGRAMS)
    assert (PROGRAMS["home_2x"].place, PROGRAMS["home_2x"].days_per_week, len(PROGRAMS["home_2x"].days)) == (
        "home",
        2,
        2,
    )
    assert (PROGRAMS["gym_2x"].place, PROGRAMS["gym_2x"].days_per_week, len(PROGRAMS["gym_2x"].days)) == ("gym", 2, 2)
    assert (PROGRAMS["gym_3x"].place, PROGRAMS["gym_3x"].days_per_week, len(PROGRAMS["gym_3x"].days)) == ("gym", 3, 3)


def test_the_default_program_needs_no_weights():
    default = PROGRAMS[DEFAULT_PROGRAM_ID]
    assert default.place == "home"
    assert all(CATALOG.get(i.exercise_id).load_type != LoadType.WEIGHTED for i in items(default))
    assert not {"barbell", "dumbbell", "kettlebell", "machine", "cable"} & {
        kit for i in items(default) for kit in CATALOG.get(i.exercise_id).equipment
    }


@EACH
def test_every_item_is_a_real_exercise_with_a_dose(program):
    for item in items(program):
        exercise = CATALOG.get(item.exercise_id)
        if exercise.load_type == LoadType.TIMED:
            assert item.seconds and item.reps_min is None, item.exercise_id
        else:
            assert item.seconds is None and 0 < item.reps_min <= item.reps_max, item.exercise_id
        assert item.sets >= 1


@EACH
def test_every_day_runs_activation_main_single_leg_abduction_mobility(program):
    for day in program.days:
        blocks = [item.block for item in day.items]
        assert blocks == sorted(blocks, key=list(Block).index), day.title
        assert set(blocks) == set(Block), day.title


@EACH
def test_the_warm_up_is_low_load_activation_and_the_day_ends_with_a_hip_flexor_stretch(program):
    for day in program.days:
        for item in day.items:
            tags = CATALOG.get(item.exercise_id).tags
            if item.block == Block.ACTIVATION:
                assert "glute_activation" in tags, item.exercise_id
            if item.block == Block.MOBILITY:
                assert "hip_flexor_stretch" in tags, item.exercise_id


@EACH
def test_volume_stays_within_the_guidance(program):
    assert max(hard_sets(day) for day in program.days) <= 10
    assert 10 <= weekly_hard_glute_sets(program) <= 20  # the target /week reports
    assert program.weekly_glute_sets == round(weekly_hard_glute_sets(program))


@EACH
def test_every_exercise_is_doable_with_the_programs_equipment(program):
    from core.gear import doable

    for item in items(program):
        assert doable(CATALOG.get(item.exercise_id), program.equipment), (program.id, item.exercise_id)


def test_home_cues_never_ask_for_weights():
    for program in PROGRAMS.values():
        if program.place == "home":
            for item in items(program):
                cue = CATALOG.get(item.exercise_id).cue.lower()
                assert not any(kit in cue for kit in ("dumbbell", "barbell", "kettlebell", "plate")), item.exercise_id


@EACH
def test_main_lifts_use_hypertrophy_rep_ranges(program):
    low = 6 if program.level == "intermediate" else 8
    for item in items(program):
        if item.block == Block.MAIN:
            assert low <= item.reps_min <= item.reps_max <= 12, item.exercise_id


@EACH
def test_rest_fits_the_block(program):
    for item in items(program):
        if item.block in REST_S:
            shortest, longest = REST_S[item.block]
            assert shortest <= item.rest_s <= longest, item.exercise_id


@EACH
def test_every_program_says_what_it_rests_on(program):
    assert program.summary and program.source
    assert "ACSM 2009" in program.source
    assert sum(citation in program.source for citation in FACT_SHEET_CITATIONS) >= 3


def test_weekly_sets_average_the_rotation_over_the_days_trained():
    day = ProgramDay(
        "A",
        (
            PlannedExercise("hip_thrust", Block.MAIN, 4, 8, 12),
            PlannedExercise("clamshell", Block.ACTIVATION, 2, 15, 15),
            PlannedExercise("clamshell", Block.ABDUCTION, 2, 15, 15),
        ),
    )
    other = ProgramDay(
        "B",
        (PlannedExercise("back_squat", Block.MAIN, 3, 8, 12), PlannedExercise("plank", Block.MOBILITY, 2, seconds=30)),
    )
    program = Program("p", "P", "gym", "novice", 3, ("mon", "wed", "fri"), (day, other), "s", "src")
    assert hard_sets(day) == 6
    assert weekly_hard_glute_sets(program) == pytest.approx((6 + 3) / 2 * 3)


@pytest.mark.parametrize(
    "place, days, experience, expected",
    [
        ("gym", 3, "intermediate", "gym_3x"),
        ("gym", 2, "intermediate", "gym_2x"),
        ("gym", 1, None, "gym_2x"),
        ("gym", 5, "intermediate", "gym_3x"),
        ("home", 2, None, "home_2x"),
        ("home", 4, "intermediate", "home_2x"),
        ("gym", 3, "novice", "gym_3x_novice"),
        ("gym", 5, "novice", "gym_3x_novice"),
        ("gym", 2, "novice", "gym_2x"),
    ],
)
def test_choosing_a_program_by_place_days_and_experience(place, days, experience, expected):
    chosen = choose_program(PROGRAMS, place, days, experience)
    assert chosen.id == expected
    if experience == "novice":  # ACSM 2009: novices 8-12 RM
        assert chosen.level == "novice"
        assert all(8 <= i.reps_min for i in items(chosen) if i.block == Block.MAIN)


def test_lacking_equipment_steers_the_choice():
    no_cable = frozenset({"barbell", "dumbbell", "machine", "band"})
    assert choose_program(PROGRAMS, "gym", 3, "intermediate", no_cable).id != "gym_3x"


ITEM = '[[program.day.item]]\nexercise = "{0}"\nblock = "{1}"\nsets = {2}\n{3}\nrest_s = 60\n'
GOOD_DAY = [
    ("glute_bridge", "activation", 1, "reps = 15"),
    ("single_leg_hip_thrust", "main", 3, "reps = [8, 12]"),
    ("reverse_lunge", "single_leg", 3, "reps = [8, 12]"),
    ("side_lying_hip_abduction", "abduction", 2, "reps = [12, 20]"),
    ("standing_hip_flexor_stretch", "mobility", 1, "seconds = 30"),
]


def write_programs(tmp_path, day=GOOD_DAY, place="home", extra=""):
    path = tmp_path / "programs.toml"
    path.write_text(
        '[[program]]\nid = "home_2x"\nname = "x"\nplace = "' + place + '"\nlevel = "novice"\n'
        'days_per_week = 2\ndefault_weekdays = ["mon", "thu"]\nsummary = "x"\nsource = "x"\n'
        + extra
        + '[[program.day]]\ntitle = "Day A"\n'
        + "".join(ITEM.format(*row) for row in day)
    )
    return path


def test_a_small_valid_file_loads(tmp_path):
    loaded = load_programs(write_programs(tmp_path), CATALOG)
    assert loaded["home_2x"].weekly_glute_sets == 16


@pytest.mark.parametrize(
    "day, place, extra, message",
    [
        (
            [("moon_squat", "main", 3, "reps = 10")] + GOOD_DAY[1:],
            "home",
            "",
            "home_2x: Day A: unknown exercise 'moon_squat'",
        ),
        (GOOD_DAY[1:2] + GOOD_DAY[:1] + GOOD_DAY[2:], "home", "", "Day A: blocks must run activation, main"),
        (
            GOOD_DAY[:1] + [("single_leg_hip_thrust", "main", 6, "reps = [8, 12]")] + GOOD_DAY[2:],
            "home",
            "",
            "Day A: 11 hard sets",
        ),
        (
            GOOD_DAY[:1]
            + [
                ("single_leg_hip_thrust", "main", 1, "reps = [8, 12]"),
                ("reverse_lunge", "single_leg", 1, "reps = 10"),
                ("side_lying_hip_abduction", "abduction", 1, "reps = 12"),
            ]
            + GOOD_DAY[4:],
            "home",
            "",
            "6 hard sets a week, outside the 10-20 target",
        ),
        (
            [("hip_thrust", "main", 3, "reps = [8, 12]")] + GOOD_DAY[2:],
            "home",
            "",
            "home program needs no weights; weighted: hip_thrust",
        ),
        (
            GOOD_DAY[:4] + [("standing_hip_flexor_stretch", "mobility", 1, "reps = 10")],
            "home",
            "",
            "standing_hip_flexor_stretch: give seconds only",
        ),
        (GOOD_DAY, "home", "weekly_glute_sets = 20\n", "weekly_glute_sets says 20 but the days add up to 16"),
        (GOOD_DAY, "beach", "", "place must be one of"),
        (
            GOOD_DAY[:1] + [("glute_bridge", "main", 3, "reps = [8, 12]")] + GOOD_DAY[2:],
            "home",
            "",
            "glute_bridge in main is not a hard glute set as /week counts them",
        ),
        (
            GOOD_DAY[:2] + [("bulgarian_split_squat", "single_leg", 3, "reps = [8, 12]")] + GOOD_DAY[3:],
            "gym",
            'equipment = ["barbell"]\n',
            "bulgarian_split_squat needs equipment the program does not list",
        ),
    ],
)
def test_a_broken_program_file_is_refused_naming_the_problem(tmp_path, day, place, extra, message):
    with pytest.raises(ValueError, match=message):
        load_programs(write_programs(tmp_path, day, place, extra), CATALOG)


def test_more_than_20_hard_sets_a_week_is_refused(tmp_path):
    path = write_programs(tmp_path)  # 8 hard sets a session
    path.write_text(
        path.read_text()
        .replace("days_per_week = 2", "days_per_week = 3")
        .replace('["mon", "thu"]', '["mon", "wed", "fri"]')
    )
    with pytest.raises(ValueError, match="24 hard sets a week, outside the 10-20 target"):
        load_programs(path, CATALOG)
