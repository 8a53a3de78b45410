"""The safety checks as data: every area the issue names has its own, every flag a source."""

from core.library import default_library

FLAGS = default_library().pain.red_flags


def test_every_flag_has_a_question_a_button_label_an_urgency_and_a_source():
    for flag in FLAGS.flags.values():
        assert flag.question and flag.short and flag.urgency in ("same_day", "soon")
        assert any(name in flag.source for name in ("NICE", "BMJ", "Ottawa", "AAP", "StatPearls", "Fact sheet")), (
            flag.id
        )


def test_each_area_is_screened_with_its_own_flags():
    screen = {area: {f.id for f in s.flags} for area, s in FLAGS.screens.items()}
    assert {"saddle", "bladder_bowel", "leg_weakness", "both_legs"} <= screen["lower_back"]
    assert {
        "cancer_history",
        "age_onset",
        "immunosuppression",
        "iv_drugs",
        "osteoporosis_fall",
        "not_improving",
        "weight_loss",
        "night_pain",
        "fever",
    } <= screen["lower_back"]
    assert {"joint_fever", "cannot_bear_weight", "locking_giving_way", "calf_swelling"} <= screen["knee"]
    assert "saddle" not in screen["knee"] and "bladder_bowel" not in screen["knee"]
    assert {"cannot_bear_weight", "joint_fever"} <= screen["hip_flexors"]
    assert screen["doms"] == {"dark_urine"}
    assert {"fever", "weight_loss", "night_pain"} <= screen["general"]


def test_urgency_follows_the_sources():
    same_day = {f.id for f in FLAGS.flags.values() if f.urgent}
    assert {
        "saddle",
        "bladder_bowel",
        "leg_weakness",
        "both_legs",
        "joint_fever",
        "cannot_bear_weight",
        "locking_giving_way",
        "calf_swelling",
        "dark_urine",
        "exertion_warning",  # chest pain, fainting, a sudden headache during exercise
    } == same_day
    assert not FLAGS.flags["rapid_swelling"].urgent  # swelling after a knee injury: a clinician soon
    assert not FLAGS.flags["fall"].urgent  # a fall alone is not urgent, whatever the trauma


def test_the_return_week_is_gentler():
    week = FLAGS.return_week
    assert 5 <= week.days <= 14 and week.sets_percent <= -30 and "{until}" in week.explanation
