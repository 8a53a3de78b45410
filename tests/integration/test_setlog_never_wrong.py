"""Set logging stores a line fully as meant or not at all, and every button acts once."""

import time

from sqlalchemy import func, select

from bot.storage import models
from core.domain import Incoming


async def stored_sets(app) -> int:
    async with app.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(models.SetLog))).scalar_one()


async def custom_ids(app) -> set[str]:
    async with app.engine.connect() as conn:
        return set((await conn.execute(select(models.LogEntry.exercise_id))).scalars())


async def test_pressing_did_you_mean_twice_stores_once(chat, app):
    await chat.send("bulgarian splt 3x8 16kg")
    button = chat.button("Bulgarian split squat")
    await chat.send(button.command)
    assert "✓ Bulgarian split squat: 3 x 8 @ 16 kg" in chat.text
    await chat.send(button.command)  # the same button again (a double tap, or a redelivered press)
    assert "Already logged" in chat.text and await stored_sets(app) == 3


async def test_log_as_my_own_after_did_you_mean_acts_once(chat, app):
    await chat.send("bulgarian splt 3x8 16kg")
    mean, own = chat.button("Bulgarian split squat"), chat.button("Log 'bulgarian splt' as my own")
    await chat.send(mean.command)
    await chat.send(own.command)
    assert "Already logged" in chat.text and await stored_sets(app) == 3


async def test_the_same_undo_delivered_twice_removes_one_entry(chat, app):
    await chat.send("bridges 2x20")
    await chat.send("hip thrust 3x10 @ 60kg")
    await chat.send("/undo", message_key="tg:1:500")
    await chat.send("/undo", message_key="tg:1:500")
    assert "arrived twice" in chat.text
    assert await stored_sets(app) == 2  # the bridges are still there
    await chat.send("/undo", message_key="tg:1:501")  # a new /undo still works
    assert "Removed: Glute bridge" in chat.text and await stored_sets(app) == 0


async def test_two_plausible_readings_ask_with_both_and_store_the_one_pressed(chat, app):
    await chat.send("rdl 3x10x5")
    assert await stored_sets(app) == 0
    labels = [b.label for r in chat.replies for row in r.buttons for b in row]
    assert "3 x 10 @ 5 kg" in labels and "5 x 10 @ 3 kg" in labels
    await chat.press("5 x 10 @ 3 kg")
    assert "✓ Romanian deadlift: 5 x 10 @ 3 kg" in chat.text and await stored_sets(app) == 5


async def test_a_load_far_above_the_best_is_confirmed_before_it_is_stored_or_a_record(chat, app):
    await chat.send("hip thrust 3x10 @ 60kg")
    await chat.send("hip thrust 3x5 @ 150kg")
    assert "more than 50% above your best so far (60 kg)" in chat.text and "record" not in chat.text
    assert await stored_sets(app) == 3
    await chat.press("Yes, log")
    assert "✓ Barbell hip thrust: 3 x 5 @ 150 kg" in chat.text and "🏆 New record: 150 kg" in chat.text
    assert await stored_sets(app) == 6
    await chat.send("hip thrust 3x5 @ 160kg")  # within 50 % of the new best: no question
    assert "✓ Barbell hip thrust: 3 x 5 @ 160 kg" in chat.text


async def test_a_best_lifted_in_the_other_unit_is_named_rounded_in_the_load_check(chat):
    """The check read "more than 50% above your best so far (61.23 kg)" for a best of 135 lb."""
    await chat.send("rdl 135 lbs 3x8")
    await chat.send("rdl 3x8 135")
    assert "(≈ 61 kg)" in chat.text and "61.23" not in chat.text, chat.text


async def test_a_typo_in_the_load_is_not_stored(chat, app):
    await chat.send("hip thrust 3x10 @ 60kg")
    await chat.send("hip thrust 3x10 @ 600kg")
    await chat.press("No, cancel")
    assert "nothing logged" in chat.text.lower() and await stored_sets(app) == 3


async def test_a_command_sent_before_answering_a_load_check_does_not_drop_the_set_silently(chat, app):
    """People look something up (/week, /today) before they answer "is it right?". The unstored set
    was forgotten without a word, and the answer typed afterwards ("yes") no longer meant anything."""
    await chat.send("hip thrust 3x10 @ 60kg")
    await chat.send("hip thrust 3x5 @ 150kg")
    for command in ("/week", "/today"):
        await chat.send(command)
        assert "150 kg is more than 50% above your best" in chat.replies[-1].text, (command, chat.text)
    await chat.send("yes")
    assert "✓ Barbell hip thrust: 3 x 5 @ 150 kg" in chat.text and await stored_sets(app) == 6, chat.text


async def test_pressing_the_load_check_buttons_answers_it_once(chat, app):
    await chat.send("hip thrust 3x10 @ 60kg")
    await chat.send("hip thrust 3x10 @ 600kg")
    await chat.press("No, cancel")
    assert "above your best" not in chat.text, chat.text
    await chat.send("/week")
    assert "above your best" not in chat.text and await stored_sets(app) == 3, chat.text


async def test_a_huge_set_count_is_refused_before_anything_is_allocated(chat, app):
    started = time.perf_counter()
    await chat.send("hip thrust 100000000 sets of 10 @ 60kg")
    await chat.send("hip thrust 3 sets of 100000000 @ 60kg")
    assert time.perf_counter() - started < 5
    assert "more than I can believe" in chat.replies[0].text or "out of range" in chat.text
    assert await stored_sets(app) == 0


async def test_questions_with_numbers_are_not_offered_as_logs(chat, app):
    for text in ("is 3x10 enough for hip thrusts?", "my trainer says 3x12 at 50kg next time", "I weigh 65kg"):
        replies = await chat.send(text)
        assert not any(r.buttons for r in replies) and "Logged" not in chat.text, text
    assert await stored_sets(app) == 0


async def test_pounds_are_echoed_in_pounds(chat):
    await chat.send("hip thrust 135# 3x10")
    assert "3 x 10 @ 135 lb (≈ 61 kg)" in chat.text
    await chat.send("squat 225 lbs x 5")
    assert "225 lb" in chat.text and "102.06" not in chat.text


async def test_own_exercises_in_any_script_keep_their_own_identity(chat, app):
    await chat.send("ягодичный мост 3x10 40kg")
    await chat.press("Log")
    await chat.send("становая тяга 3x5 60kg")
    await chat.press("Log")
    assert "(your own exercise)" in chat.text
    ids = await custom_ids(app)
    assert len(ids) == 2 and all(i.startswith("custom_") and i != "custom_" for i in ids)
    await chat.send("ягодичный мост 3x10 45kg")
    await chat.press("Log")
    assert "last time" in chat.text and "+5 kg" in chat.text  # compared with its own history only
    assert "New record: 45 kg for 10 reps (before: 40 kg)" in chat.text


async def test_set_by_set_logging_joins_the_last_exercise_and_says_so(chat, app, clock):
    await chat.send("hip thrust 60x10")
    await chat.send("70x8")
    assert "✓ Barbell hip thrust: 1 x 8 @ 70 kg" in chat.text
    assert "added to Barbell hip thrust, the exercise you logged last" in chat.text
    clock.advance(hours=4)  # a new session: numbers alone no longer belong to anything
    await chat.send("70x8")
    assert "no exercise name" in chat.text and await stored_sets(app) == 2


async def test_warm_ups_are_stored_shown_and_left_out_of_records_and_progression(chat, app, clock):
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    clock.set_local("2026-11-23 09:00", "UTC")
    await chat.send("hip thrust 3x12 @ 60kg")
    clock.set_local("2026-11-24 09:00", "UTC")
    await chat.send("hip thrust warmup 1x12 @ 100kg, 3x8 @ 60kg")
    assert "warm-up 1 x 12 @ 100 kg, then 3 x 8 @ 60 kg" in chat.text
    assert "record" not in chat.text.lower()  # the 100 kg warm-up is no record
    clock.set_local("2026-11-26 09:00", "UTC")
    await chat.send("/today")
    assert "@ 100 kg" not in chat.text and "60 kg" in chat.text  # the next load ignores the warm-up


async def test_notes_bands_and_effort_are_kept_and_shown(chat):
    await chat.send("clams 3x15 each side with the green band felt easy")
    assert "✓ Clamshell: 3 x 15 per side, green band, note: felt easy" in chat.text
    await chat.send("rdl 3x8 @ 70kg RIR 2")
    assert "RIR 2 (reps in reserve, stored as RIR)" in chat.text
    await chat.send("rdl 3x8 @ 70kg rpe 11")
    assert "RPE goes from 1 to 10" in chat.text
    await chat.send("/history")
    assert "green band" in chat.text and "note: felt easy" in chat.text


async def test_a_mention_in_a_group_logs_like_log(app):
    group = Incoming(
        "test", "1001", "-5", "hip thrust 3x10 @ 60kg", is_private=False, message_key="g:9", addressed=True
    )
    replies = await app.coach.handle(group)
    assert "✓ Barbell hip thrust: 3 x 10 @ 60 kg" in replies[0].text
    assert await stored_sets(app) == 3
    chatter = Incoming("test", "1001", "-5", "3x10 is plenty lol", is_private=False, message_key="g:10")
    await app.coach.handle(chatter)
    assert await stored_sets(app) == 3


async def test_a_pasted_strong_workout_is_one_log_per_exercise(chat, app):
    await chat.send(
        "Leg day\nMonday, 23 November 2026 at 18:00\n\nHip Thrust (Barbell)\nSet 1: 60 kg × 10\n"
        "Set 2: 70 kg × 8\n\nRomanian Deadlift (Barbell)\nW: 30 kg × 10\nSet 1: 50 kg × 12"
    )
    assert "✓ Barbell hip thrust: 60 kg x 10, 70 kg x 8" in chat.text
    assert "✓ Romanian deadlift: warm-up 1 x 10 @ 30 kg, then 1 x 12 @ 50 kg" in chat.text
    assert "Not read as sets: 'Leg day'; 'Monday, 23 November 2026 at 18:00'" in chat.text
    assert await stored_sets(app) == 4


async def test_every_button_command_fits_the_smallest_platform_limit(chat, app):
    long_note = "felt really strong, kept the front knee out and paused low on every single rep of every set"
    await chat.send(f"bulgarian splt 3x8 16kg each side with the green band {long_note}")
    commands = [b.command for r in chat.replies for row in r.buttons for b in row]
    assert commands and all(len(c) <= 100 for c in commands)
    assert "too long to ride on a button" in chat.text
    await chat.press("Bulgarian split squat")
    assert "✓ Bulgarian split squat: 3 x 8 per side @ 16 kg, green band" in chat.text


async def test_the_export_keeps_warm_ups_bands_effort_distance_and_notes(chat):
    import csv
    import io

    await chat.send("hip thrust warmup 1x10 @ 20kg, 3x8 @ 60kg rir 2 felt easy")
    await chat.send("clams 2x15 each side with the green band")
    await chat.send("walking lunges 2x20m")
    await chat.send("/export")
    attachment = next(r.attachment for r in chat.replies if r.attachment)
    rows = list(csv.DictReader(io.StringIO(attachment.data.decode())))
    notes = [row["Notes"] for row in rows]
    assert notes[0] == "warm-up" and notes[1] == "RIR 2" and notes[3] == "RIR 2; felt easy"
    assert notes[4] == "per side; green band" and notes[6] == "20 m"
