"""The Telegram adapter through the real python-telegram-bot client and a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
import base64
import json
import re

import aiohttp
import pytest
from pydantic import SecretStr

from bot.adapters.base import RateLimited, Unreachable
from bot.adapters.telegram_bot import TYPING_AFTER, TelegramAdapter
from core.commands import all_commands
from core.domain import Attachment, Button, Reply
from tests.fakes.telegram_server import FakeTelegram
from tests.support import ChatDriver

USER = FakeTelegram.DEFAULT_USER_ID


def adapter_for(fake: FakeTelegram, app, settings, **extra) -> TelegramAdapter:
    configured = settings.model_copy(
        update={"telegram_token": SecretStr(fake.token), "telegram_base_url": fake.base_url, **extra}
    )
    return TelegramAdapter.from_settings(configured, app.coach)


@pytest.fixture
async def telegram(app, settings):
    async with FakeTelegram() as fake:
        adapter = adapter_for(fake, app, settings)
        await adapter.start()
        try:
            yield fake, adapter
        finally:
            await adapter.stop()


async def say(fake: FakeTelegram, text: str, **kwargs) -> dict:
    start = len(fake.sent)
    fake.user_sends(text, **kwargs)
    return await fake.wait_for(lambda item: True, start=start)


async def press(fake: FakeTelegram, message: dict, label: str) -> dict:
    button = next(b for b in fake.inline_buttons(message) if b["text"].lower().startswith(label.lower()))
    start, answered = len(fake.sent), len(fake.answered_callbacks)
    fake.user_presses(message, button["callback_data"])
    reply = await fake.wait_for(lambda item: True, start=start)
    await fake.wait_for_answered_callbacks(answered + 1)
    return reply


def menu(fake: FakeTelegram, scope: str) -> list[str]:
    return [c["command"] for c in fake.commands_by_scope[(json.dumps({"type": scope}), "")]]


async def test_start_publishes_menus_per_scope_and_the_bots_descriptions(telegram):
    fake, _ = telegram
    declared = [spec.name for spec in all_commands()]
    assert menu(fake, "all_private_chats") == declared and menu(fake, "default") == declared
    # what a new person needs first, not the order modules happened to be imported (it began with /remind)
    assert declared[:5] == ["start", "today", "log", "week", "help"], declared
    in_groups = menu(fake, "all_group_chats")
    assert set(in_groups) == {spec.name for spec in all_commands() if spec.group}
    assert "help" in in_groups and "forget" not in in_groups and "tz" not in in_groups
    assert "glute" in fake.description.lower() and 0 < len(fake.short_description) <= 120
    assert fake.calls[0]["method"].lower() == "getme"


async def test_onboarding_by_buttons_then_today(telegram):
    fake, _ = telegram
    reply = await say(fake, "/start")
    assert "How long have you been lifting?" in reply["text"]
    assert reply["parse_mode"] == "HTML"
    for label in ("New to lifting", "A gym", "Full gym", "Mon, Thu", "Europe/Berlin", "kg", "18:00"):
        reply = await press(fake, reply, label)
    assert "All set" in reply["text"]
    assert len(fake.answered_callbacks) == 7
    today = await press(fake, reply, "Today's workout")
    # the test clock stands on Monday 23 Nov 2026, 10:00 in Berlin: a chosen training day
    assert "Main lifts" in today["text"] and "Rest day" not in today["text"]


async def test_unreadable_text_and_unknown_commands_get_helpful_answers(telegram):
    fake, _ = telegram
    reply = await say(fake, "qwerty asdf")
    assert "hip thrust 3x10" in reply["text"]
    reply = await say(fake, "/tody")
    assert "/today" in reply["text"]


async def test_user_text_is_escaped_in_html_replies(telegram):
    fake, _ = telegram
    reply = await say(fake, "/<b>oops</b>")
    assert "&lt;b&gt;oops" in reply["text"]
    assert fake.server_errors == []


async def test_a_429_is_honoured_and_the_reply_still_arrives(telegram):
    fake, _ = telegram
    fake.fail_next("sendMessage", error_code=429, retry_after=1)
    reply = await say(fake, "/help")
    assert "/today" in reply["text"]
    attempts = fake.calls_of("sendMessage")
    assert len(attempts) >= 2


async def test_long_replies_are_split_under_the_limit(telegram):
    fake, adapter = telegram
    long_text = "\n".join(f"line {i}: hip thrust 3x10 @ 60 kg & more <ok>" for i in range(400))
    await adapter.push(str(USER), [Reply(long_text, title="Long")])
    parts = fake.sent_to(USER)
    assert len(parts) >= 4
    assert all(len(p["text"]) <= 4096 for p in parts)
    assert "line 399" in parts[-1]["text"]


async def test_a_user_who_blocked_the_bot_is_unreachable_for_scheduled_sends(telegram):
    fake, adapter = telegram
    fake.block_user(USER)
    with pytest.raises(Unreachable):
        await adapter.push(str(USER), [Reply("Time to train!")])


async def test_a_persistent_429_on_a_scheduled_send_tells_the_scheduler_to_wait(telegram):
    fake, adapter = telegram
    fake.fail_next("sendMessage", error_code=429, retry_after=1, times=5)
    with pytest.raises(RateLimited) as err:
        await adapter.push(str(USER), [Reply("Time to train!")])
    assert err.value.retry_after == 1
    assert len(fake.calls_of("sendMessage")) == 3  # PTB's limiter retried twice, honouring retry_after


async def test_groups_get_commands_only_and_personal_replies_go_private(telegram):
    fake, _ = telegram
    group = -100123
    fake.user_sends("hello everyone", chat_id=group, chat_type="group")
    reply = await say(fake, "/help@gluteup_bot", chat_id=group, chat_type="group")
    assert reply["chat_id"] == group and "/today" in reply["text"]
    reply = await say(fake, "/settings@gluteup_bot", chat_id=group, chat_type="group")
    assert reply["chat_id"] == USER and "Time zone" in reply["text"]
    assert not [s for s in fake.sent_to(group) if "Time zone" in (s.get("text") or "")]
    assert not [s for s in fake.sent if "hello everyone" in (s.get("text") or "")]


async def test_in_a_group_without_a_private_chat_the_person_is_told_to_open_one(telegram):
    fake, _ = telegram
    group = -100456
    fake.block_user(USER)
    reply = await say(fake, "/settings", chat_id=group, chat_type="group")
    assert reply["chat_id"] == group
    assert "privately" in reply["text"] and "Time zone" not in reply["text"]


async def test_two_pollers_conflict_stops_the_adapter_with_a_clear_message(app, settings, caplog):
    async with FakeTelegram() as fake:
        adapter = adapter_for(fake, app, settings)
        fake.fail_next("getUpdates", error_code=409, times=50)
        await adapter.start()
        try:
            await asyncio.wait_for(adapter.fatal.wait(), timeout=10)
        finally:
            await adapter.stop()
    assert "409" in caplog.text and "one `gluteup run` per token" in caplog.text
    assert fake.token not in caplog.text


async def test_webhook_mode_accepts_only_the_secret_header(app, settings, unused_tcp_port):
    async with FakeTelegram() as fake:
        url = f"http://127.0.0.1:{unused_tcp_port}/telegram-hook"
        adapter = adapter_for(
            fake,
            app,
            settings,
            telegram_webhook_url=url,
            telegram_webhook_listen="127.0.0.1",
            telegram_webhook_port=unused_tcp_port,
            telegram_webhook_secret=SecretStr("s3cret-header"),
        )
        await adapter.start()
        try:
            assert fake.webhook["url"] == url
            update = {
                "update_id": 1,
                "message": {
                    "message_id": 10,
                    "date": 1_700_000_000,
                    "text": "/help",
                    "chat": {"id": USER, "type": "private", "first_name": "Ana"},
                    "from": {"id": USER, "is_bot": False, "first_name": "Ana"},
                    "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
                },
            }
            async with aiohttp.ClientSession() as http:
                bad = await http.post(
                    url,
                    data=json.dumps(update),
                    headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "wrong"},
                )
                assert bad.status == 403
                good = await http.post(
                    url,
                    data=json.dumps({**update, "update_id": 2}),
                    headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret-header"},
                )
                assert good.status == 200
            reply = await fake.wait_for(lambda item: item["chat_id"] == USER)
            assert "/today" in reply["text"]
            assert len(fake.sent) == 1
        finally:
            await adapter.stop()


async def test_a_set_log_an_edit_and_undo_in_a_private_chat(telegram, app):
    fake, _ = telegram
    start = len(fake.sent)
    message = fake.user_sends("hip thrust 3x10 @ 60kg")
    reply = await fake.wait_for(lambda item: True, start=start)
    assert "✓ Barbell hip thrust: 3 x 10 @ 60 kg" in reply["text"]
    start = len(fake.sent)
    fake.user_edits(message, "hip thrust 3x8 @ 70kg")
    reply = await fake.wait_for(lambda item: True, start=start)
    assert "Updated" in reply["text"] and "3 x 8 @ 70 kg" in reply["text"]
    reply = await say(fake, "/undo")
    assert "Removed: Barbell hip thrust 3 x 8 @ 70 kg" in reply["text"]
    reply = await say(fake, "/history")
    assert "No logs" in reply["text"]


async def test_one_persons_quick_messages_are_handled_in_order(telegram):
    fake, _ = telegram
    start = len(fake.sent)
    fake.user_sends("hip thrust 3x10 @ 60kg")
    fake.user_sends("/undo")
    fake.user_sends("/history")
    await fake.wait_for_sent(USER, count=3)
    texts = [item["text"] for item in fake.sent[start:]]
    assert "Logged" in texts[0] and "Removed" in texts[1] and "No logs" in texts[2]


async def test_week_summary_through_telegram(telegram):
    fake, _ = telegram
    await say(fake, "hip thrust 3x10 @ 60kg")
    reply = await say(fake, "/week")
    assert "<b>Your week:" in reply["text"] and "Hard glute sets: 3" in reply["text"]
    assert "Barbell hip thrust: 60 kg x 10" in reply["text"]


async def test_a_button_press_edits_the_message_it_belongs_to(telegram):
    fake, _ = telegram
    question = await say(fake, "/start")
    sends_before = len(fake.calls_of("sendMessage"))
    answer = await press(fake, question, "New to lifting")
    assert answer["method"] == "editMessageText" and answer["message_id"] == question["message_id"]
    assert "✓ Experience: new to lifting" in answer["text"] and "Where do you train?" in answer["text"]
    assert [b["text"] for b in fake.inline_buttons(answer)] == ["A gym", "Home, with bands and bodyweight"]
    assert len(fake.calls_of("sendMessage")) == sends_before  # no new message per press
    with pytest.raises(ValueError):  # the old keyboard is gone: its buttons cannot be pressed again
        fake.user_presses(question, "/start experience novice")


async def test_a_double_tap_is_answered_once(telegram):
    fake, _ = telegram
    question = await say(fake, "/start")
    data = fake.inline_buttons(question)[0]["callback_data"]
    fake.user_presses(question, data)
    fake.user_presses(question, data)
    await fake.wait_for_answered_callbacks(2)
    await fake.wait_for(lambda item: item["method"] == "editMessageText")  # paced: 1 per second in a chat
    await asyncio.sleep(0.3)
    edits = [item for item in fake.sent if item["method"] == "editMessageText"]
    assert len(edits) == 1
    assert [c["text"] for c in fake.answered_callbacks] == [None, "Already chosen - one moment."]


async def test_a_stale_button_after_a_restart_only_explains_itself(app, settings):
    long_command = "/log custom Bulgarian split squat with a pause 3x8 @ 20kg rpe 8.5"
    async with FakeTelegram() as fake:
        first = adapter_for(fake, app, settings)
        await first.start()
        await first.push(str(USER), [Reply("Log this?").with_buttons([[Button("Log it", long_command)]])])
        await first.stop()
        [offer] = fake.sent_to(USER)
        [button] = fake.inline_buttons(offer)
        assert button["callback_data"] != long_command  # over 64 bytes: a short key stands for it
        second = adapter_for(fake, app, settings)  # a restart: the short keys in memory are gone
        await second.start()
        try:
            fake.user_presses(offer, button["callback_data"])
            [answered] = await fake.wait_for_answered_callbacks(1)
            assert "expired" in answered["text"] and answered["show_alert"]
            cleared = await fake.wait_for(lambda item: item["method"].startswith("edit"))
            assert cleared["message_id"] == offer["message_id"] and not fake.inline_buttons(cleared)
            assert len(fake.calls_of("sendMessage")) == 1  # nothing new was posted or logged
        finally:
            await second.stop()
    history = await ChatDriver(app.coach, platform="telegram", user_id=str(USER)).send("/history")
    assert "No logs" in history[0].text


async def test_commands_addressed_to_another_bot_are_ignored(telegram):
    fake, _ = telegram
    group = -100789
    fake.user_sends("/today@other_bot", chat_id=group, chat_type="group")
    fake.user_sends("/help@other_bot")
    reply = await say(fake, "/help@gluteup_bot", chat_id=group, chat_type="group")
    assert "/today" in reply["text"]
    assert len(fake.calls_of("sendMessage")) == 1


async def test_a_mention_in_a_group_is_read_like_a_private_message(telegram):
    fake, _ = telegram
    group = -100790
    reply = await say(fake, "@gluteup_bot hip thrust 3x10 @ 60kg", chat_id=group, chat_type="group")
    assert reply["chat_id"] == USER  # the log is personal: it is confirmed privately
    assert "✓ Barbell hip thrust: 3 x 10 @ 60 kg" in reply["text"]
    assert fake.sent_to(group) == []


async def test_the_group_hint_opens_the_private_chat_and_answers_what_was_asked(telegram):
    fake, _ = telegram
    group = -100791
    fake.block_user(USER)
    hint = await say(fake, "/settings@gluteup_bot", chat_id=group, chat_type="group")
    assert hint["chat_id"] == group and "Time zone" not in hint["text"]
    [button] = fake.inline_buttons(hint)
    assert button["url"].startswith("https://t.me/gluteup_bot?start=")
    payload = button["url"].split("start=", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload)
    fake.unblock_user(USER)
    reply = await say(fake, f"/start {payload}")  # what Telegram sends when the person presses Start
    assert reply["chat_id"] == USER and "Time zone" in reply["text"]


async def test_a_forged_start_link_runs_nothing(telegram):
    """Anyone can write a t.me link; only the bot's own signed payloads stand for a command."""
    fake, _ = telegram
    await say(fake, "hip thrust 3x10 @ 60kg")
    forged = "do-" + base64.urlsafe_b64encode(b"/undo").decode().rstrip("=") + "A" * 11
    reply = await say(fake, f"/start {forged}")
    assert "How long have you been lifting?" in reply["text"]  # an ordinary /start
    history = await say(fake, "/history")
    assert "Barbell hip thrust" in history["text"]


async def test_a_quick_reply_comes_without_a_typing_action(telegram):
    """Telegram recommends chat actions only for answers that take noticeable time; a reply
    in milliseconds with 'typing...' first would be one request per update for nothing."""
    fake, _ = telegram
    await say(fake, "/help")
    await asyncio.sleep(TYPING_AFTER + 0.3)
    assert [a for a in fake.chat_actions if a["chat_id"] == USER] == []


async def test_typing_is_shown_while_a_slow_reply_is_prepared_and_upload_photo_for_charts(telegram):
    fake, adapter = telegram
    adapter.typing_after = 0.0  # as if preparing the reply took longer than TYPING_AFTER
    reply = await say(fake, "/help")
    typing = [a for a in fake.chat_actions if a["chat_id"] == USER and a["action"] == "typing"]
    assert typing and typing[0]["time"] <= reply["time"]
    adapter.typing_after = TYPING_AFTER
    for load in (60, 65):
        await say(fake, f"hip thrust 3x10 @ {load}kg")
    # A slow upload: the action shows while it lasts. Waiting for its turn in the chat (1/s, the
    # last reply has just taken it) counts as sending; the answer comes 4 s after the photo arrives.
    slow = TYPING_AFTER + 3.5
    fake.answer_slowly("sendPhoto", slow)
    asked = time.monotonic()
    photo = await say(fake, "/progress hip thrust")
    assert photo["method"] == "sendPhoto"
    await fake.wait_until(
        lambda: any(a["action"] == "upload_photo" for a in fake.chat_actions),
        slow + 1,
        lambda: f"no upload action; actions: {fake.chat_actions}",
    )
    upload = next(a for a in fake.chat_actions if a["action"] == "upload_photo")
    assert asked + TYPING_AFTER <= upload["time"] < photo["time"] + slow


async def test_a_press_answered_with_a_file_marks_the_choice_and_sends_the_file(telegram):
    fake, adapter = telegram
    await say(fake, "hip thrust 3x10 @ 60kg")
    await adapter.push(str(USER), [Reply("Want your logs?").with_buttons([[Button("Export my logs", "/export")]])])
    offer = fake.sent_to(USER)[-1]
    start = len(fake.sent)
    fake.user_presses(offer, "/export")
    document = await fake.wait_for(lambda item: item["method"] == "sendDocument", start=start)
    marked = await fake.wait_for(lambda item: item["method"] == "editMessageText", start=start)
    assert marked["message_id"] == offer["message_id"] and not fake.inline_buttons(marked)
    assert marked["text"] == "Want your logs?\n\n✓ Export my logs"
    assert document["filename"].endswith(".csv")


async def test_a_button_under_a_photo_loses_its_keyboard_when_pressed(telegram):
    fake, adapter = telegram
    chart = Attachment("chart.png", b"\x89PNG\r\n\x1a\n" + bytes(16), "image/png")
    await adapter.push(
        str(USER), [Reply("Your chart", attachment=chart).with_buttons([[Button("History", "/history")]])]
    )
    photo = fake.sent_to(USER)[-1]
    assert photo["method"] == "sendPhoto" and fake.inline_buttons(photo)
    start = len(fake.sent)
    fake.user_presses(photo, "/history")
    answer = await fake.wait_for(lambda item: item["method"] == "sendMessage", start=start)
    assert "No logs" in answer["text"]
    cleared = await fake.wait_for(lambda item: item["method"] == "editMessageReplyMarkup", start=start)
    assert cleared["message_id"] == photo["message_id"] and not fake.inline_buttons(cleared)


async def test_an_older_onboarding_question_loses_its_buttons(telegram):
    """Two /start messages: only the newest question can be answered, so an old button
    cannot walk the person back into onboarding."""
    fake, _ = telegram
    old = await say(fake, "/start")
    start = len(fake.sent)
    new = await say(fake, "/start")
    cleared = await fake.wait_for(lambda item: item["method"] == "editMessageReplyMarkup", start=start)
    assert cleared["message_id"] == old["message_id"] and not fake.inline_buttons(cleared)
    with pytest.raises(ValueError):
        fake.user_presses(old, "/start experience novice")
    answer = await press(fake, new, "New to lifting")
    assert "Where do you train?" in answer["text"]
