"""Telegram adapter on python-telegram-bot: updates in, core replies out.

It runs inside the shared asyncio loop (initialize/start/start_polling and the
matching stops, never run_polling), so the scheduler and Discord run beside it.
Private chats: any text is for the coach. Groups: only commands and mentions,
and replies holding personal data go to the person's private chat instead.
A button press is answered by editing the message it belongs to.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import html
import contextlib
import hashlib
import hmac
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlparse

import httpx
from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.adapters.base import NON_TEXT_ANSWER, MaybeSent, NotSent, RateLimited, Unreachable
from bot.adapters.telegram_pacing import PacedLimiter
from bot.adapters.telegram_polling import ConfirmingPoller
from bot.adapters.telegram_render import MAX_TEXT, CallbackBook, Chunk, render
from bot.adapters.turns import UserTurns
from bot.postman.pacer import Pacer, pacer_for
from bot.settings import Settings
from core.coach import Coach, split_command
from core.commands import about, all_commands, one_live_question
from core.domain import Attachment, Incoming, Reply

log = logging.getLogger(__name__)

PLATFORM = "telegram"
SEND_ATTEMPTS = 4
# httpx errors raised before a request was written: the only network errors worth a retry.
NOTHING_LEFT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
CONCURRENT_UPDATES = 4  # chats handled side by side (measured best in bench/telegram_mix.py); one chat's stay in order
OPEN_PRIVATE_CHAT = "I answer that privately. Press the button to open a chat with me (@{username}); I'll answer there."
OPEN_PRIVATE_CHAT_BUTTON = "Open a private chat"
EXPIRED_BUTTON = "That button has expired. Send /today or /help to carry on."
ALREADY_CHOSEN = "Already chosen - one moment."
DEEP_LINK_PREFIX = "do-"  # /start do-<base64url of a command>: what the person asked for in a group
MAX_START_PAYLOAD = 64
SIGNATURE_CHARS = 11
TYPING_EVERY = 4.5  # Telegram shows a chat action for about 5 s
# Telegram recommends a chat action only when the answer takes noticeable time. Most replies
# take milliseconds, and the action is a request of its own (about 45 % of our HTTP cost when
# sent for every update), so it is shown only once a reply has taken this long.
TYPING_AFTER = 0.5
REMEMBERED_MESSAGES = 10_000


@dataclass(frozen=True)
class Pressed:
    """The message a button press came from, so the answer can replace it."""

    message: Message
    label: str
    html: str


def start_payload(command: str, secret: str) -> str | None:
    """A deep-link payload (A-Z a-z 0-9 _ -, at most 64) standing for `command`, signed so that
    nobody can make a link that runs a command the person never asked for; None if too long."""
    encoded = base64.urlsafe_b64encode(command.encode()).decode().rstrip("=")
    payload = DEEP_LINK_PREFIX + encoded + _signature(encoded, secret)
    return payload if len(payload) <= MAX_START_PAYLOAD else None


def command_from_payload(text: str, secret: str) -> str | None:
    """'/start do-<command><signature>' -> the command; None when the text is not such a link
    or its signature is wrong."""
    parts = split_command(text)
    if parts is None or parts[0] != "start" or not parts[1].startswith(DEEP_LINK_PREFIX):
        return None
    body = parts[1][len(DEEP_LINK_PREFIX) :]
    encoded, signature = body[:-SIGNATURE_CHARS], body[-SIGNATURE_CHARS:]
    if not encoded or not hmac.compare_digest(signature, _signature(encoded, secret)):
        return None
    try:
        command = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return command if command.startswith("/") else None


def _signature(encoded: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), encoded.encode(), hashlib.sha256).digest()[:8]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")  # 11 characters


class TelegramStartError(SystemExit):
    """Start-up failed in a way only the operator can fix; the message says how."""


class TelegramAdapter:
    platform = PLATFORM
    NEWCOMER_SECONDS = 30.0  # a 409 this soon after we started polling means we are the second poller

    def __init__(
        self, application: Application, coach: Coach, *, webhook: dict | None = None, pacer: Pacer | None = None
    ) -> None:
        self.application = application
        self.pacer = pacer or pacer_for(PLATFORM)  # the one pacing layer; the postman shares it
        self.coach = coach
        self.webhook = webhook
        self.callbacks = CallbackBook()
        self.fatal = asyncio.Event()
        self._polling_since = time.monotonic()
        self.poller = ConfirmingPoller(application, on_error=self._on_polling_error, on_fatal=self._give_up)
        self._user_turns = UserTurns()
        self.typing_after = TYPING_AFTER
        self._sent_html: OrderedDict[tuple[str, int], str] = OrderedDict()  # to mark a choice on its message
        self._pressing: set[tuple[str, int]] = set()
        self._one_live = one_live_question()
        self._live: OrderedDict[tuple[str, str], int] = OrderedDict()  # (chat, command) -> newest question
        application.add_handler(CallbackQueryHandler(self._on_button))
        application.add_handler(MessageHandler(filters.TEXT | filters.COMMAND | filters.CAPTION, self._on_text))
        application.add_handler(MessageHandler(filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL, self._on_other))
        application.add_error_handler(self._on_error)

    @classmethod
    def from_settings(cls, settings: Settings, coach: Coach) -> "TelegramAdapter":
        pacer = pacer_for(PLATFORM)
        if settings.telegram_token is None:  # the composition root starts Telegram only with a token
            raise ValueError("TELEGRAM_TOKEN is not set")
        builder = (
            ApplicationBuilder()
            .token(settings.telegram_token.get_secret_value())
            .rate_limiter(PacedLimiter(pacer))
            .concurrent_updates(CONCURRENT_UPDATES)
            .defaults(Defaults(parse_mode=ParseMode.HTML))
        )
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
                if settings.telegram_webhook_secret
                else None,
            }
        return cls(builder.build(), coach, webhook=webhook, pacer=pacer)

    # ---- lifecycle -------------------------------------------------------

    async def start(self) -> None:
        try:
            await self.application.initialize()  # getMe: nothing else happens unless it works
        except InvalidToken:
            raise TelegramStartError("Telegram refused the token (getMe failed): check TELEGRAM_TOKEN.") from None
        except TelegramError as exc:  # unreachable, timed out, not a Bot API: the operator's to fix
            raise TelegramStartError(
                f"Glute Up cannot start: Telegram did not answer getMe ({type(exc).__name__}: "
                f"{exc}). Check the network, and TELEGRAM_BASE_URL if set."
            ) from None
        me = self.application.bot
        await self._publish_profile()
        await self.application.start()
        if self.webhook:
            if self.application.updater is None:  # ApplicationBuilder makes one unless told not to
                raise TelegramStartError("Glute Up cannot start: the Telegram application has no updater")
            await self.application.updater.start_webhook(**self.webhook)
            log.info("telegram: @%s receiving updates by webhook", me.username)
        else:
            self._polling_since = time.monotonic()
            await self.poller.start()  # not the Updater: it confirms updates only once they are handled
            log.info("telegram: @%s polling for updates", me.username)

    async def _publish_profile(self) -> None:
        """Menus per scope (private chats: every command; groups: the group-useful ones) and
        the texts people see before pressing Start."""
        specs = all_commands()
        everything = [BotCommand(spec.name, spec.summary) for spec in specs]
        in_groups = [BotCommand(spec.name, spec.summary) for spec in specs if spec.group]
        bot = self.application.bot
        await bot.set_my_commands(everything, scope=BotCommandScopeDefault())
        await bot.set_my_commands(everything, scope=BotCommandScopeAllPrivateChats())
        await bot.set_my_commands(in_groups, scope=BotCommandScopeAllGroupChats())
        texts = about()
        if texts.get("description"):
            await bot.set_my_description(texts["description"])
        if texts.get("short_description"):
            await bot.set_my_short_description(texts["short_description"])

    async def stop(self) -> None:
        await self.poller.stop()
        if self.application.updater and self.application.updater.running:
            await self.application.updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    def _on_polling_error(self, error: TelegramError) -> None:
        if isinstance(error, Conflict) and time.monotonic() - self._polling_since > self.NEWCOMER_SECONDS:
            # Telegram ends the older poll when a newer one arrives: we are the older one, so we
            # carry on, and the newcomer (which sees 409 within its first seconds) stops.
            log.warning(
                "telegram: another process started polling with this bot token (409 Conflict); "
                "it will stop, this one carries on"
            )
        elif isinstance(error, Conflict):
            log.critical(
                "telegram: another process is polling with this bot token (409 Conflict). "
                "Run one `gluteup run` per token, or use webhook mode for several workers. Stopping."
            )
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
        text = message.text or message.caption or ""  # a photo of the lift with the sets as its caption
        private = chat.type == ChatType.PRIVATE
        if self._for_another_bot(text):
            return  # /today@other_bot: not ours to answer, in any chat
        for_coach = private
        if not private:
            for_us, mentioned = self._group_text(text)
            if for_us is None:
                return  # group chatter that is not for us
            text, for_coach = for_us, mentioned  # "@bot hip thrust 3x10" reads like a private message
        text = command_from_payload(text, self.application.bot.token) or text
        incoming = Incoming(
            PLATFORM,
            str(user.id),
            str(chat.id),
            text,
            user.full_name,
            message_key=f"tg:{chat.id}:{message.message_id}",
            edited=update.edited_message is not None,
            is_private=for_coach,
            addressed=not private and for_coach,
        )  # a mention: logs like /log
        await self._handle_in_order(incoming, private_chat=private)

    async def _handle_in_order(self, incoming: Incoming, *, private_chat: bool, pressed: Pressed | None = None) -> None:
        """Updates run concurrently, but one person's messages are handled in the order sent
        (a set log, then /undo): see bot.adapters.turns."""
        async with self._user_turns.turn(incoming.user_id):
            async with self._showing(incoming.chat_id, ChatAction.TYPING):
                replies = await self.coach.handle(incoming)
            await self._answer(incoming, replies, private_chat=private_chat, pressed=pressed)

    def _for_another_bot(self, text: str) -> bool:
        head = text.split(maxsplit=1)[0] if text.startswith("/") else ""
        _, at, name = head.partition("@")
        return bool(at) and name.lower() != (self.application.bot.username or "").lower()

    def _group_text(self, text: str) -> tuple[str | None, bool]:
        """Commands and @mentions only; the mention itself is removed. Returns (text, mentioned)."""
        mention = f"@{self.application.bot.username}"
        if text.startswith("/"):
            return text, False
        if mention.lower() in text.lower():
            start = text.lower().index(mention.lower())
            return (text[:start] + text[start + len(mention) :]).strip(), True
        return None, False

    @contextlib.asynccontextmanager
    async def _showing(self, chat_id: str, action: str):
        """'typing...' (or 'sending photo...') in the chat while the block runs, once it has run
        for `typing_after` seconds (0: at once, before the block, which may never give the timer a
        turn: on SQLite a reply's statements do not wait on anything); a failed chat action never
        holds up the answer."""

        async def show() -> bool:
            try:
                await self.application.bot.send_chat_action(chat_id=chat_id, action=action)
            except TelegramError as error:
                log.debug("telegram: chat action failed: %s", error)
                return False
            return True

        async def keep_showing(first: float) -> None:
            await asyncio.sleep(first)
            while await show():
                await asyncio.sleep(TYPING_EVERY)

        tasks: list[asyncio.Task[None]] = []

        def start() -> None:
            tasks.append(asyncio.create_task(keep_showing(0)))

        # A timer, not a sleeping task: most replies are ready long before it, and cancelling a
        # timer costs nothing, where a task costs two turns of the loop per message.
        timer = asyncio.get_running_loop().call_later(self.typing_after, start) if self.typing_after > 0 else None
        if timer is None and await show():
            tasks.append(asyncio.create_task(keep_showing(TYPING_EVERY)))
        try:
            yield
        finally:
            if timer is not None:
                timer.cancel()
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and not message.text:
            await self._send_chunks(message.chat.id, [Chunk(NON_TEXT_ANSWER)])

    async def _on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every press is answered (so the button stops spinning); the answer replaces the
        message the button is on, and a stale or repeated press changes nothing."""
        query = update.callback_query
        if query is None:  # the handler is a CallbackQueryHandler: there is always one
            return
        command = self.callbacks.command_for(query.data or "")
        message = query.message if isinstance(query.message, Message) else None
        chat = message.chat if message else None
        chat_id = str(chat.id if chat else query.from_user.id)
        private = chat is None or chat.type == ChatType.PRIVATE
        key: tuple[str, int] | None = (chat_id, message.message_id) if message else None
        if command is None:
            await query.answer(EXPIRED_BUTTON, show_alert=True)
            if message is not None:
                await self._edit(message, self._html_of(message), None)  # its keyboard goes
            return
        if key is not None and key in self._pressing:
            await query.answer(ALREADY_CHOSEN)  # a double tap: the first press is being answered
            return
        pressed = None
        if message is not None and key is not None:
            self._pressing.add(key)  # before any await, so a second press sees it
            label = next(
                (
                    b.text
                    for row in (message.reply_markup.inline_keyboard if message.reply_markup else ())
                    for b in row
                    if b.callback_data == query.data
                ),
                "",
            )
            pressed = Pressed(message, label, self._html_of(message))
        incoming = Incoming(
            PLATFORM,
            str(query.from_user.id),
            chat_id,
            command,
            query.from_user.full_name,
            message_key=f"tgcb:{query.id}",
            is_private=private,
        )
        try:
            await query.answer()
            await self._handle_in_order(incoming, private_chat=private, pressed=pressed)
        finally:
            if key is not None:
                self._pressing.discard(key)

    def _html_of(self, message: Message) -> str:
        """The HTML a text message of ours was sent with; '' for a photo or document."""
        if message.text is None:
            return ""
        return self._sent_html.get((str(message.chat.id), message.message_id)) or message.text_html or ""

    async def _remember(self, sent, html: str) -> None:
        """Keep the HTML of a message with a keyboard (to mark a choice on it later), and take
        the keyboard off an older question of the same series (a second /start's first step)."""
        if not isinstance(sent, Message) or sent.reply_markup is None:
            return
        chat = str(sent.chat.id)
        self._sent_html[(chat, sent.message_id)] = html
        while len(self._sent_html) > REMEMBERED_MESSAGES:
            self._sent_html.popitem(last=False)
        for name in self._series_on(sent.reply_markup):
            older = self._live.pop((chat, name), None)
            self._live[(chat, name)] = sent.message_id
            while len(self._live) > REMEMBERED_MESSAGES:
                self._live.popitem(last=False)
            if older is not None and older != sent.message_id:
                try:
                    await self.application.bot.edit_message_reply_markup(
                        chat_id=chat, message_id=older, reply_markup=None
                    )
                except BadRequest as error:  # already gone or already without a keyboard
                    log.debug("telegram: older question %s kept its state: %s", older, error)

    def _series_on(self, markup: InlineKeyboardMarkup) -> set[str]:
        names = set()
        datas = [b.callback_data for row in markup.inline_keyboard for b in row]
        for data in (d for d in datas if isinstance(d, str) and d):  # ours are strings; PTB allows any object
            parts = split_command(self.callbacks.command_for(data) or "")
            if parts and parts[0] in self._one_live:
                names.add(parts[0])
        return names

    async def _edit(self, message: Message, html: str, markup: InlineKeyboardMarkup | None) -> bool:
        """Edit a message of ours; False if Telegram refuses (gone, too old, unchanged)."""
        try:
            if html:
                sent = await self.application.bot.edit_message_text(
                    html, chat_id=message.chat.id, message_id=message.message_id, reply_markup=markup
                )
            else:
                sent = await self.application.bot.edit_message_reply_markup(
                    chat_id=message.chat.id, message_id=message.message_id, reply_markup=markup
                )
        except BadRequest as error:
            log.info("telegram: could not edit message %s: %s", message.message_id, error)
            return False
        if markup is not None:
            await self._remember(sent, html)
        return True

    # ---- outgoing --------------------------------------------------------

    async def _answer(
        self, incoming: Incoming, replies: list[Reply], *, private_chat: bool, pressed: Pressed | None = None
    ) -> None:
        if pressed is not None:
            replies = await self._answer_in_place(pressed, replies, private_chat)
        for reply in replies:
            if private_chat or not reply.private:
                await self._send_reply(incoming.chat_id, reply)
                continue
            try:  # personal data never goes to the group: send it privately
                await self._send_reply(incoming.user_id, reply)
            except Forbidden:
                await self._send_chunks(incoming.chat_id, [self._open_private_chat(incoming.text)])

    async def _answer_in_place(self, pressed: Pressed, replies: list[Reply], private_chat: bool) -> list[Reply]:
        """The first answer replaces the pressed message when it fits one message and belongs
        in this chat; otherwise the choice is marked on it and its keyboard removed. Returns
        the replies still to send."""
        mark = f"✓ {html_escape(pressed.label)}" if pressed.label else ""
        if not replies:
            await self._edit(pressed.message, f"{pressed.html}\n\n{mark}".strip(), None)
            return replies
        first = replies[0]
        if not (private_chat or not first.private):
            return replies  # a personal answer to a press in a group: the group's message stays as it is
        if not pressed.html:  # a photo or document: its keyboard goes, the answer follows
            await self._edit(pressed.message, "", None)
            return replies
        chunks = render(first, self.callbacks)
        if first.attachment is None and len(chunks) == 1:
            text = chunks[0].html
            if mark and not first.text.startswith("✓") and len(mark) + 2 + len(text) <= MAX_TEXT:
                text = f"{mark}\n\n{text}"
            if await self._edit(pressed.message, text, chunks[0].markup):
                return replies[1:]
            return replies
        marked = f"{pressed.html}\n\n{mark}" if len(pressed.html) + len(mark) + 2 <= MAX_TEXT else pressed.html
        await self._edit(pressed.message, marked, None)
        return replies

    def _open_private_chat(self, asked: str) -> Chunk:
        """The hint in a group, with a button that opens the private chat and asks again there."""
        username = self.application.bot.username
        payload = start_payload(asked, self.application.bot.token) or ""
        url = f"https://t.me/{username}?start={payload}" if payload else f"https://t.me/{username}"
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(OPEN_PRIVATE_CHAT_BUTTON, url=url)]])
        return Chunk(html_escape(OPEN_PRIVATE_CHAT.format(username=username)), markup)

    async def _send_reply(self, chat_id: str, reply: Reply) -> None:
        chunks = render(reply, self.callbacks)
        if reply.attachment is not None:
            await self._send_attachment(chat_id, reply.attachment, chunks)
        else:
            await self._send_chunks(chat_id, chunks)

    async def _send_attachment(self, chat_id: str, attachment: Attachment, chunks: list[Chunk]) -> None:
        file = InputFile(attachment.data, filename=attachment.filename)
        caption, rest = (chunks[0], chunks[1:]) if len(chunks[0].html) <= 1024 and len(chunks) == 1 else (None, chunks)
        send = self.application.bot.send_photo if attachment.is_image else self.application.bot.send_document
        kwargs: dict[str, object] = {"photo" if attachment.is_image else "document": file}
        if caption is not None:
            kwargs.update(caption=caption.html, reply_markup=caption.markup)
        action = ChatAction.UPLOAD_PHOTO if attachment.is_image else ChatAction.UPLOAD_DOCUMENT
        async with self._showing(chat_id, action):
            await self._retrying(send, chat_id=chat_id, **kwargs)
        await self._send_chunks(chat_id, rest)

    async def _send_chunks(self, chat_id, chunks: list[Chunk]) -> None:
        for chunk in chunks:
            sent = await self._retrying(
                self.application.bot.send_message, chat_id=chat_id, text=chunk.html, reply_markup=chunk.markup
            )
            await self._remember(sent, chunk.html)

    async def _retrying(self, send, **kwargs):
        """Retry (with backoff) only errors that prove the request never left: a send whose
        answer timed out may well have arrived, and repeating it is how people got a reminder
        four times. Forbidden, RetryAfter and every other error go to the caller."""
        for attempt in range(SEND_ATTEMPTS):
            try:
                return await send(**kwargs)
            except (Forbidden, RetryAfter):
                raise
            except NetworkError as error:
                if not nothing_left(error) or attempt == SEND_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(0.5 * 2**attempt)

    async def push(self, chat_id: str, replies: list[Reply]) -> None:
        """A scheduled send to a private chat; the pacer (overall and per chat) is in the rate limiter."""
        try:
            for reply in replies:
                await self._send_reply(chat_id, reply)
        except Forbidden as exc:
            raise Unreachable(str(exc)) from None
        except RetryAfter as exc:
            raise RateLimited(_seconds(exc.retry_after)) from None
        except NetworkError as exc:
            raise (NotSent if nothing_left(exc) else MaybeSent)(str(exc)) from exc


def nothing_left(error: NetworkError) -> bool:
    """PTB raises TimedOut/NetworkError *from* the httpx error; only a few of those happen
    before the request is written (a read timeout happens after Telegram may have acted)."""
    return isinstance(error.__cause__, NOTHING_LEFT)


def html_escape(text: str) -> str:
    return html.escape(text, quote=False)


def _seconds(value) -> float:
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)
