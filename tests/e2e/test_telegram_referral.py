"""Issue 12 through the real Telegram client and the fake Bot API: each observation once more,
as a person on Telegram meets it (buttons, typed words, scheduled sends)."""

from __future__ import annotations

from bot.scheduling import ReminderScheduler
from tests.e2e.test_telegram_journey import USER, press, say, telegram  # noqa: F401 (fixture)

SAME_DAY = "same-day care"


def labels(message: dict) -> list[str]:
    from tests.fakes.telegram_server import FakeTelegram

    return [b["text"] for b in FakeTelegram.inline_buttons(message)]


async def gym_monday(fake, clock):
    await say(fake, "/program gym_2x")
    await say(fake, "/days mon wed thu")
    clock.set_local("2026-11-23 09:00", "UTC")


async def test_a_referral_holds_60_days_and_only_the_clinician_question_clears_it(telegram, clock):
    fake, _ = telegram
    await gym_monday(fake, clock)
    check = await say(fake, "/pain lower back moderate")
    yes = await press(fake, check, "Yes, one or more")
    await press(fake, yes, "Pain at night")
    clock.advance(days=60)
    reply = await say(fake, "/today train")
    assert "please get it checked" in reply["text"] and "Romanian deadlift" not in reply["text"]
    start = len(fake.sent)
    fake.user_sends("/pain clear")
    question = (await fake.wait_for_sent(USER, count=start + 1))[-1]
    assert "Has a clinician checked this and cleared you to train?" in question["text"]
    cleared = await press(fake, question, "Yes, a clinician cleared me")
    assert "return-to-training week" in cleared["text"]
    today = await press(fake, cleared, "See today")
    assert "Return-to-training week" in today["text"]


async def test_after_an_urgent_flag_nothing_prompts_exercise(telegram, app, clock):
    fake, adapter = telegram
    await gym_monday(fake, clock)
    reply = await say(fake, "it's gone numb between my legs")
    assert SAME_DAY in reply["text"] and "Shall I adapt" not in reply["text"]
    for _ in range(2):
        reply = await say(fake, "/today")
        assert SAME_DAY in reply["text"] and "Main lifts" not in reply["text"]
    reply = await say(fake, "/gluteup on")
    assert "exercise breaks yet" in reply["text"]
    reply = await say(fake, "/remind 07:30")
    assert "ask you to train" in reply["text"]
    reply = await say(fake, "hip thrust 3x10 @ 60kg")
    reply = await say(fake, "/week")
    assert "No targets this week" in reply["text"] and "more to reach" not in reply["text"]
    worker = ReminderScheduler(app.store, app.coach.library, {"telegram": adapter}, clock=clock)
    start = len(fake.sent)
    for hour in ("07:30", "10:00", "12:00", "14:00"):
        clock.set_local(f"2026-11-25 {hour}", "UTC")
        await worker.tick()
    scheduled = [m["text"] for m in fake.sent[start:]]
    assert scheduled and all(SAME_DAY in text for text in scheduled), scheduled
    assert not any("Time to train" in t or "Glute up" in t for t in scheduled)


async def test_yes_to_the_check_asks_which_with_a_button_each(telegram, clock):
    fake, _ = telegram
    await gym_monday(fake, clock)
    check = await say(fake, "/pain lower back mild")
    reply = await press(fake, check, "Yes, one or more")
    assert "first four" not in reply["text"] and SAME_DAY in reply["text"]
    assert {"Saddle numbness", "A fall or blow", "Unexplained weight loss"} <= set(labels(reply))
    reply = await press(fake, reply, "A fall or blow")
    assert SAME_DAY not in reply["text"] and "soon" in reply["text"]


async def test_free_text_flags_in_passing_and_no_false_alarms(telegram, clock):
    fake, _ = telegram
    await gym_monday(fake, clock)
    reply = await say(fake, "I fell asleep at my desk and now my back is stiff")
    assert "Shall I adapt your training" in reply["text"]
    reply = await say(fake, "had a bladder infection last month, all fine now")
    assert "emergency" not in reply["text"]
    reply = await say(fake, "my back hurts and my legs feel weak")
    assert "Please get this checked" in reply["text"] and SAME_DAY in reply["text"]


async def test_knee_gets_knee_questions_and_the_back_gets_the_nice_items(telegram, clock):
    fake, _ = telegram
    await gym_monday(fake, clock)
    reply = await say(fake, "/pain knee moderate")
    assert "locks" in reply["text"] and "calf" in reply["text"] and "saddle" not in reply["text"].lower()
    await press(fake, reply, "None of these")
    reply = await say(fake, "/pain lower back mild")
    for item in ("had cancer", "under 20 or over 50", "immune system", "Injecting drugs", "steroid", "4-6 weeks"):
        assert item in reply["text"], item
