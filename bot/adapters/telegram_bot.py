"""Telegram adapter on python-telegram-bot: updates in, core replies out.

It runs inside the shared asyncio loop (initialize/start/start_polling and the
matching stops, never run_polling), so the scheduler and Discord run beside it.
Private chats: any text is for the coach. Groups: only commands and mentions,
and replies holding personal data go to the person's private chat instead.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlparse

from aiolimiter import AsyncLimiter
from telegram import BotCommand, InputFile, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.adapters.base import RateLimited, Unreachable
from bot.adapters.telegram_polling import ConfirmingPoller
from bot.adapters.telegram_render import CallbackBook, Chunk, render
from bot.settings import Settings
from core.coach import Coach
from core.commands import all_commands
from core.domain import Incoming, Reply

log = logging.getLogger(__name__)

PLATFORM = "telegram"
SEND_ATTEMPTS = 4
CONCURRENT_UPDATES = 4  # chats handled side by side (measured best in bench/telegram_mix.py); one chat's stay in order
NON_TEXT_ANSWER = "I read text messages. Log a set like: hip thrust 3x10 @ 60kg, or send /help."
OPEN_PRIVATE_CHAT = "I answer that privately. Open a chat with me (@{username}), press Start, and ask again there."
EXPIRED_BUTTON = "That button has expired. Send /today or /help to carry on."


class TelegramStartError(SystemExit):
    """Start-up failed in a way only the operator can fix; the message says how."""


class TelegramAdapter:
    platform = PLATFORM

    def __init__(self, application: Application, coach: Coach, store, *, webhook: dict | None = None) -> None:
        self.application = application
        self.coach = coach
        self.store = store
        self.webhook = webhook
        self.callbacks = CallbackBook()
        self.fatal = asyncio.Event()
        self.poller = ConfirmingPoller(application, on_error=self._on_polling_error, on_fatal=self._give_up)
        self._chat_pacers: dict[str, AsyncLimiter] = {}
        self._chat_locks: dict[str, asyncio.Lock] = {}
        application.add_handler(CallbackQueryHandler(self._on_button))
        application.add_handler(MessageHandler(filters.TEXT | filters.COMMAND, self._on_text))
        application.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL, self._on_other))
        application.add_error_handler(self._on_error)

    @classmethod
    def from_settings(cls, settings: Settings, coach: Coach, store) -> "TelegramAdapter":
        builder = ApplicationBuilder().token(settings.telegram_token.get_secret_value())
        builder = builder.rate_limiter(AIORateLimiter(max_retries=2)).concurrent_updates(CONCURRENT_UPDATES)
        if settings.telegram_base_url:
            builder = builder.base_url(settings.telegram_base_url)
            builder = builder.base_file_url(settings.telegram_base_url.replace("/bot", "/file/bot", 1))
        webhook = None
        if settings.telegram_webhook_url:
            webhook = {
                "listen": settings.telegram_webhook_listen,
                "port": settings.telegram_webhook_port,
                "url_path": urlparse(settings.telegram_webhook_url).path.lstrip("/"),
                "webhook_url": settings.telegram_webhook_url,
                "secret_token": settings.telegram_webhook_secret.get_secret_value()
                if settings.telegram_webhook_secret else None,
            }
        return cls(builder.build(), coach, store, webhook=webhook)

    # ---- lifecycle -------------------------------------------------------

    async def start(self) -> None:
        try:
            await self.application.initialize()  # getMe: nothing else happens unless it works
        except InvalidToken:
            raise TelegramStartError("Telegram refused the token (getMe failed): check TELEGRAM_TOKEN.") from None
        except TelegramError as exc:  # unreachable, timed out, not a Bot API: the operator's to fix
            raise TelegramStartError(f"Glute Up cannot start: Telegram did not answer getMe ({type(exc).__name__}: "
                                     f"{exc}). Check the network, and TELEGRAM_BASE_URL if set.") from None
        me = self.application.bot
        await me.set_my_commands([BotCommand(spec.name, spec.summary) for spec in all_commands()])
        await self.application.start()
        if self.webhook:
            await self.application.updater.start_webhook(**self.webhook)
            log.info("telegram: @%s receiving updates by webhook", me.username)
        else:
            await self.poller.start()  # not the Updater: it confirms updates before they are handled
            log.info("telegram: @%s polling for updates", me.username)

    async def stop(self) -> None:
        await self.poller.stop()
        if self.application.updater and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    def _on_polling_error(self, error: TelegramError) -> None:
        if isinstance(error, Conflict):
            log.critical("telegram: another process is polling with this bot token (409 Conflict). "
                         "Run one `gluteup run` per token, or use webhook mode for several workers. Stopping.")
            self.fatal.set()
        else:
            log.warning("telegram: polling error, retrying: %s", error)

    def _give_up(self, reason: str) -> None:
        log.critical("telegram: %s Stopping.", reason)
        self.fatal.set()

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram: error while handling an update", exc_info=context.error)

    # ---- incoming --------------------------------------------------------

    async def _on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user, chat = update.effective_message, update.effective_user, update.effective_chat
        if message is None or user is None or chat is None or user.is_bot:
            return
        text = message.text or ""
        private = chat.type == ChatType.PRIVATE
        if not private:
            text = self._group_text(text)
            if text is None:
                return  # group chatter that is not for us
        incoming = Incoming(PLATFORM, str(user.id), str(chat.id), text, user.full_name,
                            message_key=f"tg:{chat.id}:{message.message_id}",
                            edited=update.edited_message is not None, is_private=private)
        await self._handle_in_order(incoming)

    async def _handle_in_order(self, incoming: Incoming) -> None:
        """Updates run concurrently, but one person's messages are handled in the order sent
        (a set log, then /undo). The lock is taken before any other await, so tasks queue
        on it in update order."""
        lock = self._chat_locks.setdefault(incoming.user_id, asyncio.Lock())
        async with lock:
            await self._answer(incoming, await self.coach.handle(incoming))
        if not lock.locked() and len(self._chat_locks) > 10_000:
            self._chat_locks.pop(incoming.user_id, None)

    def _group_text(self, text: str) -> str | None:
        """Commands and @mentions only; the mention itself is removed."""
        mention = f"@{self.application.bot.username}"
        if text.startswith("/"):
            return text
        if mention.lower() in text.lower():
            start = text.lower().index(mention.lower())
            return (text[:start] + text[start + len(mention):]).strip()
        return None

    async def _on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None and not (update.effective_message.text):
            await self._send_chunks(update.effective_chat.id, [Chunk(NON_TEXT_ANSWER)])

    async def _on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer()  # always, so the button stops spinning
        command = self.callbacks.command_for(query.data or "")
        chat = query.message.chat if query.message else None
        chat_id = str(chat.id if chat else query.from_user.id)
        private = chat is None or chat.type == ChatType.PRIVATE
        if command is None:
            await self._send_chunks(chat_id, [Chunk(EXPIRED_BUTTON)])
            return
        incoming = Incoming(PLATFORM, str(query.from_user.id), chat_id, command, query.from_user.full_name,
                            message_key=f"tgcb:{query.id}", is_private=private)
        await self._handle_in_order(incoming)

    # ---- outgoing --------------------------------------------------------

    async def _answer(self, incoming: Incoming, replies: list[Reply]) -> None:
        for reply in replies:
            if incoming.is_private or not reply.private:
                await self._send_reply(incoming.chat_id, reply)
                continue
            try:  # personal data never goes to the group: send it privately
                await self._send_reply(incoming.user_id, reply)
            except Forbidden:
                username = self.application.bot.username
                await self._send_chunks(incoming.chat_id, [Chunk(OPEN_PRIVATE_CHAT.format(username=username))])

    async def _send_reply(self, chat_id: str, reply: Reply) -> None:
        chunks = render(reply, self.callbacks)
        if reply.attachment is not None:
            await self._send_attachment(chat_id, reply, chunks)
        else:
            await self._send_chunks(chat_id, chunks)

    async def _send_attachment(self, chat_id: str, reply: Reply, chunks: list[Chunk]) -> None:
        file = InputFile(reply.attachment.data, filename=reply.attachment.filename)
        caption, rest = (chunks[0], chunks[1:]) if len(chunks[0].html) <= 1024 and len(chunks) == 1 else (None, chunks)
        send = self.application.bot.send_photo if reply.attachment.is_image else self.application.bot.send_document
        kwargs = {"photo" if reply.attachment.is_image else "document": file}
        if caption is not None:
            kwargs.update(caption=caption.html, parse_mode=ParseMode.HTML, reply_markup=caption.markup)
        await self._retrying(send, chat_id=chat_id, **kwargs)
        await self._send_chunks(chat_id, rest)

    async def _send_chunks(self, chat_id, chunks: list[Chunk]) -> None:
        for chunk in chunks:
            await self._retrying(self.application.bot.send_message, chat_id=chat_id, text=chunk.html,
                                 parse_mode=ParseMode.HTML, reply_markup=chunk.markup)

    async def _retrying(self, send, **kwargs):
        """Network errors retry with backoff; Forbidden and RetryAfter go to the caller."""
        for attempt in range(SEND_ATTEMPTS):
            try:
                return await send(**kwargs)
            except (Forbidden, RetryAfter):
                raise
            except NetworkError:
                if attempt == SEND_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(0.5 * 2**attempt)

    async def push(self, chat_id: str, replies: list[Reply]) -> None:
        """A scheduled send: paced at about one message a second per chat."""
        pacer = self._chat_pacers.setdefault(chat_id, AsyncLimiter(1, 1))
        if len(self._chat_pacers) > 4096:
            self._chat_pacers = {chat_id: pacer}
        try:
            for reply in replies:
                async with pacer:
                    await self._send_reply(chat_id, reply)
        except Forbidden as exc:
            raise Unreachable(str(exc)) from None
        except RetryAfter as exc:
            raise RateLimited(_seconds(exc.retry_after)) from None


def _seconds(value) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)
