"""Golden transcripts: whole console conversations, checked in, so every wording change shows in review.

Each tests/golden/<name>.txt is what a person types (see tests/journeys.py); the
matching <name>.golden is the full expected console output. The conversation
runs through the real console adapter, coach and database, with the clock
pinned by the script. After an intended wording change, regenerate and review:

    GOLDEN_UPDATE=1 ./scripts/test tests/e2e/test_golden.py

then read the diff of tests/golden/*.golden before committing it.
"""

from __future__ import annotations

import difflib
import io
import os

import pytest

from bot.adapters.console import ConsoleChat
from bot.app import build_app
from bot.settings import Settings
from core.coach import INTERNAL_ERROR
from tests.journeys import clock_heading, move_clock, read_script, scripts
from tests.support import TestClock

UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"
SET_LOG_HINT = "I didn't catch that. Log a set like"


async def transcript(script, tmp_path) -> str:
    clock = TestClock()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'golden.db'}", chart_dir=tmp_path / "charts", _env_file=None
    )
    app = await build_app(settings, clock=clock)
    out = io.StringIO()
    console = ConsoleChat(app.coach, stdin=io.StringIO(""), stdout=out, attachment_dir=tmp_path / "charts")
    try:
        for line in read_script(script):
            if line.kind == "clock":
                out.write(clock_heading(clock, move_clock(clock, line.text)) + "\n\n")
                continue
            out.write("you> " + line.text.replace("\n", "\n     ") + "\n")
            await console.say(line.text)
    finally:
        await app.close()
    return out.getvalue().replace(str(tmp_path), "<tmp>")


@pytest.mark.parametrize("script", scripts(), ids=lambda p: p.stem)
async def test_golden_transcript(script, tmp_path):
    actual = await transcript(script, tmp_path)
    golden = script.with_suffix(".golden")
    # /settings crashed in back_pain, and the crash was recorded as the expected answer
    assert INTERNAL_ERROR not in actual, "a reply in this journey is the internal error: fix it, do not record it"
    if UPDATE:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no {golden.name}: run GOLDEN_UPDATE=1 ./scripts/test tests/e2e/test_golden.py"
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(True), actual.splitlines(True), f"{golden.name} (expected)", f"{golden.name} (actual)"
        )
    )
    assert actual == expected, (
        "the conversation changed; if intended, regenerate with "
        "GOLDEN_UPDATE=1 ./scripts/test tests/e2e/test_golden.py and review:\n" + diff
    )


def test_there_are_golden_journeys_for_the_three_people():
    names = {p.stem for p in scripts()}
    assert {"desk_worker_at_home", "gym_goer_over_weeks", "back_pain"} <= names


@pytest.mark.parametrize("script", scripts(), ids=lambda p: p.stem)
def test_no_golden_reply_is_a_dead_end(script):
    """Every reply in the transcripts is an answer: never the bare set-log hint, never an internal id."""
    golden = script.with_suffix(".golden")
    text = golden.read_text(encoding="utf-8") if golden.exists() else ""
    assert SET_LOG_HINT not in text and INTERNAL_ERROR not in text
    for internal in ("lower_back", "hip_flexors", "thrust_back", "home_2x", "gym_3x", "gym_2x"):
        for line in text.splitlines():
            if internal in line and not line.startswith("you>"):
                assert "/program" in line, f"internal id {internal!r} shown: {line}"
