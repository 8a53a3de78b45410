"""The fake Telegram server is only worth trusting if the real python-telegram-bot client can
run against it unchanged, so these tests drive it with a real PTB Application and Bot."""

from __future__ import annotations

import asyncio
import warnings
from collections import Counter
from contextlib import asynccontextmanager

import pytest
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, EndPointNotFound, Forbidden, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakes.telegram_server import FakeTelegram, RateLimit

# PTB itself reads RetryAfter.retry_after and warns about its future type; not our concern.
pytestmark = [pytest.mark.asyncio, pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")]

USER = FakeTelegram.DEFAULT_USER_ID


def retry_seconds(error: RetryAfter) -> float:
    """PTB 22 gives an int or a timedelta depending on PTB_TIMEDELTA; the wait is what counts."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


def build_app(fake: FakeTelegram) -> Application:
    return ApplicationBuilder().token(fake.token).base_url(fake.base_url).base_file_url(fake.base_file_url).build()


async def bot_for(fake: FakeTelegram):
    """A bare PTB Bot aimed at the fake, for calling the API directly."""
    app = build_app(fake)
    await app.bot.initialize()
    return app.bot


class EchoBot:
    """A tiny bot: /start greets with a keyboard, text is echoed, presses are answered."""

    def __init__(self) -> None:
        self.seen_update_ids: list[int] = []
        self.pressed: list[str] = []

    async def remember(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.seen_update_ids.append(update.update_id)

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Today", callback_data="/today")]])
        await update.message.reply_text("Welcome to Glute Up!", reply_markup=keyboard)

    async def echo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(f"You said: {update.message.text}")

    async def press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.pressed.append(update.callback_query.data)
        await update.callback_query.answer("Got it")
        await update.callback_query.message.reply_text(f"Pressed {update.callback_query.data}")

    def install(self, app: Application) -> None:
        app.add_handler(MessageHandler(filters.ALL, self.remember), group=-1)
        app.add_handler(CallbackQueryHandler(self.remember), group=-1)
        app.add_handler(CommandHandler("start", self.start))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self.echo))
        app.add_handler(CallbackQueryHandler(self.press))


@asynccontextmanager
async def running_echo_bot():
    async with FakeTelegram() as fake:
        app = build_app(fake)
        echo = EchoBot()
        echo.install(app)
        await app.initialize()
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield fake, app, echo
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()


@pytest.mark.asyncio
async def test_polling_bot_answers_start_and_text_and_each_update_arrives_once():
    async with running_echo_bot() as (fake, app, echo):
        fake.user_sends("/start")
        [welcome] = await fake.wait_for_sent(USER, 1)
        fake.user_sends("squats are fun")
        [_, echoed] = await fake.wait_for_sent(USER, 2)
        await fake.wait_until_confirmed()

    assert welcome["method"] == "sendMessage"
    assert welcome["text"] == "Welcome to Glute Up!"
    assert FakeTelegram.inline_buttons(welcome) == [{"text": "Today", "callback_data": "/today"}]
    assert echoed["text"] == "You said: squats are fun"
    assert echoed["message_id"] > welcome["message_id"]
    assert len(echo.seen_update_ids) == 2
    assert set(Counter(echo.seen_update_ids).values()) == {1}
    assert set(fake.delivery_counts.values()) == {1}
    assert fake.pending_updates == []
    assert fake.unknown_calls == []
    assert fake.tokens_used == [fake.token]
    assert fake.calls_of("deleteWebhook"), "PTB clears the webhook before polling"


@pytest.mark.asyncio
async def test_inline_button_press_arrives_as_callback_query_that_the_bot_answers():
    async with running_echo_bot() as (fake, app, echo):
        fake.user_sends("/start")
        [welcome] = await fake.wait_for_sent(USER, 1)
        query = fake.user_presses(welcome, "/today")
        [answer] = await fake.wait_for_answered_callbacks(1)
        [_, after_press] = await fake.wait_for_sent(USER, 2)

    assert echo.pressed == ["/today"]
    assert answer["callback_query_id"] == query["id"]
    assert answer["text"] == "Got it"
    assert after_press["text"] == "Pressed /today"
    with pytest.raises(ValueError):
        fake.user_presses(welcome, "/not-on-the-keyboard")


@pytest.mark.asyncio
async def test_offsets_confirm_updates_and_long_poll_returns_when_an_update_arrives():
    async with FakeTelegram() as fake:
        bot = await bot_for(fake)
        try:
            first = fake.user_sends("one")
            fake.user_sends("two")
            unconfirmed = await bot.get_updates(timeout=0)
            again = await bot.get_updates(timeout=0)
            only_one = await bot.get_updates(offset=unconfirmed[0].update_id, limit=1, timeout=0)
            after_both = await bot.get_updates(offset=unconfirmed[-1].update_id + 1, timeout=0)

            waiting = asyncio.create_task(
                bot.get_updates(offset=unconfirmed[-1].update_id + 1, timeout=20, read_timeout=30)
            )
            await fake.wait_for_call("getUpdates", count=5)
            fake.user_sends("three")
            arrived = await asyncio.wait_for(waiting, timeout=8)
        finally:
            await bot.shutdown()

    assert [u.message.text for u in unconfirmed] == ["one", "two"]
    assert [u.update_id for u in again] == [u.update_id for u in unconfirmed], "unconfirmed updates are delivered again"
    assert [u.message.text for u in only_one] == ["one"]
    assert after_both == ()
    assert [u.message.text for u in arrived] == ["three"]
    assert unconfirmed[0].message.message_id == first["message_id"]


@pytest.mark.asyncio
async def test_edited_message_and_commands_with_bot_name_parse_in_ptb():
    async with FakeTelegram() as fake:
        bot = await bot_for(fake)
        try:
            original = fake.user_sends("/today@gluteup_bot now", chat_type="group", user_id=7)
            fake.user_edits(original, "/week")
            updates = await bot.get_updates(timeout=0)
        finally:
            await bot.shutdown()

    command, edit = updates
    assert command.message.chat.type == "group"
    assert command.message.parse_entities() == {command.message.entities[0]: "/today@gluteup_bot"}
    assert edit.edited_message.message_id == command.message.message_id
    assert edit.edited_message.text == "/week"
    assert bot.username == "gluteup_bot"


@pytest.mark.asyncio
async def test_send_document_multipart_arrives_with_the_right_bytes():
    payload = bytes(range(256)) * 40
    async with FakeTelegram() as fake:
        bot = await bot_for(fake)
        try:
            fake.user_sends("/export")
            message = await bot.send_document(USER, document=payload, filename="history.csv", caption="Your history")
            photo = await bot.send_photo(USER, photo=b"\x89PNG\r\n\x1a\n" + bytes(16), caption="Chart")
            downloaded = await (await bot.get_file(message.document.file_id)).download_as_bytearray()
        finally:
            await bot.shutdown()

    document, picture = fake.sent_to(USER)
    assert document["method"] == "sendDocument"
    assert document["filename"] == "history.csv"
    assert document["file_bytes"] == payload
    assert document["caption"] == "Your history"
    assert message.document.file_name == "history.csv"
    assert message.caption == "Your history"
    assert bytes(downloaded) == payload
    assert picture["method"] == "sendPhoto" and picture["caption"] == "Chart"
    assert photo.photo[0].file_id


@pytest.mark.asyncio
async def test_injected_429_and_403_surface_as_ptb_exceptions():
    async with FakeTelegram() as fake:
        bot = await bot_for(fake)
        try:
            fake.fail_next("sendMessage", error_code=429, retry_after=7)
            with pytest.raises(RetryAfter) as too_many:
                await bot.send_message(USER, "hello")
            delivered = await bot.send_message(USER, "hello again")

            fake.block_user(USER)
            with pytest.raises(Forbidden) as blocked:
                await bot.send_message(USER, "are you there?")
            fake.unblock_user(USER)
            await bot.send_message(USER, "welcome back")

            fake.fail_next("sendMessage", error_code=403, chat_id=42)
            await bot.send_message(USER, "other chats are unaffected")
            with pytest.raises(Forbidden):
                await bot.send_message(42, "blocked chat")

            fake.fail_next("getUpdates", error_code=409)
            with pytest.raises(Conflict):
                await bot.get_updates(timeout=0)
        finally:
            await bot.shutdown()

    assert retry_seconds(too_many.value) == 7
    assert "blocked by the user" in blocked.value.message
    assert delivered.text == "hello again"
    assert [item["text"] for item in fake.sent_to(USER)] == [
        "hello again",
        "welcome back",
        "other chats are unaffected",
    ]
    assert [call["status"] for call in fake.calls_of("sendMessage")] == [429, 200, 403, 200, 200, 403]


@pytest.mark.asyncio
async def test_set_my_commands_is_recorded_and_read_back():
    async with FakeTelegram() as fake:
        bot = await bot_for(fake)
        try:
            await bot.set_my_commands([BotCommand("today", "Today's session"), BotCommand("week", "This week")])
            read_back = await bot.get_my_commands()
            with pytest.raises(BadRequest):
                await bot.set_my_commands([BotCommand("Bad-Name", "not allowed by Telegram")])
        finally:
            await bot.shutdown()

    assert fake.commands == [
        {"command": "today", "description": "Today's session"},
        {"command": "week", "description": "This week"},
    ]
    assert [c.command for c in read_back] == ["today", "week"]


@pytest.mark.asyncio
async def test_the_fake_refuses_what_telegram_refuses():
    async with FakeTelegram() as fake:
        bot = await bot_for(fake)
        try:
            with pytest.raises(BadRequest, match="too long"):
                await bot.send_message(USER, "x" * 4097)
            with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
                await bot.send_message(
                    USER,
                    "pick",
                    reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a" * 65)]]),
                )
            with pytest.raises(BadRequest, match="parse entities"):
                await bot.send_message(USER, "<b>unclosed", parse_mode="HTML")
            with pytest.raises(BadRequest, match="reserved"):
                await bot.send_message(USER, "Done. Rest 90 s!", parse_mode="MarkdownV2")
            sent = await bot.send_message(USER, "<b>Hip thrust</b> 3 x 8", parse_mode="HTML")
            edited = await bot.edit_message_text(
                "<b>Hip thrust</b> 3 x 10", chat_id=USER, message_id=sent.message_id, parse_mode="HTML"
            )
            with pytest.raises(BadRequest, match="not modified"):
                await bot.edit_message_text(
                    "<b>Hip thrust</b> 3 x 10", chat_id=USER, message_id=sent.message_id, parse_mode="HTML"
                )
            await bot.send_chat_action(USER, "typing")
            assert await bot.delete_message(USER, sent.message_id)
            with pytest.raises(BadRequest):
                await bot.answer_callback_query("no-such-query")
            with pytest.raises(BadRequest, match="(?i)message to edit not found"):
                await bot.edit_message_text("gone", chat_id=USER, message_id=sent.message_id)
            with pytest.raises(BadRequest, match="(?i)button_url_invalid"):
                await bot.send_message(
                    USER,
                    "open",
                    reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Open", url="t.me/gluteup_bot")]]),
                )
            with pytest.raises(BadRequest, match="(?i)description_invalid"):
                await bot.set_my_short_description("x" * 121)
            assert await bot.set_my_description("A glute coach")
            assert (await bot.get_my_description()).description == "A glute coach"
            with pytest.raises(EndPointNotFound):
                await bot.do_api_request("sendGluteScore", api_kwargs={"chat_id": USER})
        finally:
            await bot.shutdown()

    assert edited.text == "<b>Hip thrust</b> 3 x 10"
    assert [item["method"] for item in fake.sent] == ["sendMessage", "editMessageText"]
    assert fake.deleted == [(USER, sent.message_id)]
    assert fake.chat_actions[0]["action"] == "typing"
    assert [call["method"] for call in fake.unknown_calls] == ["sendGluteScore"]


@pytest.mark.asyncio
async def test_rate_counters_report_the_429s_telegram_would_have_sent():
    async with FakeTelegram(rate_limit_per_chat=RateLimit(1, 1.0)) as fake:
        bot = await bot_for(fake)
        try:
            for number in range(3):
                await bot.send_message(USER, f"burst {number}")
        finally:
            await bot.shutdown()
    assert len(fake.sent_to(USER)) == 3
    assert fake.would_be_429s == 2
    assert fake.max_sends_in_window(USER, 1.0) == 3

    async with FakeTelegram(rate_limit_per_chat=RateLimit(1, 1.0), enforce_rate_limits=True) as fake:
        bot = await bot_for(fake)
        try:
            await bot.send_message(USER, "first")
            with pytest.raises(RetryAfter):
                await bot.send_message(USER, "second too soon")
        finally:
            await bot.shutdown()
    assert [item["text"] for item in fake.sent_to(USER)] == ["first"]


@pytest.mark.asyncio
async def test_a_second_poller_ends_the_first_with_conflict():
    async with FakeTelegram() as fake:
        first, second = await bot_for(fake), await bot_for(fake)
        try:
            older = asyncio.create_task(first.get_updates(timeout=20, read_timeout=30))
            await fake.wait_for_call("getUpdates")
            newer = asyncio.create_task(second.get_updates(timeout=20, read_timeout=30))
            with pytest.raises(Conflict):
                await asyncio.wait_for(older, timeout=8)
            fake.user_sends("hi")
            updates = await asyncio.wait_for(newer, timeout=8)
        finally:
            await first.shutdown()
            await second.shutdown()
    assert [u.message.text for u in updates] == ["hi"]


@pytest.mark.asyncio
async def test_shutdown_releases_a_waiting_long_poll_quickly():
    fake = FakeTelegram()
    await fake.start()
    bot = await bot_for(fake)
    try:
        waiting = asyncio.create_task(bot.get_updates(timeout=30, read_timeout=40))
        await fake.wait_for_call("getUpdates")
        await asyncio.wait_for(fake.stop(), timeout=5)
        assert await asyncio.wait_for(waiting, timeout=5) == ()
    finally:
        await bot.shutdown()
