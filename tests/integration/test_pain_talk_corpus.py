"""How people tell the coach something hurts, and the share it answers with the right move.

The corpus (tests/data/pain_talk_corpus.toml) is written the way people type in chat:
idioms ("killing me", "acting up"), no capitals or all capitals, hyphens, typos. Missing
pain talk is the worse error (the person gets a set-log hint instead of an adapted plan),
but offering to adapt a plan for "back day today" is noticed too: each direction is
counted and bounded.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

CORPUS = tomllib.loads((Path(__file__).parents[1] / "data" / "pain_talk_corpus.toml").read_text())
ADAPT = "Shall I adapt your training"
OTHER = "I can't adapt your plan for your"
SAFETY_CHECK = "A quick safety check"


async def verdict(chat, app, text: str) -> str:
    """What the coach did with the text: the area it offered to adapt, 'other', 'refer' or 'none'."""
    await chat.send("/pain clear")
    await chat.send(text)
    areas = app.coach.library.pain.areas
    if ADAPT in chat.text:
        from core.features.pain import talk_about

        return next((a for a in areas if talk_about(areas[a]) in chat.text.split(ADAPT)[0]), "adapt?")
    if "Hip thrusts in the lower back" in chat.text and chat.button("It hurts: adapt my plan"):
        return "thrust_back"  # the form fix first, with the offer to adapt
    if SAFETY_CHECK in chat.text:
        return "screen"
    if OTHER in chat.text:
        return "other"
    return "none"


@pytest.fixture
async def results(chat, app):
    await chat.send("/program gym_3x")
    found = {}
    for label, entry in CORPUS.items():
        for text in entry["texts"]:
            found[text] = (label, await verdict(chat, app, text))
    return found


async def test_pain_talk_is_recognised_with_its_area(results, capsys):
    pain = {text: got for text, got in results.items() if got[0] != "none"}
    hits = [text for text, (want, got) in pain.items() if got in (want, "screen")]  # a safety check comes first
    with capsys.disabled():
        print(f"\npain talk answered for the right area: {len(hits)}/{len(pain)} = {len(hits) / len(pain):.0%}")
        for text, (want, got) in pain.items():
            if got not in (want, "screen"):
                print(f"  missed {want}: {text!r} -> {got}")
    assert len(hits) / len(pain) >= 0.95


async def test_talk_that_is_not_about_pain_is_not_offered_an_adapted_plan(results, capsys):
    other = {text: got for text, (want, got) in results.items() if want == "none"}
    wrong = {text: got for text, got in other.items() if got != "none"}
    with capsys.disabled():
        print(f"\nnot pain talk, left alone: {len(other) - len(wrong)}/{len(other)}")
        for text, got in wrong.items():
            print(f"  taken for {got}: {text!r}")
    assert not wrong


async def test_the_offer_to_adapt_names_each_area_in_plain_words(chat, app):
    """The hip-flexor offer read "your front of the hip / tight hip flexors is bothering you"."""
    for area in app.coach.library.pain.areas:
        if area == "thrust_back":  # answered with the form fix first
            continue
        await chat.send("/pain clear")
        await chat.send(CORPUS[area]["texts"][0])
        said = chat.text.split(ADAPT)[0]
        assert said.startswith("It sounds like") and "/" not in said, said


def test_each_areas_check_in_question_reads_as_english(app):
    for area in app.coach.library.pain.areas.values():
        question = area.checkin_question
        assert question.startswith("How") and question.endswith("?") and "/" not in question, question
