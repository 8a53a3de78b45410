"""/progress sends a real chart (or words when there is nothing to draw); /export sends the log as CSV."""

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

from matplotlib import image

from bot.adapters.console import LOCAL_USER, ConsoleChat
from bot.adapters.console import PLATFORM as CONSOLE
from core.commands import find
from core.library import default_library
from tests.seed import log_sets
from tests.support import ChatDriver

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BERLIN = "Europe/Berlin"
START = date(2026, 11, 2)


async def four_hip_thrust_days(app, chat):
    for week, load in enumerate((60, 65, 70, 72.5)):
        day = START + timedelta(weeks=week)
        await log_sets(app, chat, "hip_thrust", [(10, load - 10), (8, load)], on=day, zone=BERLIN)


async def test_progress_sends_a_png_chart_with_one_point_per_training_day(app, chat):
    await four_hip_thrust_days(app, chat)
    await log_sets(app, chat, "hip_thrust", [(12, 50)], on=START, at="19:00", zone=BERLIN)  # same day, 2nd entry
    await log_sets(app, chat, "romanian_deadlift", [(10, 80)], on=START, zone=BERLIN)  # other exercise
    replies = await chat.send("/progress hip thrusts")
    [reply] = replies
    chart = reply.attachment
    assert chart.filename == "progress-hip_thrust.png" and chart.mime == "image/png"
    assert chart.data.startswith(PNG_SIGNATURE)
    height, width = image.imread(io.BytesIO(chart.data), format="png").shape[:2]
    assert (width, height) == (960, 540)
    assert 10_000 < len(chart.data) < 300_000
    assert "4 training days, 02 Nov 2026 to 23 Nov 2026" in reply.text
    assert "Top set: 60 kg → 72.5 kg" in reply.text
    assert "Estimated 1RM: 76 kg → 92 kg" in reply.text


async def test_progress_is_in_lb_for_a_person_who_uses_lb(app, chat):
    await chat.send("/units lb")
    await four_hip_thrust_days(app, chat)
    await chat.send("/progress hip thrust")
    assert "Top set: 132.28 lb → 159.84 lb" in chat.text


async def test_progress_without_data_answers_in_words_not_an_empty_chart(app, chat):
    replies = await chat.send("/progress hip thrust")
    assert replies[0].attachment is None
    assert "No Barbell hip thrust sets logged yet" in chat.text
    assert "barbell hip thrust 3x10 @ 20kg" in chat.text
    await log_sets(app, chat, "glute_bridge", [(20, None)] * 3, on=START)
    replies = await chat.send("/progress bridges")
    assert replies[0].attachment is None
    assert "no weight logged" in chat.text and "20 reps" in chat.text


async def test_progress_explains_what_it_needs_and_asks_when_unsure(chat):
    await chat.send("/progress")
    assert "/progress hip thrust" in chat.text
    await chat.send("/progress zumba")
    assert "I don't know the exercise 'zumba'" in chat.text and "/progress hip thrust" in chat.text
    await chat.send("/progress bulgarian splt")  # close, but not close enough to take without asking
    assert "Did you mean Bulgarian split squat?" in chat.text
    await chat.press("Chart Bulgarian split squat")
    assert "No Bulgarian split squat sets logged yet" in chat.text


async def test_export_is_a_csv_with_strong_style_columns_in_the_persons_units(app, chat):
    await chat.send(f"/tz {BERLIN}")
    await chat.send("/units lb")
    # Logged at 00:30 on Tuesday Berlin time, which is still Monday in UTC: the local date is exported.
    await log_sets(
        app,
        chat,
        "hip_thrust",
        [(10, 60), (8, 70)],
        on=date(2026, 11, 24),
        at="00:30",
        zone=BERLIN,
        session=("gym_2x", 0),
        rpe=8,
    )
    await log_sets(app, chat, "clamshell", [(15, None)], on=date(2026, 11, 24), zone=BERLIN, per_side=True)
    await log_sets(app, chat, "custom", [(12, 20)], on=date(2026, 11, 25), zone=BERLIN, custom_name="Sled push")
    [reply] = await chat.send("/export")
    assert reply.attachment.mime == "text/csv" and reply.attachment.filename.endswith(".csv")
    assert "4 sets over 2 days" in reply.text
    rows = list(csv.reader(io.StringIO(reply.attachment.data.decode("utf-8"))))
    assert rows[0] == [
        "Date",
        "Workout Name",
        "Exercise Name",
        "Set Order",
        "Weight",
        "Weight Unit",
        "Reps",
        "Seconds",
        "RPE",
        "Notes",
    ]
    gym = default_library().programs["gym_2x"]
    assert rows[1] == [
        "2026-11-24",
        f"{gym.name} - {gym.days[0].title}",
        "Barbell hip thrust",
        "1",
        "132.28",
        "lb",
        "10",
        "",
        "8",
        "",
    ]
    assert rows[2][4] == "154.32" and rows[2][3] == "2"
    assert rows[3] == ["2026-11-24", "Glute Up", "Clamshell", "1", "", "", "15", "", "", "per side"]
    assert rows[4][:3] == ["2026-11-25", "Glute Up", "Sled push"]
    assert len(rows) == 5


async def test_export_with_nothing_logged_says_so(chat):
    replies = await chat.send("/export")
    assert replies[0].attachment is None
    assert "nothing to export" in chat.text


def test_the_commands_are_declared_with_help():
    for name in ("week", "progress", "export", "forget"):
        assert find(name) is not None and find(name).examples


async def test_the_console_saves_the_chart_and_prints_its_path(app, tmp_path):
    out = io.StringIO()
    console = ConsoleChat(app.coach, stdin=io.StringIO(), stdout=out, attachment_dir=tmp_path / "charts")
    await four_hip_thrust_days(app, ChatDriver(app.coach, platform=CONSOLE, user_id=LOCAL_USER))
    await console.say("/progress hip thrust")
    saved = Path(re.search(r"\[saved (.+)\]", out.getvalue()).group(1))
    assert saved.name == "progress-hip_thrust.png"
    assert saved.read_bytes().startswith(PNG_SIGNATURE)
