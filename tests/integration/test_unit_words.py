"""One list of unit words: what the set-log reader understands after a load, /units accepts too."""

import pytest

from core.setlog.words import words

WRITTEN = sorted(words().units.items())


@pytest.mark.parametrize("word, unit", WRITTEN + [("metric", "kg"), ("Imperial", "lb")])
async def test_units_accepts_every_unit_word_the_set_log_reader_knows(chat, word, unit):
    await chat.send(f"/units {word}")
    assert "Units are kg or lb" not in chat.text
    await chat.send("/settings")
    assert f"Units: {unit}" in chat.text


async def test_a_set_log_in_kilograms_and_units_kilograms_agree(chat):
    await chat.send("/units kilograms")
    await chat.send("hip thrust 3x10 60 kilograms")
    assert "60 kg" in chat.text
