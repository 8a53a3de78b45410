"""The pain rules as data, applied to every program day without a database."""

import pytest

from core.catalog import Catalog
from core.pain.detect import area_in, red_flags_in, severity_in
from core.pain.rules import PlanItem, apply_rules, load_pain_rules
from core.programs import load_programs

CATALOG = Catalog.load()
RULES = load_pain_rules(CATALOG)
PROGRAMS = load_programs(catalog=CATALOG)
DAYS = [(p, d) for p in PROGRAMS.values() for d in p.days]


def adjust(program, day, area, severity):
    items = [PlanItem(i, CATALOG.get(i.exercise_id)) for i in day.items]
    chosen = [(rule, area) for rule in RULES.for_report(area, severity)]
    return apply_rules(items, chosen, CATALOG, program.equipment)


@pytest.mark.parametrize("severity", ["mild", "moderate"])
@pytest.mark.parametrize("program, day", DAYS, ids=[f"{p.id}-{d.title[:5]}" for p, d in DAYS])
def test_lower_back_pain_never_leaves_spinal_loading_unexplained(program, day, severity):
    result = adjust(program, day, "lower_back", severity)
    loaded = [i.exercise for i in result.items if "spinal_load" in i.exercise.tags]
    assert loaded == []
    removed = [i for i in day.items if "spinal_load" in CATALOG.get(i.exercise_id).tags]
    for item in removed:
        assert any(CATALOG.get(item.exercise_id).name in change for change in result.changes)


@pytest.mark.parametrize("program, day", DAYS, ids=[f"{p.id}-{d.title[:5]}" for p, d in DAYS])
def test_knee_pain_swaps_deep_knee_bends_for_knee_friendly_work(program, day):
    result = adjust(program, day, "knee", "moderate")
    assert not [i for i in result.items if "deep_knee_flexion" in i.exercise.tags]
    if program.place == "home":
        assert all(set(i.exercise.equipment) & {"bodyweight", "band", "mat"} for i in result.items)


def test_rules_name_a_source_from_the_fact_sheet():
    for rule in RULES.rules:
        assert any(
            name in rule.source
            for name in ("NICE", "ACP", "Lack", "Herrington", "Cheung", "IUSCA", "Contreras", "Owen", "Crossley")
        ), rule.id


def test_severe_pain_turns_the_day_into_rest():
    program = PROGRAMS["gym_2x"]
    assert adjust(program, program.days[0], "lower_back", "severe").rest_day


@pytest.mark.parametrize(
    "text, area",
    [
        ("my lower back hurts", "lower_back"),
        ("knee pain today", "knee"),
        ("my hips feel tight", "hip_flexors"),
        ("so sore from yesterday", "doms"),
        ("I feel hip thrusts in my lower back", "thrust_back"),
        ("ugh my back is sore", "lower_back"),
    ],
)
def test_pain_in_plain_words_is_recognised(text, area):
    assert area_in(text, RULES).id == area


@pytest.mark.parametrize(
    "text", ["hip thrust 3x10 60kg", "kneeling is fine", "what should I do today", "sore 3x10", "I train at night"]
)
def test_set_logs_and_chat_are_not_pain(text):
    assert area_in(text, RULES) is None and not red_flags_in(text, RULES)


def test_severity_words():
    assert severity_in("my knee is a bit sore") == "mild"
    assert severity_in("my back is really bad") == "severe"
