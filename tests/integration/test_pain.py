"""Pain-to-program rules and red-flag referral, through the coach on a real database."""

import re
import tomllib
from pathlib import Path

import pytest

from core.library import default_library

RULES = default_library().pain
CORPUS = tomllib.loads((Path(__file__).parent.parent / "data" / "red_flag_sentences.toml").read_text())["s"]
DIAGNOSIS = re.compile(r"\byou have\b|diagnos(?!e this)|sciatica is|herniat|\bdisc\b|slipped", re.I)


async def report(chat, area: str, severity: str) -> None:
    await chat.send(f"/pain {area} {severity}")
    if "safety check" in chat.text:
        await chat.press("None of these")
    assert "Noted" in chat.text, chat.text


async def gym_monday(chat, clock, program="gym_2x"):
    await chat.send(f"/program {program}")
    await chat.send("/days mon wed thu")
    clock.set_local("2026-11-23 09:00", "UTC")


# rule id -> (program, area, severity, text that must appear in /today)
RULE_EFFECTS = {
    "lower_back_spine_friendly": ("gym_2x", "lower_back", "mild", "without loading your spine"),
    "lower_back_gentle_mobility": ("gym_2x", "lower_back", "mild", "Cat-camel"),
    "lower_back_lighter": ("gym_2x", "lower_back", "moderate", "Go about 20 % lighter"),
    "lower_back_severe_rest": ("gym_2x", "lower_back", "severe", "rest and mobility"),
    "knee_less_knee_bend": ("gym_2x", "knee", "mild", "shorter, knee-friendly range"),
    "knee_pain_guide": ("gym_2x", "knee", "mild", "up to about 3/10"),
    "knee_standing_stretch": ("gym_2x", "knee", "mild", "no kneeling on a sore knee"),
    "knee_hip_abduction": ("gym_2x", "knee", "mild", "Added side-lying hip abduction"),
    "knee_severe_rest": ("gym_2x", "knee", "severe", "rest and mobility"),
    "hip_flexor_mobility": ("gym_2x", "hip_flexors", "mild", "Standing hip-flexor stretch"),
    "hip_flexor_no_deep_flexion": ("gym_2x", "hip_flexors", "moderate", "no deep squat or lunge position"),
    "hip_flexor_severe_no_stretch": ("gym_2x", "hip_flexors", "severe", "rest from stretching into it"),
    "doms_mild": ("gym_2x", "doms", "mild", "training as planned is fine"),
    "doms_fewer_sets": ("gym_2x", "doms", "moderate", "fewer hard sets"),
    "doms_less_stretch_load": ("gym_2x", "doms", "moderate", "less heavy stretching"),
    "doms_severe_rest": ("gym_2x", "doms", "severe", "rest and mobility"),
    "thrust_form": ("gym_2x", "thrust_back", "mild", "posterior tilt"),
}


def test_every_rule_has_an_effect_test():
    assert set(RULE_EFFECTS) == {rule.id for rule in RULES.rules}


@pytest.mark.parametrize("rule_id", list(RULE_EFFECTS))
async def test_each_rule_shows_its_change_in_today(chat, clock, rule_id):
    program, area, severity, expected = RULE_EFFECTS[rule_id]
    await gym_monday(chat, clock, program)
    await report(chat, area, severity)
    await chat.send("/today")
    assert expected in chat.text, chat.text
    assert not DIAGNOSIS.search(chat.text)


async def test_without_pain_today_is_unchanged(chat, clock):
    await gym_monday(chat, clock)
    await chat.send("/today")
    assert "Romanian deadlift" in chat.text and "Changed for you" not in chat.text


async def test_lower_back_swap_is_explained_by_name(chat, clock):
    await gym_monday(chat, clock)
    await report(chat, "lower back", "mild")
    await chat.send("/today")
    assert "Swapped Romanian deadlift for" in chat.text and "(lower back, mild)" in chat.text


@pytest.mark.parametrize("flag", [f.id for f in RULES.red_flags.flags.values() if f.patterns])
async def test_every_red_flag_in_words_gets_the_referral(chat, clock, flag):
    await gym_monday(chat, clock)
    example = next(s["text"] for s in CORPUS if s["expect"] == "flag" and flag in s["flags"])
    await chat.send(example)
    assert "Please get this checked" in chat.text
    urgent = RULES.red_flags.flags[flag].urgent or any(
        RULES.red_flags.flags[f].urgent for s in CORPUS if s["text"] == example for f in s["flags"]
    )
    assert ("same-day care" in chat.text) == urgent, chat.text
    assert not DIAGNOSIS.search(chat.text)
    await chat.send("/today")
    assert "clinician" in chat.text and "Main lifts" not in chat.text


async def test_yes_to_the_safety_check_asks_which_and_stops_coaching_that_area(chat, clock):
    await gym_monday(chat, clock)
    await chat.send("/pain knee moderate")
    knee = RULES.red_flags.screens["knee"]
    assert all(f.question in chat.text for f in knee.flags)
    assert "Saddle" not in chat.text  # knees get the knee questions, not the spine ones
    await chat.press("Yes, one or more")
    assert "Please get this checked" in chat.text and "same-day care" in chat.text
    assert "first four" not in chat.text
    await chat.send("/today")
    assert "same-day care" in chat.text and "Main lifts" not in chat.text


async def test_natural_pain_talk_is_confirmed_before_acting(chat, clock):
    await gym_monday(chat, clock)
    await chat.send("my knee hurts a bit")
    assert "Shall I adapt your training" in chat.text
    await chat.send("/pain")
    assert "No pain reported" in chat.text
    await chat.send("my knee hurts a bit")
    await chat.press("Yes (mild)")
    await chat.press("None of these")
    await chat.send("/today")
    assert "(knee, mild)" in chat.text


async def test_a_set_log_is_not_taken_for_pain(chat):
    for text in (
        "hip thrust 3x10 @ 60kg",
        "back extension 3x12",
        "stiff leg deadlift 3x8 @ 60kg",
        "hip thrust 3x10 (felt easy)",
    ):
        await chat.send(text)
        assert "✓ " in chat.text and "Shall I adapt" not in chat.text, (text, chat.text)


@pytest.mark.parametrize(
    "text, logged, area",
    [
        ("hip thrust 3x10 @ 60kg, my back hurt on the last set", "Barbell hip thrust", "lower back"),
        ("rdl 3x8 50kg - lower back felt tight", "Romanian deadlift", "lower back"),
        ("bss 3x10 12kg knee pain on the left", "Bulgarian split squat", "knee"),
    ],
)
async def test_pain_written_with_a_set_log_is_heard_and_the_set_is_stored(chat, text, logged, area):
    """A log with pain in its note was stored with the pain as a note and nothing said about it."""
    await chat.send(text)
    assert f"✓ {logged}" in chat.text, chat.text
    assert f"your {area} is bothering you" in chat.text and "Shall I adapt" in chat.replies[-1].text, chat.text


async def test_a_red_flag_written_with_a_set_log_gets_the_safety_answer_and_the_set_is_stored(chat):
    """The safety check used to answer alone: the squats were never stored, and nobody said so."""
    await chat.send("squats 3x5 80kg and now I can't feel my legs")
    assert "✓ Back squat: 3 x 5 @ 80 kg" in chat.text, chat.text
    assert "safety check" in chat.text.lower() or "Please get this checked" in chat.text, chat.text


async def test_pain_with_numbers_but_no_exercise_is_pain_talk_not_a_new_exercise(chat):
    """'my knee hurts after 3x10' offered to log 'knee hurts' as a custom exercise."""
    await chat.send("my knee hurts after 3x10")
    assert "your knee is bothering you" in chat.text and "exercise list" not in chat.text, chat.text


async def test_clear_one_area_or_all(chat, clock):
    await gym_monday(chat, clock)
    await report(chat, "knee", "mild")
    await report(chat, "doms", "moderate")
    await chat.send("/pain clear knee")
    assert "Cleared: knee" in chat.text
    await chat.send("/pain")
    assert "heavy soreness" in chat.text and "knee" not in chat.text
    await chat.send("/pain clear")
    await chat.send("/today")
    assert "Changed for you" not in chat.text


async def test_reports_ask_for_a_check_in_and_expire(chat, clock):
    await gym_monday(chat, clock)
    await report(chat, "knee", "mild")
    clock.advance(days=2)  # Wednesday: no check-in yet
    await chat.send("/today")
    assert "How is your knee" not in chat.text
    clock.advance(days=1, hours=1)  # Thursday: 3 days later
    await chat.send("/today")
    assert "How is your knee doing?" in chat.text
    await chat.press("About the same")
    assert "ask again in 3 days" in chat.text
    clock.advance(days=14)
    await chat.send("/pain")
    assert "No pain reported" in chat.text


@pytest.mark.parametrize("update", ["my knee is better now", "knee feels fine today", "my knee is worse"])
async def test_news_of_a_reported_area_gets_its_check_in_question(chat, clock, update):
    """'my knee is better now' with a knee report open got "I didn't catch that". Words alone never
    clear a report: the check-in's buttons do."""
    await gym_monday(chat, clock)
    await report(chat, "knee", "moderate")
    await chat.send(update)
    assert "How is your knee doing?" in chat.text, chat.text
    await chat.send("/pain")
    assert "knee: moderate" in chat.text, chat.text  # still there until a button says so
    await chat.send(update)
    await chat.press("Better, all clear")
    assert "Back to the full plan" in chat.text, chat.text


async def test_better_at_check_in_clears_the_report(chat, clock):
    await gym_monday(chat, clock)
    await report(chat, "doms", "moderate")
    clock.advance(days=2, hours=1)
    await chat.send("/today")
    await chat.press("Better, all clear")
    assert "Back to the full plan" in chat.text
    await chat.send("/today")
    assert "Changed for you" not in chat.text


@pytest.mark.parametrize(
    "text",
    [
        "chest pain when I do hip thrusts",
        "I blacked out during a heavy squat",
        "sudden severe headache during deadlifts",
    ],
)
async def test_warning_signs_during_exercise_get_the_same_day_referral(chat, clock, text):
    """Chest pain, fainting and a sudden headache during exercise were read as nothing at all."""
    await gym_monday(chat, clock)
    await chat.send(text)
    assert "Please get this checked" in chat.text and "same-day care" in chat.text, chat.text
    await chat.send("/today")
    assert "Main lifts" not in chat.text, chat.text
