"""Set-log notations reach the coach the same way from Telegram, Discord and the console."""

from tests.e2e.test_console import run_chat
from tests.e2e.test_discord_journey import discord_bot, pressed, text_of  # noqa: F401 - fixture
from tests.e2e.test_telegram_journey import USER, press, say, telegram  # noqa: F401 - fixture
from tests.fakes.discord_server import FakeDiscord


async def test_telegram_a_mention_in_a_group_logs_like_log_and_answers_privately(telegram):
    fake, _ = telegram
    group = -100777
    reply = await say(fake, "@gluteup_bot hip thrust 3x10 @ 60kg", chat_id=group, chat_type="group")
    assert reply["chat_id"] == USER and "✓ Barbell hip thrust: 3 x 10 @ 60 kg" in reply["text"]
    reply = await say(fake, "/history")
    assert "Barbell hip thrust 3 x 10 @ 60 kg" in reply["text"]


async def test_telegram_a_photo_with_a_log_as_its_caption_is_logged(telegram):
    """People send a photo of the lift with the sets as its caption: it was answered "I read text
    messages" and the sets were not stored."""
    fake, _ = telegram
    reply = await say(fake, "hip thrust 3x10 @ 60kg", photo=True)
    assert "✓ Barbell hip thrust: 3 x 10 @ 60 kg" in reply["text"], reply
    reply = await say(fake, "", photo=True)
    assert "I read text messages" in reply["text"], reply


async def test_telegram_notations_and_a_button_pressed_twice(telegram):
    fake, _ = telegram
    reply = await say(fake, "Hip Thrust (Barbell)\nSet 1: 60 kg × 10\nSet 2: 70 kg × 8 @ 8 rpe")
    assert "✓ Barbell hip thrust: 60 kg x 10, 70 kg x 8" in reply["text"] and "RPE 8" in reply["text"]
    reply = await say(fake, "80x6")
    assert "added to Barbell hip thrust" in reply["text"]
    question = await say(fake, "rdl 3x10x5")
    data = next(b["callback_data"] for b in fake.inline_buttons(question) if b["text"].startswith("3 x 10 @ 5 kg"))
    start = len(fake.sent)
    fake.user_presses(question, data)  # a double tap: both presses arrive before the answer edits the message
    fake.user_presses(question, data)
    await fake.wait_for_answered_callbacks(2)
    first = await fake.wait_for(lambda item: "✓ Romanian" in (item.get("text") or ""), start=start)
    assert "✓ Romanian deadlift: 3 x 10 @ 5 kg" in first["text"]
    reply = await say(fake, "/history romanian deadlift")
    assert reply["text"].count("Romanian deadlift") == 1


async def test_discord_dm_notations_and_a_button_pressed_twice(discord_bot):
    fake, _ = discord_bot
    user = FakeDiscord.DEFAULT_USER_ID
    before = len(fake.messages)
    await fake.user_sends_dm(user, "squat 185x10 185x10 185x8 felt easy")
    [reply] = await fake.wait_for_messages(1, after=before, kind="channel_message")
    assert "✓ Back squat: 185 kg x 10, 10, 8" in reply.content and "note: felt easy" in reply.content
    before = len(fake.messages)
    await fake.user_sends_dm(user, "bss 15x8")
    [question] = await fake.wait_for_messages(1, after=before, kind="channel_message")
    first = await pressed(fake, question, "15 x 8")
    assert "✓ Bulgarian split squat: 15 x 8" in text_of(first)
    assert not first.buttons()  # the answer replaces the question: its buttons cannot be pressed again
    before = len(fake.messages)
    await fake.user_sends_dm(user, "/history")
    [history] = await fake.wait_for_messages(1, after=before, kind="channel_message")
    assert text_of(history).count("Bulgarian split squat") == 1


async def test_discord_a_dm_with_only_a_picture_is_told_what_the_bot_reads(discord_bot):
    """An image with no text got "I didn't catch that" and the whole list of what the bot can do."""
    fake, _ = discord_bot
    before = len(fake.messages)
    await fake.user_sends_dm(FakeDiscord.DEFAULT_USER_ID, "", attachments=[("lift.jpg", b"\xff\xd8 not really a jpeg")])
    [reply] = await fake.wait_for_messages(1, after=before, kind="channel_message")
    assert "I read text messages" in reply.content, reply.content
    before = len(fake.messages)
    await fake.user_sends_dm(FakeDiscord.DEFAULT_USER_ID, "hip thrust 3x10 @ 60kg", attachments=[("lift.jpg", b"x")])
    [reply] = await fake.wait_for_messages(1, after=before, kind="channel_message")
    assert "✓ Barbell hip thrust: 3 x 10 @ 60 kg" in reply.content, reply.content


def test_console_reads_notations_and_leaves_questions_alone(tmp_path):
    result = run_chat(tmp_path, "hip thrust 135# 3x10\n150x8\nis 3x10 enough for hip thrusts?\n/history\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "✓ Barbell hip thrust: 3 x 10 @ 135 lb" in out
    assert "✓ Barbell hip thrust: 1 x 8 @ 150 lb" in out and "added to Barbell hip thrust" in out
    assert "Already logged" not in out and out.count("✓") == 2
