"""The question patterns (core/data/intents.toml) stay linear in the message's length: a lazy group
with no bound (`.+?` followed by more pattern) tries every end for every start, and a 7,500-character
message cost 0.15-0.25 s of the loop's time in one pattern before the bound."""

import re

import pytest

from core.intents import intent_data, recognise

UNBOUNDED_LAZY = re.compile(r"\.[+*]\?")


def test_no_question_pattern_has_an_unbounded_lazy_group():
    offenders = [
        f"{intent.id}: {pattern.pattern}"
        for intent in intent_data().intents
        for pattern in intent.patterns
        if UNBOUNDED_LAZY.search(pattern.pattern)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "text, exercise, part",
    [
        ("I feel hip thrusts in my lower back", "hip thrusts", "lower back"),
        ("my bulgarian split squats go to my quads", "my bulgarian split squats", "quads"),
        ("long day at work. " * 300 + "rdls go to my hamstrings", "rdls", "hamstrings"),
    ],
)
def test_felt_elsewhere_still_reads_the_exercise_and_the_place(text, exercise, part):
    found = recognise(text)
    assert found is not None and found.intent == "felt_elsewhere"
    assert found.groups["exercise"].endswith(exercise) and found.groups["part"] == part
