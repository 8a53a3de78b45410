"""Issue 19: a conversation that never dead-ends. Each observation of the issue, through the core."""

import pytest

SET_LOG_HINT = "I didn't catch that. Log a set like"


async def start_to(chat, step: str) -> None:
    """Answer onboarding with buttons up to the question `step` (experience, place, days, tz, units, remind)."""
    await chat.send("/start")
    setup = ("New to lifting", "A gym", "Full gym", "Mon, Wed, Fri", "Europe/Berlin", "kg")
    steps = ("experience", "place", "equipment", "days", "tz", "units", "remind")
    presses = setup[: steps.index(step)]
    for label in presses:
        await chat.press(label)


# --- Typing a choice instead of pressing it -------------------------------------------------------------


@pytest.mark.parametrize("typed", ["new to lifting", "beginner", "Beginner!", "I'm new", "begginer"])
async def test_typed_experience_is_understood(chat, typed):
    await start_to(chat, "experience")
    await chat.send(typed)
    assert "Experience: new to lifting" in chat.text
    assert "Where do you train?" in chat.text


@pytest.mark.parametrize("typed", ["at home", "home", "I train at home", "gym", "the gym"])
async def test_typed_place_is_understood(chat, typed):
    await start_to(chat, "place")
    await chat.send(typed)
    assert "Choose gym or home" not in chat.text
    assert "What can you train with?" in chat.text


async def test_a_number_of_days_asks_which_days(chat):
    await start_to(chat, "days")
    await chat.send("3 days")
    assert "not a weekday" not in chat.text
    assert "Which" in chat.text and "3 days" in chat.text
    await chat.send("mon, wed and fri")
    assert "Days: Mon, Wed, Fri" in chat.text
    assert "time zone" in chat.text.lower()


async def test_a_reminder_time_in_free_form(chat):
    await start_to(chat, "remind")
    await chat.send("7pm")
    assert "Reminder: 19:00" in chat.text and "All set" in chat.text


@pytest.mark.parametrize("typed", ["yes", "moderate", "yeah, moderate"])
async def test_yes_or_a_severity_answers_shall_i_adapt(chat, typed):
    await chat.send("my knee hurts")
    assert "Shall I adapt your training" in chat.text
    await chat.send(typed)
    assert SET_LOG_HINT not in chat.text
    if typed == "yes":  # no severity yet: the bot asks which instead of giving up
        assert "Which one: Mild, Moderate or Severe?" in chat.text
        await chat.send("moderate")
    assert "safety check" in chat.text.lower()


# --- Something else mid-question is handled, and the question comes back ---------------------------------


async def test_a_set_log_mid_onboarding_is_stored_and_the_question_repeated(chat):
    await start_to(chat, "place")
    await chat.send("hip thrust 3x10 @ 60kg")
    assert "✓ Barbell hip thrust" in chat.text
    assert "Where do you train?" in chat.text
    assert "Choose gym or home" not in chat.text
    await chat.send("/history")
    assert "Barbell hip thrust" in chat.text
    assert "Where do you train?" in chat.text  # a command answered, the question is still open
    await chat.send("gym")
    assert "What can you train with?" in chat.text


async def test_pain_talk_mid_onboarding_is_answered_and_the_question_repeated(chat):
    await start_to(chat, "units")
    await chat.send("my lower back hurts")
    assert "Shall I adapt your training" in chat.text
    assert "Kilograms or pounds?" in chat.text
    await chat.send("pounds")
    assert "Units: lb" in chat.text


async def test_a_wrong_typed_answer_with_numbers_is_not_answered_as_a_failed_set_log(chat):
    """'6:30pm' typed at "Kilograms or pounds?" got "Nothing in that message reads as sets, so nothing
    was logged": the person was answering a question, not logging."""
    await start_to(chat, "units")
    await chat.send("6:30pm")
    assert "reads as sets" not in chat.text and "Write them like" not in chat.text, chat.text
    assert "Type kg or lb" in chat.text and "Kilograms or pounds?" in chat.replies[-1].text, chat.text


@pytest.mark.parametrize("typed, outcome", [("no", "nothing logged"), ("cancel", "nothing logged"), ("yes", "✓ ")])
async def test_yes_or_no_answers_a_question_with_one_choice_and_cancel(chat, typed, outcome):
    """'no' to "Log 'hüftstoß' as your own exercise? [Log as my own] [Cancel]" got "I didn't catch that",
    and 'yes' got "OK. Which one: Log 'hüftstoß' as my own or Cancel?"."""
    await chat.send("hüftstoß 3x10 60kg")
    assert "isn't in my exercise list" in chat.text, chat.text
    await chat.send(typed)
    assert outcome in chat.text.lower() or outcome in chat.text, chat.text


@pytest.mark.parametrize("other", ["/week", "bridges 2x20"])
async def test_an_unanswered_question_comes_back_twice_then_is_let_go_out_loud(chat, other):
    """Asked again after every other message, an open question followed each of ten commands."""
    await chat.send("hip thrust 3x10 @ 60kg")
    await chat.send("hip thrust 3x10 @ 600kg")
    for _ in range(2):
        await chat.send(other)
        assert "Is it right?" in chat.replies[-1].text, chat.text
    await chat.send(other)
    assert "stop asking" in chat.text and "nothing was stored" in chat.text, chat.text
    await chat.send("/history")
    assert "600" not in chat.text, chat.text
    await chat.send("yes")
    assert "Logged" not in chat.text, chat.text


# --- Dead ends -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "my hip hurts",
        "my glute hurts when I sit",
        "sharp pain in my hamstring during rdl",
        "I feel hip thrusts in my quads",
        "how do I do a hip thrust?",
        "what should I eat",
        "I don't have a band",
        "what should I do today?",
    ],
)
async def test_no_dead_end_gets_the_set_log_hint(chat, text):
    await chat.send(text)
    assert SET_LOG_HINT not in chat.text
    assert chat.text.strip()


async def test_how_to_gives_the_cue_steps_and_mistakes(chat):
    await chat.send("how do I do a hip thrust?")
    assert "Barbell hip thrust" in chat.text
    assert "Chin tucked" in chat.text  # the catalog cue
    assert "Common mistakes" in chat.text


async def test_what_should_i_do_today_is_today(chat):
    await chat.send("what should I do today?")
    assert ("Main lifts" in chat.text) or ("Rest day" in chat.text)


async def test_missing_equipment_gets_swaps_and_the_setting(chat):
    await chat.send("/program home_2x")
    await chat.send("I don't have a band")
    assert "Banded glute bridge → Glute bridge" in chat.text
    assert "/equipment nothing" in chat.text
    await chat.send("/program gym_3x")
    await chat.send("no barbell at my gym today")
    assert "Barbell hip thrust → " in chat.text and "/equipment" in chat.text
    await chat.press("Plan without barbell")
    assert "Your plan only uses what you have" in chat.text


async def test_pain_in_an_area_without_rules_gets_an_honest_answer(chat):
    await chat.send("my hamstring hurts when I do rdls")
    assert "your hamstring" in chat.text
    assert "can't adapt" in chat.text.lower() or "adapt" in chat.text.lower()


@pytest.mark.parametrize("area", ["hamstring", "hip", "glute", "ankle", "upper back"])
async def test_pain_command_and_pain_talk_answer_every_common_area(chat, area):
    await chat.send(f"/pain {area}")
    assert "Which area?" not in chat.text
    assert f"your {area}" in chat.text and "here is what i'd do" in chat.text.lower()
    await chat.send(f"my {area} hurts")
    assert f"your {area}" in chat.text and "here is what i'd do" in chat.text.lower()


async def test_unknown_text_says_what_the_bot_can_do(chat):
    await chat.send("tell me a joke")
    assert "/help" in chat.text
    await chat.send("how do I do the worm dance")
    assert "worm dance" in chat.text and SET_LOG_HINT not in chat.text


# --- Wording ---------------------------------------------------------------------------------------------


async def test_examples_are_in_the_persons_units_and_place(chat):
    await chat.send("/start experience novice")
    await chat.send("/start place home")
    await chat.send("/start days mon thu")
    await chat.send("/start tz Europe/London")
    await chat.send("/start units lb")
    await chat.send("/start remind off")
    assert "All set" in chat.text
    assert "60kg" not in chat.text and "e.g. glute bridge 3x15" in chat.text
    await chat.send("/help")
    assert "Log a set by just writing it, e.g. glute bridge 3x15" in chat.text
    await chat.send("/program gym_2x")
    await chat.send("/today train")
    assert "e.g. hip thrust 3x10 @ 135lb" in chat.text


async def test_settings_show_every_setting_and_how_to_change_it(chat):
    await chat.send("/quiet 22:00-07:00")
    await chat.send("/pain knee mild")
    await chat.press("None of these")
    await chat.send("/settings")
    text = chat.text
    for expected in (
        "Place",
        "Quiet hours",
        "22:00",
        "Glute-up breaks",
        "Paused",
        "Pain",
        "knee",
        "/units",
        "/tz",
        "/days",
        "/quiet",
        "/gluteup",
        "/pause",
        "/pain",
    ):
        assert expected in text, expected


async def test_clearing_pain_names_each_area_once_with_its_people_name(chat):
    await chat.send("/pain lower back mild")
    await chat.press("None of these")
    await chat.send("/pain lower back moderate")
    assert "lower_back" not in chat.text  # "/pain clear lower back when it's gone"
    await chat.send("my back hurts and I have saddle numbness")  # a referral adds a second lower-back report
    assert "Please get this checked" in chat.text
    await chat.send("/pain clear lower_back")
    assert "lower_back" not in chat.text
    assert chat.text.count("lower back") == 1, chat.text


async def test_soreness_is_not_called_heavy_soreness_bothering_you(chat):
    await chat.send("I'm so sore from yesterday")
    assert "your heavy soreness is bothering you" not in chat.text
    assert "It sounds like you're very sore." in chat.text


async def test_plurals_in_the_week_summary(chat, clock):
    from core.catalog import Catalog

    names = [e.name.lower() for e in Catalog.load() if e.load_type == "weighted"][:6]
    await chat.send("\n".join(f"{name} 3x10 @ 20kg" for name in names))
    await chat.send("/week")
    assert "1 more exercises" not in chat.text


async def test_a_red_flag_mid_question_gets_the_referral_and_the_question_comes_back(chat):
    await start_to(chat, "place")
    await chat.send("my back hurts and I wet myself")
    assert "Please get this checked" in chat.text
    assert "Where do you train?" in chat.text
    await chat.send("/pain knee mild")
    await chat.send("no, but my legs are weak and my knee hurts")  # a red flag must not press "None of these"
    assert "Please get this checked" in chat.text


async def test_a_command_mid_setup_keeps_the_setup_going(chat):
    await start_to(chat, "days")
    await chat.send("/today")
    assert "Setup 4/7 is still open" in chat.text
    await chat.send("mon thu")
    assert "Days: Mon, Thu" in chat.text
    await chat.send("/forget")
    assert "Setup" not in chat.text


async def test_set_log_help_is_in_the_persons_units_and_place(chat):
    await chat.send("/units lb")
    await chat.send("/program gym_3x")
    await chat.send("hip thrust 3x")
    assert "60kg" not in chat.text and "hip thrust 3x10 @ 135lb" in chat.text
    await chat.send("/program home_2x")
    await chat.send("/history")
    assert "e.g. glute bridge 3x15" in chat.text


@pytest.mark.parametrize(
    "typed", ["none, but I have a fever", "no except I fell last week", "none apart from night pain"]
)
async def test_a_hedged_answer_to_the_safety_check_never_clears_it(chat, typed):
    await chat.send("/pain lower back mild")
    assert "safety check" in chat.text.lower()
    await chat.send(typed)
    assert "Noted: lower back" not in chat.text
    await chat.send("/pain")
    assert "adapt" not in chat.text.lower() or "safety check unanswered" in chat.text or "get it checked" in chat.text


@pytest.mark.parametrize(
    "typed, expected", [("much better", "Great news"), ("about the same", "Thanks."), ("worse", "Sorry it's worse")]
)
async def test_a_typed_answer_to_a_check_in_the_scheduler_sent(chat, clock, typed, expected):
    """Scheduled check-ins do not pass through the coach, so no question is open; a short answer
    still reaches the one report whose check-in time has come."""
    await chat.send("/pain lower back mild")
    await chat.press("None of these")
    await chat.send(typed)  # too early: no check-in was due, so nothing is answered
    assert expected not in chat.text
    clock.advance(days=4)
    await chat.send(typed)
    assert expected in chat.text


@pytest.mark.parametrize(
    "typed, days",
    [
        ("/days weekdays", "Mon, Tue, Wed, Thu, Fri"),
        ("/days weekends", "Sat, Sun"),
        ("/days mondays and thursdays", "Mon, Thu"),
        ("/days every day", "Mon, Tue, Wed, Thu, Fri, Sat, Sun"),
    ],
)
async def test_days_reads_what_setup_reads(chat, typed, days):
    """'/days weekdays' was refused ("'weekdays' is not a weekday") though setup reads it."""
    await chat.send(typed)
    assert f"Training days set: {days}." in chat.text, chat.text


async def test_days_with_a_count_asks_which(chat):
    await chat.send("/days 3")
    assert "Which days?" in chat.text, chat.text
    await chat.press("Mon, Wed, Fri")
    assert "Training days set: Mon, Wed, Fri." in chat.text, chat.text


async def test_a_program_not_named_exactly_gets_the_programs_as_buttons(chat):
    """'/program gym' answered with the ids to type ("Choose one of: home_2x, gym_2x, ...")."""
    await chat.send("/program gym")
    labels = [b.label for r in chat.replies for row in r.buttons for b in row]
    assert "Gym 2x: hip thrust & squat" in labels, chat.text
    await chat.press("Gym 2x")
    assert "Program set: Gym 2x" in chat.text, chat.text


@pytest.mark.parametrize(
    "typed, answer",
    [
        ("help", "Glute Up commands"),
        ("Help!", "Glute Up commands"),
        ("what can you do?", "Glute Up commands"),
        ("menu", "Glute Up commands"),
        ("next workout", "Rest day"),
        ("when is my next workout?", "Rest day"),
        ("undo", "nothing to undo"),
        ("undo that", "nothing to undo"),
        ("show my history", "No logs yet"),
        ("my settings", "Your settings"),
        ("this week", "Your week"),
        ("how was my week", "Your week"),
        ("remind me at 7am", "I'll remind you at 07:00"),
        ("stop reminders", "Workout reminders are off"),
        ("pause reminders", "Reminders paused until"),
        ("delete my data", "Delete your data?"),
        ("start over", "Setup 1/7"),
        ("show my progress", "Which exercise?"),
        ("progress on hip thrust", "No Barbell hip thrust sets logged yet"),
        ("hip thrust progress", "No Barbell hip thrust sets logged yet"),
        ("export my data", "nothing to export"),
    ],
)
async def test_commands_said_in_words_run_the_command(chat, clock, typed, answer):
    """'help', 'undo', 'remind me at 7am' got "I didn't catch that" (or, for the reminder, "I couldn't
    tell what 'am' after 7 means (kg, lb, reps?)")."""
    clock.set_local("2026-12-06 10:00", "UTC")  # a Sunday: a rest day on the default days
    await chat.send(typed)
    assert answer in chat.text, chat.text


@pytest.mark.parametrize(
    "typed",
    ["help me with my knee pain", "can you help me with hip thrusts", "undo my knee", "no progress", "slow progress"],
)
async def test_words_of_a_command_inside_a_longer_message_do_not_run_it(chat, typed):
    await chat.send(typed)
    assert "Glute Up commands" not in chat.text and "Removed" not in chat.text, chat.text
    assert "I don't know the exercise" not in chat.text, chat.text


async def test_settings_name_a_report_without_an_area(chat):
    """/settings crashed ('something went wrong') while a safety check about symptoms was open."""
    await chat.send("my legs feel numb")
    await chat.send("/settings")
    assert "Your settings" in chat.text and "symptoms (safety check unanswered)" in chat.text, chat.text
