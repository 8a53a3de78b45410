"""/week: sessions vs plan, hard glute sets vs target, best sets, streak, pain beside load."""

from datetime import date, datetime, timedelta, timezone

from tests.seed import log_sets, report_pain

BERLIN = "Europe/Berlin"
MONDAY = date(2026, 11, 23)
WEDNESDAY = MONDAY + timedelta(days=2)


async def person_training_mon_wed_fri(chat, clock):
    await chat.send(f"/tz {BERLIN}")
    await chat.send("/days mon wed fri")
    clock.set_local("2026-11-25 20:00", BERLIN)  # Wednesday evening


async def test_week_counts_sessions_glute_sets_and_best_sets(app, chat, clock):
    await person_training_mon_wed_fri(chat, clock)
    await log_sets(app, chat, "hip_thrust", [(10, 60), (10, 60), (8, 70), (8, 70)], on=MONDAY, zone=BERLIN)
    await log_sets(app, chat, "clamshell", [(15, None)] * 2, on=MONDAY, zone=BERLIN)  # activation: not counted
    await log_sets(app, chat, "romanian_deadlift", [(10, 50)] * 3, on=WEDNESDAY, zone=BERLIN)
    await log_sets(app, chat, "plank", [(None, None)], on=WEDNESDAY, zone=BERLIN, seconds=45)  # not glutes
    await log_sets(app, chat, "custom", [(12, 20)], on=WEDNESDAY, zone=BERLIN, custom_name="Sled push")
    await chat.send("/week")
    text = chat.text
    assert "Mon 23 Nov - Sun 29 Nov" in text
    assert "Sessions: 2 of 3 planned (Mon, Wed, Fri). Trained on Mon, Wed." in text
    assert "Hard glute sets: 7 (target about 10-20 a week)" in text
    assert "3 more to reach 10 this week" in text
    assert "Barbell hip thrust: 70 kg x 8 (est. 1RM 88.5 kg)" in text
    assert "Romanian deadlift: 50 kg x 10" in text
    assert "Sled push: 20 kg x 12" in text
    assert "Plank: 45 s" in text
    assert "pain" not in text.lower()  # no pain reported: no pain section


async def test_week_shows_lb_for_a_person_who_uses_lb(app, chat, clock):
    await person_training_mon_wed_fri(chat, clock)
    await chat.send("/units lb")
    await log_sets(app, chat, "hip_thrust", [(5, 100)], on=MONDAY, zone=BERLIN)
    await chat.send("/week")
    assert "Barbell hip thrust: 220.46 lb x 5" in chat.text


async def test_a_set_logged_late_on_sunday_night_belongs_to_that_local_week(app, chat, clock):
    await person_training_mon_wed_fri(chat, clock)
    sunday_before = MONDAY - timedelta(days=1)
    await log_sets(app, chat, "hip_thrust", [(10, 60)] * 3, on=sunday_before, at="23:30", zone=BERLIN)
    await chat.send("/week")
    assert "Sessions: 0 of 3" in chat.text and "Nothing logged this week yet" in chat.text


async def test_streak_counts_weeks_that_met_the_plan(app, chat, clock):
    await person_training_mon_wed_fri(chat, clock)
    for weeks_back in (1, 2, 3):
        monday = MONDAY - timedelta(weeks=weeks_back)
        for day in (monday, monday + timedelta(days=2), monday + timedelta(days=4)):
            await log_sets(app, chat, "hip_thrust", [(10, 60)] * 3, on=day, zone=BERLIN)
    four_weeks_back = MONDAY - timedelta(weeks=4)
    await log_sets(app, chat, "hip_thrust", [(10, 60)] * 3, on=four_weeks_back, zone=BERLIN)  # missed two days
    await chat.send("/week")
    assert "Consistency: 3 weeks in a row on plan." in chat.text


async def test_a_completed_session_without_logged_sets_still_counts(app, chat, clock):
    await person_training_mon_wed_fri(chat, clock)
    clock.set_local("2026-11-23 18:00", BERLIN)
    await chat.send("/today")
    await chat.send("/done")
    clock.set_local("2026-11-25 20:00", BERLIN)
    await chat.send("/week")
    assert "Sessions: 1 of 3 planned (Mon, Wed, Fri). Trained on Mon" in chat.text


async def test_pain_reports_show_next_to_that_days_training(app, chat, clock):
    await person_training_mon_wed_fri(chat, clock)
    await log_sets(app, chat, "back_squat", [(5, 80)] * 5, on=MONDAY, zone=BERLIN)
    await log_sets(app, chat, "plank", [(None, None)], on=MONDAY, zone=BERLIN, seconds=30)
    # 23:30 UTC on Monday is already Tuesday in Berlin.
    await report_pain(app, chat, "lower_back", "mild", datetime(2026, 11, 23, 23, 30, tzinfo=timezone.utc))
    await chat.send("/week")
    text = chat.text
    assert "Training load and pain:" in text
    assert "• Mon 23 Nov: 6 sets (5 glute)" in text
    assert "• Tue 24 Nov: rest; pain: lower back (mild)" in text


async def test_an_empty_week_still_answers_with_how_to_log(chat, clock):
    await chat.send("/week")
    assert "Sessions: 0 of" in chat.text
    assert "hip thrust 3x10 @ 60kg" in chat.text
    assert "no streak yet" in chat.text
