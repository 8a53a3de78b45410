"""Onboarding, settings and /today through the coach on a real database."""

from core.catalog import Catalog

CATALOG = Catalog.load()


def exercise_names_in(text: str) -> list[str]:
    return [e.name for e in CATALOG if e.name in text]


async def test_onboarding_by_buttons_then_settings_show_every_answer(chat, clock):
    await chat.send("/start")
    assert "How long have you been lifting?" in chat.text
    await chat.press("New to lifting")
    assert "Where do you train?" in chat.text
    await chat.press("A gym")
    assert "What can you train with?" in chat.text
    await chat.press("Full gym")
    assert "Which days" in chat.text
    await chat.press("Mon, Wed, Fri")
    assert "time zone" in chat.text.lower()
    await chat.press("Europe/Berlin")
    await chat.press("kg")
    await chat.press("18:00")
    assert "All set" in chat.text
    await chat.send("/settings")
    for expected in ("Gym", "3x", "Mon, Wed, Fri", "Europe/Berlin", "kg", "18:00", "novice"):
        assert expected.lower() in chat.text.lower(), expected


async def test_typed_answers_work_during_onboarding(chat):
    await chat.send("/start experience intermediate")
    await chat.send("/start place home")
    await chat.send("bands")
    await chat.send("tue fri")
    assert "time zone" in chat.text.lower()
    await chat.send("new york")
    assert "America/New_York" in chat.text
    await chat.send("lb")
    await chat.send("6:45am")
    assert "06:45" in chat.text and "All set" in chat.text


async def test_a_wrong_onboarding_answer_is_explained_and_asked_again(chat):
    await chat.send("/start experience novice")
    await chat.send("/start place gym")
    await chat.send("a rowing boat")
    assert "Tell me what you have" in chat.text and "What can you train with?" in chat.text
    await chat.send("dumbbells and bands")
    await chat.send("someday")
    assert "not a weekday" in chat.text
    assert "Which days" in chat.text


async def test_today_on_a_training_day_lists_real_exercises_with_dose_rest_and_cue(chat, clock):
    await chat.send("/tz Europe/Berlin")
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    clock.set_local("2026-11-23 08:00", "Europe/Berlin")  # a Monday
    await chat.send("/today")
    text = chat.text
    assert len(exercise_names_in(text)) >= 4
    assert "Warm-up activation" in text and "Main lifts" in text and "Mobility" in text
    assert " x " in text and "rest" in text


async def test_rest_day_names_the_next_training_day_and_offers_a_routine(chat, clock):
    await chat.send("/tz Europe/Berlin")
    await chat.send("/days mon thu")
    clock.set_local("2026-11-24 08:00", "Europe/Berlin")  # Tuesday
    await chat.send("/today")
    assert "rest day" in chat.text.lower()
    assert "Thursday" in chat.text
    assert exercise_names_in(chat.text)
    await chat.press("Train anyway")
    assert "Main lifts" in chat.text


async def test_today_uses_the_persons_own_time_zone(chat, clock):
    await chat.send("/days mon")
    await chat.send("/tz Pacific/Auckland")
    # Sunday 20:00 UTC is already Monday morning in Auckland.
    clock.set_local("2026-11-22 20:00", "UTC")
    await chat.send("/today")
    assert "Main lifts" in chat.text
    await chat.send("/tz UTC")  # the same instant is still Sunday in UTC
    await chat.send("/today")
    assert "rest day" in chat.text.lower()


async def test_rotation_moves_on_by_completed_sessions_so_missed_days_are_not_skipped(chat, clock):
    await chat.send("/program gym_2x")
    await chat.send("/days mon thu")
    clock.set_local("2026-11-23 09:00", "UTC")
    await chat.send("/today")
    first_day = chat.text.splitlines()[0]
    await chat.send("/done")
    assert "Session done" in chat.text
    # Thursday is missed entirely; the next Monday shows the second day, not the third.
    clock.set_local("2026-11-30 09:00", "UTC")
    await chat.send("/today")
    second_day = chat.text.splitlines()[0]
    assert second_day != first_day
    clock.set_local("2026-12-03 09:00", "UTC")
    await chat.send("/today")
    assert chat.text.splitlines()[0] == second_day  # not done yet, so the same day again


async def test_a_user_who_never_ran_start_gets_a_default_workout_and_a_hint(chat, clock):
    await chat.send("/today train")
    assert exercise_names_in(chat.text)
    assert "/start" in chat.text


async def test_unknown_command_suggests_the_closest(chat):
    await chat.send("/tody")
    assert "/today" in chat.text and "/help" in chat.text


async def test_gibberish_gets_examples_and_no_crash(chat):
    await chat.send("🍑🍑🍑 ???")
    assert "hip thrust" in chat.text.lower()


async def test_switching_program_today_switches_the_unfinished_session(chat, app):
    await chat.send("/today train")
    await chat.send("/program gym_3x")
    await chat.send("/today train")
    assert app.coach.library.programs["gym_3x"].name in chat.text


async def test_new_people_start_in_the_configured_default_time_zone(settings, clock):
    from bot.app import build_app
    from tests.support import ChatDriver

    app = await build_app(settings.model_copy(update={"default_timezone": "Asia/Tokyo"}), clock=clock)
    try:
        chat = ChatDriver(app.coach)
        await chat.send("/settings")
        assert "Time zone: Asia/Tokyo" in chat.text
    finally:
        await app.close()
