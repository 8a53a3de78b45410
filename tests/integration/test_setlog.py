"""Logging sets by writing them, through the coach on a real database."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from bot.storage import models
from core.coach import INTERNAL_ERROR
from tests.unit.test_setlog_parser import PHRASINGS


async def stored_sets(app) -> int:
    async with app.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(models.SetLog))).scalar_one()


@pytest.mark.parametrize("text", list(PHRASINGS))
async def test_every_phrasing_is_stored_and_echoed(chat, app, text):
    exercise_id, reps, load, unit, per_side, rpe = PHRASINGS[text]
    await chat.send(text)
    name = app.coach.library.catalog.get(exercise_id).name
    assert f"✓ {name}" in chat.text, chat.text
    assert await stored_sets(app) == len(reps)


async def test_the_reply_compares_with_last_time_and_announces_records(chat):
    await chat.send("hip thrust 3x10 @ 55kg")
    await chat.send("hip thrust 3x10 @ 60kg")
    assert "last time" in chat.text and "+5 kg" in chat.text
    assert "New record: 60 kg for 10 reps (before: 55 kg)" in chat.text


async def test_a_new_best_estimated_1rm_is_rounded_like_the_loads_a_person_can_lift(chat):
    await chat.send("/units lb")
    await chat.send("hip thrust 3x10 @ 135")
    await chat.send("hip thrust 3x10 @ 145")  # Epley: 145 x (1 + 10/30) = 193.33 lb
    assert "New best estimated 1RM: 193.5 lb (before: 180 lb)" in chat.text, chat.text
    assert "193.33" not in chat.text


async def test_a_1rm_gain_too_small_to_show_after_rounding_is_not_announced(chat):
    await chat.send("hip thrust 3x10 @ 60kg")
    await chat.send("hip thrust 3x10 @ 60.1kg")  # 80 kg -> 80.13 kg: both read "80 kg"
    assert "New record: 60.1 kg for 10 reps" in chat.text
    assert "estimated 1RM" not in chat.text, chat.text


async def test_the_echo_keeps_the_written_unit_and_adds_the_persons_unit_as_a_note(chat):
    await chat.send("/units lb")
    await chat.send("hip thrust 3x10 @ 60kg")
    assert "3 x 10 @ 60 kg (≈ 132.5 lb)" in chat.text
    await chat.send("hip thrust 3x10 @ 135")
    assert "3 x 10 @ 135 lb" in chat.text and "kg" not in chat.text
    await chat.send("/history")
    assert "60 kg (≈ 132.5 lb)" in chat.text and "135 lb" in chat.text
    await chat.send("/units kg")
    await chat.send("squat 225 lbs x 5")
    assert "1 x 5 @ 225 lb (≈ 102 kg)" in chat.text and "102.06" not in chat.text


async def test_several_lines_are_several_logs_and_a_bad_line_is_named(chat, app):
    await chat.send("hip thrust 3x10 60kg\nbss 3x8 each leg 16kg\nhip thrust 3x1000")
    assert "✓ Barbell hip thrust" in chat.text and "✓ Bulgarian split squat" in chat.text
    assert "I couldn't read 'hip thrust 3x1000'" in chat.text
    assert await stored_sets(app) == 6


async def test_unreadable_text_stores_nothing_and_shows_two_examples(chat, app):
    await chat.send("hip thrust lots of times 3")
    assert "hip thrust 3x10 @ 60kg" in chat.text and "bss 10/10/8 12.5kg" in chat.text
    assert await stored_sets(app) == 0


async def test_the_same_message_delivered_twice_is_stored_once(chat, app):
    await chat.send("hip thrust 3x10 @ 60kg", message_key="tg:1:77")
    await chat.send("hip thrust 3x10 @ 60kg", message_key="tg:1:77")
    assert "Already logged" in chat.text
    assert await stored_sets(app) == 3


async def test_an_edited_message_updates_its_log(chat, app):
    await chat.send("hip thrust 3x10 @ 60kg", message_key="tg:1:80")
    await chat.send("hip thrust 3x8 @ 70kg", message_key="tg:1:80", edited=True)
    assert "Updated" in chat.text and "3 x 8 @ 70 kg" in chat.text
    assert await stored_sets(app) == 3
    await chat.send("/history")
    assert "70 kg" in chat.text and "60 kg" not in chat.text


async def test_a_typo_asks_did_you_mean_and_the_button_logs_it(chat, app):
    await chat.send("bulgarian splt 3x8 16kg")
    assert await stored_sets(app) == 0
    assert "Did you mean Bulgarian split squat?" in chat.text
    await chat.press("Bulgarian split squat")
    assert "✓ Bulgarian split squat: 3 x 8 @ 16 kg" in chat.text
    assert await stored_sets(app) == 3


async def test_an_exercise_outside_the_catalog_is_kept_after_one_confirmation(chat, app):
    await chat.send("bench press 3x8 60kg")
    assert "isn't in my exercise list" in chat.text and await stored_sets(app) == 0
    await chat.press("Log 'bench press' as my own")
    assert "bench press (your own exercise): 3 x 8 @ 60 kg" in chat.text
    assert await stored_sets(app) == 3
    await chat.send("bench press 3x8 60kg")
    await chat.press("Cancel")
    assert "nothing logged" in chat.text.lower() and await stored_sets(app) == 3


async def test_undo_removes_the_last_entry_and_says_what(chat, app):
    await chat.send("bridges 2x20")
    await chat.send("hip thrust 3x10 @ 60kg")
    await chat.send("/undo")
    assert "Removed: Barbell hip thrust 3 x 10 @ 60 kg" in chat.text
    assert await stored_sets(app) == 2
    await chat.send("/undo")
    await chat.send("/undo")
    assert "nothing to undo" in chat.text.lower()


async def test_history_of_one_exercise(chat):
    await chat.send("bridges 2x20")
    await chat.send("hip thrust 3x10 @ 60kg")
    await chat.send("/history hip thrust")
    assert "Barbell hip thrust" in chat.text and "Glute bridge" not in chat.text


async def test_log_command_works_in_groups_and_plain_text_does_not(chat, app):
    from core.domain import Incoming

    group = Incoming("test", "1001", "-5", "hip thrust 3x10 60kg", is_private=False, message_key="g:1")
    replies = await app.coach.handle(group)
    assert await stored_sets(app) == 0 and "hip thrust" in replies[0].text.lower()
    group_log = Incoming("test", "1001", "-5", "/log hip thrust 3x10 60kg", is_private=False, message_key="g:2")
    await app.coach.handle(group_log)
    assert await stored_sets(app) == 3


async def test_today_marks_logged_exercises_and_suggests_the_next_load(chat, clock):
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    clock.set_local("2026-11-23 09:00", "UTC")  # Monday: day A, hip thrust 3 x 8-12
    await chat.send("hip thrust 3x12 @ 60kg")
    await chat.send("/today")
    assert "✅ Barbell hip thrust" in chat.text
    clock.set_local("2026-11-26 09:00", "UTC")  # Thursday: day B (Monday's started day counts as done)
    await chat.send("/today")
    assert "Day B" in chat.text, chat.text
    await chat.send("rdl 3x10 @ 40kg")
    clock.set_local("2026-11-30 09:00", "UTC")  # next Monday: day A again, one step up
    await chat.send("/today")
    assert "Barbell hip thrust: 3 x 8-12 @ 62.5 kg (up from 60 kg" in chat.text


async def log_every_hard_exercise(chat, app, program_day) -> None:
    hard = [i for i in program_day.items if i.block in ("main", "single_leg", "abduction")]
    for item in hard:
        name = app.coach.library.catalog.get(item.exercise_id).name
        await chat.send(
            f"/log #{item.exercise_id} 3x10 20kg"
            if "-" in name or any(c.isdigit() for c in name)
            else f"{name} 3x10 20kg"
        )


async def test_logging_every_hard_exercise_completes_the_session(chat, app, clock):
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    clock.set_local("2026-11-23 09:00", "UTC")
    day = app.coach.library.programs["gym_2x"].days[0]
    await log_every_hard_exercise(chat, app, day)
    assert "session done" in chat.text
    clock.set_local("2026-11-26 09:00", "UTC")
    await chat.send("/today")
    assert day.title not in chat.text and app.coach.library.programs["gym_2x"].days[1].title in chat.text


async def test_a_day_with_some_sets_logged_counts_as_done_once_it_is_over(chat, app, clock):
    """Someone who logs only the main lift (and never presses /done) was given Day A on every
    training day, for weeks: the rotation moved only on sessions finished in full."""
    days = app.coach.library.programs["gym_2x"].days
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    titles = []
    for date in ("2026-11-23", "2026-11-26", "2026-11-30", "2026-12-03"):
        clock.set_local(f"{date} 09:00", "UTC")
        await chat.send("/today")
        titles.append(next(d.title for d in days if d.title in chat.text))
        await chat.send("hip thrust 3x10 @ 60kg")
    assert titles == [days[0].title, days[1].title, days[0].title, days[1].title], titles
    clock.set_local("2026-12-07 09:00", "UTC")  # a training day with nothing logged does not move it on
    await chat.send("/today")
    assert days[0].title in chat.text, chat.text
    clock.set_local("2026-12-10 09:00", "UTC")
    await chat.send("/today")
    assert days[0].title in chat.text, chat.text


async def test_undoing_the_log_that_completed_the_session_opens_it_again(chat, app, clock):
    """/undo of the set that finished the day must not leave the day finished (and the rotation moved
    on) without it: /today shows it to do again, and logging it again finishes the day once."""
    days = app.coach.library.programs["gym_2x"].days
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    clock.set_local("2026-11-23 09:00", "UTC")  # Monday: day A
    await log_every_hard_exercise(chat, app, days[0])
    assert "session done" in chat.text, chat.text
    await chat.send("/undo")
    assert chat.text.startswith("Removed"), chat.text
    assert "not done any more" in chat.text, chat.text
    await chat.send("/today")
    assert days[0].title in chat.text and "session done" not in chat.text.lower(), chat.text
    await log_every_hard_exercise(chat, app, days[0])  # logs again; only the undone one was missing
    assert "session done" in chat.text, chat.text
    clock.set_local("2026-11-26 09:00", "UTC")  # Thursday: day B, one step on, not two
    await chat.send("/today")
    assert days[1].title in chat.text and days[0].title not in chat.text, chat.text


async def test_undo_after_a_day_ended_with_done_leaves_it_done(chat, app, clock):
    """A day ended early with the button stays ended: /undo removes the log, not the decision."""
    days = app.coach.library.programs["gym_2x"].days
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    clock.set_local("2026-11-23 09:00", "UTC")
    await chat.send("bridges 2x20")
    await chat.send("/done")
    await chat.send("/undo")
    assert chat.text.startswith("Removed") and "not done any more" not in chat.text, chat.text
    clock.set_local("2026-11-26 09:00", "UTC")
    await chat.send("/today")
    assert days[1].title in chat.text, chat.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
async def test_no_message_crashes_the_coach_or_stores_an_unreadable_log(chat, app, text):
    before = await stored_sets(app)
    replies = await chat.send(text)
    assert replies and all(r.text for r in replies)
    assert INTERNAL_ERROR not in chat.text
    if "✓" not in chat.text:
        assert await stored_sets(app) == before


async def test_lines_past_the_limit_are_named_not_silently_dropped(chat, app):
    await chat.send("\n".join(f"bridges 2x{n}" for n in range(10, 35)))
    assert await stored_sets(app) == 40  # 20 lines of 2 sets
    assert "first 20 lines" in chat.text and "other 5" in chat.text and "bridges 2x30" in chat.text


async def test_an_overlong_message_is_refused_whole(chat, app):
    await chat.send("hip thrust 3x10 60kg\n" * 500)
    assert "more than I can read at once" in chat.text
    assert await stored_sets(app) == 0
