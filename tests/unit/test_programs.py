"""Programs follow the volume guidance of the fact sheet and name their sources."""

import pytest

from core.catalog import Catalog
from core.domain import Block
from core.programs import DEFAULT_PROGRAM_ID, choose_program, hard_sets, load_programs, weekly_hard_glute_sets

CATALOG = Catalog.load()
PROGRAMS = load_programs(catalog=CATALOG)


def test_three_programs_for_home_and_gym():
    assert {"home_2x", "gym_2x", "gym_3x"} <= set(PROGRAMS)
    assert DEFAULT_PROGRAM_ID in PROGRAMS
    assert PROGRAMS["home_2x"].setting == "home" and PROGRAMS["gym_3x"].days_per_week == 3


@pytest.mark.parametrize("program", PROGRAMS.values(), ids=list(PROGRAMS))
def test_every_day_runs_activation_main_single_leg_abduction_mobility(program):
    for day in program.days:
        blocks = [item.block for item in day.items]
        assert blocks == sorted(blocks, key=list(Block).index)
        assert set(blocks) == set(Block), day.title


@pytest.mark.parametrize("program", PROGRAMS.values(), ids=list(PROGRAMS))
def test_volume_stays_within_the_guidance(program):
    assert all(hard_sets(day) <= 10 for day in program.days)
    assert weekly_hard_glute_sets(program) >= 10


@pytest.mark.parametrize("program", PROGRAMS.values(), ids=list(PROGRAMS))
def test_main_lifts_use_hypertrophy_rep_ranges_and_home_needs_no_barbell(program):
    for day in program.days:
        for item in day.items:
            if item.block == Block.MAIN:
                assert 6 <= item.reps_min <= item.reps_max <= 12
            if program.setting == "home":
                assert not {"barbell", "machine", "cable"} & set(CATALOG.get(item.exercise_id).equipment)


@pytest.mark.parametrize("program", PROGRAMS.values(), ids=list(PROGRAMS))
def test_every_program_carries_a_source_note(program):
    assert "ACSM 2009" in program.source or "Schoenfeld" in program.source


def test_choosing_a_program_by_place_and_days():
    assert choose_program(PROGRAMS, "gym", 3).id == "gym_3x"
    assert choose_program(PROGRAMS, "gym", 2).id == "gym_2x"
    assert choose_program(PROGRAMS, "home", 3).id == "home_2x"


def test_an_unknown_exercise_in_a_program_is_refused(tmp_path):
    broken = tmp_path / "programs.toml"
    broken.write_text('[[program]]\nid = "home_2x"\nname = "x"\nsetting = "home"\nlevel = "novice"\n'
                      'days_per_week = 1\ndefault_weekdays = ["mon"]\nsummary = "x"\nsource = "x"\n'
                      '[[program.day]]\ntitle = "A"\n[[program.day.item]]\nexercise = "moon_squat"\n'
                      'block = "main"\nsets = 3\nreps = 10\n')
    with pytest.raises(ValueError, match="moon_squat"):
        load_programs(broken, CATALOG)
