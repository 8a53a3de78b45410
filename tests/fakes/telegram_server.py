"""A local stand-in for the Telegram Bot API, so the real python-telegram-bot client can be
tested end to end without the internet.

It answers on 127.0.0.1 only, keeps every call it receives, and is strict in the places where
the real API is strict (offsets, message length, callback data size, parse errors, blocked
users, 429s), because those are the places where a bot breaks in production.

Typical use::

    async with FakeTelegram() as fake:
        app = (ApplicationBuilder().token(fake.token).base_url(fake.base_url)
               .base_file_url(fake.base_file_url).build())
        ...
        fake.user_sends("/start")
        [reply] = await fake.wait_for_sent(fake.DEFAULT_USER_ID)

Everything runs on the test's own event loop, so the injection methods are plain functions
and the waits are coroutines.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import socket
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

JsonDict = dict[str, Any]

# Fields whose form value is a plain string even when it looks like JSON ("123", "true").
# PTB sends str values raw and JSON-encodes everything else, so all other fields are decoded.
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "secret_token",
        "ip_address",
        "action",
        "language_code",
        "description",
        "short_description",
        "name",
        "title",
        "emoji",
        "photo",
        "document",
        "file_id",
        "business_connection_id",
        "message_effect_id",
        "query",
    }
)

# Descriptions the real API gives, used when a test injects an error without its own wording.
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}

_BLOCKED = "Forbidden: bot was blocked by the user"
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply "
    "markup are exactly the same as a current content and reply markup of the message"
)
_HTML_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)
_MARKDOWN_V2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_COMMAND_AT_START = re.compile(r"^/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")


class ApiError(Exception):
    """A Bot API error answer: the HTTP status equals error_code, as on the real server."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> JsonDict:
        body: JsonDict = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass(frozen=True)
class RateLimit:
    """At most `count` sends in any `per_seconds` window (Telegram: ~1/s per chat, 20/min per
    group, ~30/s overall)."""

    count: int
    per_seconds: float = 1.0


@dataclass
class _FailRule:
    method: str
    error: ApiError
    times: int
    chat_id: int | str | None


@dataclass
class _SlowRule:
    method: str
    seconds: float
    every: int
    seen: int = 0


@dataclass
class _Upload:
    filename: str | None
    content: bytes
    content_type: str | None


def _normalise_chat_id(value: Any) -> int | str | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except ValueError:
        return str(value)


def _decode_field(name: str, raw: str) -> Any:
    if name in _STRING_FIELDS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _utf16_len(text: str) -> int:
    """Telegram counts entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _command_entities(text: str) -> list[JsonDict]:
    match = _COMMAND_AT_START.match(text)
    if not match:
        return []
    return [{"type": "bot_command", "offset": 0, "length": _utf16_len(match.group(0))}]


class _HtmlChecker(HTMLParser):
    """Finds the mistakes Telegram rejects in HTML text: unknown or unbalanced tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problem: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in _HTML_TAGS and self.problem is None:
            self.problem = f'Unsupported start tag "{tag}"'
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if (not self.open or self.open[-1] != tag) and self.problem is None:
            self.problem = f'Unmatched end tag "{tag}"'
            return
        self.open.pop()


def _parse_problem(text: str, parse_mode: str | None) -> str | None:
    """Why Telegram would refuse `text` in `parse_mode`, or None if it would accept it."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        checker = _HtmlChecker()
        checker.feed(text)
        checker.close()
        if checker.problem is None and checker.open:
            checker.problem = f'Can\'t find end tag corresponding to start tag "{checker.open[-1]}"'
        return checker.problem
    if mode == "markdownv2":
        return _markdown_v2_problem(text)
    return None


def _markdown_v2_problem(text: str) -> str | None:
    in_code = in_url = False
    previous = "\n"
    chars = iter(text)
    for char in chars:
        if char == "\\":
            next(chars, None)
            previous = "x"
            continue
        if char == "`":
            in_code = not in_code
        elif in_url:
            in_url = char != ")"
        elif char == "(" and previous == "]":
            in_url = True
        elif not in_code and char in _MARKDOWN_V2_RESERVED and char not in "_*[]()~`|":
            if not (char == ">" and previous == "\n"):
                return f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        previous = char
    return None


def _png_size(content: bytes) -> tuple[int, int]:
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    return 1, 1


class FakeTelegram:
    """An in-process Bot API server plus the user's side of the chat."""

    DEFAULT_TOKEN = "123456789:AAFakeTokenUsedOnlyByTests"
    DEFAULT_USER_ID = 1001
    SEND_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument"})
    MAX_TEXT = 4096
    MAX_CAPTION = 1024
    MAX_CALLBACK_DATA = 64

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "gluteup_bot",
        bot_first_name: str = "Glute Up",
        rate_limit_per_chat: RateLimit | None = None,
        rate_limit_global: RateLimit | None = None,
        enforce_rate_limits: bool = False,
        rate_limit_per_group: RateLimit | None = None,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.rate_limit_per_chat = rate_limit_per_chat
        self.rate_limit_global = rate_limit_global
        self.rate_limit_per_group = rate_limit_per_group  # groups: negative chat ids
        self.enforce_rate_limits = enforce_rate_limits

        # What tests read.
        self.calls: list[JsonDict] = []
        self.sent: list[JsonDict] = []
        self.unknown_calls: list[JsonDict] = []
        self.commands: list[JsonDict] | None = None
        self.commands_by_scope: dict[tuple[str, str], list[JsonDict]] = {}
        self.description: str = ""
        self.short_description: str = ""
        self.answered_callbacks: list[JsonDict] = []
        self.chat_actions: list[JsonDict] = []
        self.deleted: list[tuple[int | str, int]] = []
        self.webhook: JsonDict | None = None
        self.tokens_used: list[str] = []
        self.send_times: dict[int | str, list[float]] = {}
        self.would_be_429s = 0
        self.would_be_429s_by_chat: Counter = Counter()
        self.delivery_counts: Counter = Counter()
        self.server_errors: list[str] = []

        self._pending_updates: list[JsonDict] = []
        self._update_ids = itertools.count(500_001)
        self._callback_ids = itertools.count(9_000_001)
        self._file_ids = itertools.count(1)
        self._message_counters: dict[int | str, itertools.count] = {}
        self._messages: dict[tuple[int | str, int], JsonDict] = {}
        self._chats: dict[int | str, JsonDict] = {}
        self._users: dict[int, JsonDict] = {}
        self._open_callbacks: set[str] = set()
        self._files: dict[str, tuple[str, _Upload]] = {}
        self._fail_rules: list[_FailRule] = []
        self._slow_rules: list[_SlowRule] = []
        self._blocked: set[int | str] = set()
        self._send_log: list[float] = []
        self._changed = asyncio.Event()
        self._closing = False
        self._poll_generation = 0
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self._handlers: dict[str, Callable] = {
            "getme": self._get_me,
            "logout": self._true,
            "close": self._true,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "getupdates": self._get_updates,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "senddocument": self._send_document,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "sendchataction": self._send_chat_action,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "setmydescription": self._set_my_description,
            "getmydescription": self._get_my_description,
            "setmyshortdescription": self._set_my_short_description,
            "getmyshortdescription": self._get_my_short_description,
            "deletemycommands": self._delete_my_commands,
            "answercallbackquery": self._answer_callback_query,
            "getfile": self._get_file,
        }

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        # access_log=None: the request line carries the bot token, which must never be logged.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        """Release every waiting long poll first, so a polling client sees an empty answer and
        stops at once instead of waiting out its timeout."""
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder().base_url(): PTB appends the token to it."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def bot_id(self) -> int:
        head = self.token.split(":", 1)[0]
        return int(head) if head.isdigit() else 123456789

    # ------------------------------------------------------------------ the user's side

    def user_sends(
        self,
        text: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        first_name: str = "Ana",
        chat_type: str = "private",
        username: str | None = None,
        chat_title: str = "Glute crew",
        reply_to: JsonDict | None = None,
        photo: bool = False,
    ) -> JsonDict:
        """Queue a message from a person; returns the Message dict the bot will receive. With `photo`,
        a photo whose caption is `text` (none when it is empty)."""
        user = self._remember_user(user_id, first_name, username)
        if chat_id is None:
            chat_id = user_id if chat_type == "private" else -1001000000000 - user_id
        chat = self._remember_chat(chat_id, chat_type, user, chat_title)
        message: JsonDict = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
        }
        if photo:
            message["photo"] = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 320, "height": 240}]
            if text:
                message["caption"] = text
        else:
            message["text"] = text
            entities = _command_entities(text)
            if entities:
                message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to.get("message", reply_to)
        self._messages[(chat_id, message["message_id"])] = message
        self._queue_update({"message": message})
        return message

    def user_edits(self, message: JsonDict, new_text: str) -> JsonDict:
        """Queue an edited_message update for a message the user sent earlier."""
        edited = {**message, "text": new_text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        entities = _command_entities(new_text)
        if entities:
            edited["entities"] = entities
        self._messages[(message["chat"]["id"], message["message_id"])] = edited
        self._queue_update({"edited_message": edited})
        return edited

    def user_presses(
        self,
        message_from_bot: JsonDict,
        callback_data: str,
        *,
        user_id: int | None = None,
        first_name: str = "Ana",
    ) -> JsonDict:
        """Queue a callback_query for an inline button. Accepts a `sent` item or a Message dict.

        Only buttons that are really on the message can be pressed, as in the real app.
        """
        message = message_from_bot.get("message", message_from_bot)
        current = self._messages.get((message["chat"]["id"], message["message_id"]), message)
        offered = [b.get("callback_data") for b in self.inline_buttons(current)]
        if callback_data not in offered:
            raise ValueError(f"no button with callback_data {callback_data!r} on that message; it offers {offered!r}")
        chat = current["chat"]
        if user_id is None:
            user_id = chat["id"] if chat["type"] == "private" else self.DEFAULT_USER_ID
        user = self._users.get(user_id) or self._remember_user(user_id, first_name, None)
        query = {
            "id": str(next(self._callback_ids)),
            "from": user,
            "message": current,
            "chat_instance": str(abs(hash((chat["id"], self.bot_id)))),
            "data": callback_data,
        }
        self._open_callbacks.add(query["id"])
        self._queue_update({"callback_query": query})
        return query

    # ------------------------------------------------------------------ failures

    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | str | None = None,
    ) -> None:
        """Make the next `times` calls of `method` (optionally only to `chat_id`) fail."""
        if description is None:
            description = _DEFAULT_DESCRIPTIONS.get(error_code, "Error").format(retry_after=retry_after)
        if error_code == 429 and retry_after is None:
            retry_after = 1
        self._fail_rules.append(
            _FailRule(
                method.lower(), ApiError(error_code, description, retry_after), times, _normalise_chat_id(chat_id)
            )
        )

    def answer_slowly(self, method: str, seconds: float, *, every: int = 1) -> None:
        """Every `every`-th successful call of `method` is done (a send is delivered) but its
        answer comes `seconds` late, as when Telegram is slow to reply."""
        self._slow_rules.append(_SlowRule(method.lower(), seconds, every))

    async def _answer_late(self, method: str) -> None:
        for rule in self._slow_rules:
            if rule.method == method:
                rule.seen += 1
                if rule.seen % rule.every == 0:
                    await asyncio.sleep(rule.seconds)

    def block_user(self, chat_id: int | str) -> None:
        """The person blocked the bot: every call aimed at that chat answers 403."""
        self._blocked.add(_normalise_chat_id(chat_id))

    def unblock_user(self, chat_id: int | str) -> None:
        self._blocked.discard(_normalise_chat_id(chat_id))

    # ------------------------------------------------------------------ reading results

    def sent_to(self, chat_id: int | str) -> list[JsonDict]:
        chat_id = _normalise_chat_id(chat_id)
        return [item for item in self.sent if item["chat_id"] == chat_id]

    def calls_of(self, method: str) -> list[JsonDict]:
        return [call for call in self.calls if call["method"].lower() == method.lower()]

    @property
    def pending_updates(self) -> list[JsonDict]:
        """Updates not yet confirmed by an offset."""
        return list(self._pending_updates)

    @staticmethod
    def inline_buttons(item: JsonDict) -> list[JsonDict]:
        """All inline buttons of a `sent` item or Message dict, row by row, flattened."""
        markup = item.get("reply_markup") or item.get("message", {}).get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]

    async def wait_for(self, predicate: Callable[[JsonDict], bool], timeout: float = 10, *, start: int = 0) -> JsonDict:
        """The first `sent` item from index `start` on that satisfies `predicate`."""

        def found() -> JsonDict | None:
            return next((item for item in self.sent[start:] if predicate(item)), None)

        await self.wait_until(
            lambda: found() is not None, timeout, lambda: f"no sent item matched; sent so far: {self._summary()}"
        )
        return found()  # type: ignore[return-value]

    async def wait_for_sent(self, chat_id: int | str, count: int = 1, timeout: float = 10) -> list[JsonDict]:
        """The first `count` items sent to `chat_id` (waits until there are that many)."""
        await self.wait_until(
            lambda: len(self.sent_to(chat_id)) >= count,
            timeout,
            lambda: f"wanted {count} sent to {chat_id}; sent so far: {self._summary()}",
        )
        return self.sent_to(chat_id)[:count]

    async def wait_for_call(self, method: str, count: int = 1, timeout: float = 10) -> list[JsonDict]:
        await self.wait_until(
            lambda: len(self.calls_of(method)) >= count,
            timeout,
            lambda: f"wanted {count} calls of {method}; calls: {[c['method'] for c in self.calls]}",
        )
        return self.calls_of(method)[:count]

    async def wait_for_answered_callbacks(self, count: int = 1, timeout: float = 10) -> list[JsonDict]:
        await self.wait_until(
            lambda: len(self.answered_callbacks) >= count,
            timeout,
            lambda: f"wanted {count} answered callbacks; got {self.answered_callbacks}",
        )
        return self.answered_callbacks[:count]

    async def wait_until_confirmed(self, timeout: float = 10) -> None:
        """Wait until the bot has confirmed (by offset) every update queued so far."""
        await self.wait_until(
            lambda: not self._pending_updates,
            timeout,
            lambda: f"still unconfirmed: {[u['update_id'] for u in self._pending_updates]}",
        )

    def _summary(self) -> list[tuple]:
        return [(item["method"], item["chat_id"], item.get("text") or item.get("caption")) for item in self.sent]

    async def wait_until(self, ready: Callable[[], bool], timeout: float, explain: Callable[[], str]) -> None:
        """Until `ready()` holds (re-checked whenever the fake sees traffic); on timeout the error says `explain()`."""
        try:
            async with asyncio.timeout(timeout):
                while not ready():
                    await self._changed.wait()
        except TimeoutError:
            raise TimeoutError(f"after {timeout} s: {explain()}") from None

    def _notify(self) -> None:
        """Wake every waiter; each re-checks its own condition (a broadcast without a lock, so
        plain functions such as user_sends can call it)."""
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    # ------------------------------------------------------------------ rate counters

    def max_sends_in_window(self, chat_id: int | str | None, window: float) -> int:
        """The most sends seen in any `window` seconds, for one chat or (None) overall."""
        times = self._send_log if chat_id is None else self.send_times.get(_normalise_chat_id(chat_id), [])
        best = 0
        first = 0
        for last, moment in enumerate(times):
            while moment - times[first] >= window:
                first += 1
            best = max(best, last - first + 1)
        return best

    def _rate_excess(self, chat_id: int | str, now: float) -> int | None:
        """Seconds until a send would be allowed, or None if it is allowed now."""
        waits = []
        group = self.rate_limit_per_group if isinstance(chat_id, int) and chat_id < 0 else None
        for limit, times in (
            (self.rate_limit_per_chat, self.send_times.get(chat_id, [])),
            (group, self.send_times.get(chat_id, [])),
            (self.rate_limit_global, self._send_log),
        ):
            if limit is None:
                continue
            recent = [t for t in times if now - t < limit.per_seconds]
            if len(recent) >= limit.count:
                waits.append(recent[-limit.count] + limit.per_seconds - now)
        return max(1, math.ceil(max(waits))) if waits else None

    # ------------------------------------------------------------------ HTTP

    async def _dispatch(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        if token not in self.tokens_used:
            self.tokens_used.append(token)
        try:
            params, files = await self._read_params(request)
        except Exception as exc:  # noqa: BLE001 - a malformed request is an answer, not a crash
            return self._error_response(ApiError(400, f"Bad Request: unreadable request ({exc})"))
        call = {
            "method": method,
            "params": params,
            "files": {name: (f.filename, len(f.content)) for name, f in files.items()},
            "token": token,
            "time": time.monotonic(),
            "status": 200,
        }
        self.calls.append(call)
        handler = self._handlers.get(method.lower())
        try:
            if handler is None:
                self.unknown_calls.append(call)
                raise ApiError(404, "Not Found: method not found")
            self._check_injected_failure(method.lower(), params)
            result = await handler(params, files, request)
        except ApiError as error:
            call["status"] = error.error_code
            self._notify()
            return self._error_response(error)
        except Exception as exc:  # noqa: BLE001 - report fake bugs to the test, not as a hang
            self.server_errors.append(f"{method}: {exc!r}")
            call["status"] = 500
            self._notify()
            return self._error_response(ApiError(500, f"Internal Server Error: fake failed: {exc!r}"))
        self._notify()
        await self._answer_late(method.lower())
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _error_response(error: ApiError) -> web.Response:
        return web.json_response(error.body(), status=error.error_code)

    @staticmethod
    async def _read_params(request: web.Request) -> tuple[JsonDict, dict[str, _Upload]]:
        params: JsonDict = {k: _decode_field(k, v) for k, v in request.query.items()}
        files: dict[str, _Upload] = {}
        if not request.can_read_body:
            return params, files
        if request.content_type == "application/json":
            params.update(await request.json())
            return params, files
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                files[name] = _Upload(value.filename, value.file.read(), value.content_type)
            else:
                params[name] = _decode_field(name, value)
        return params, files

    def _check_injected_failure(self, method: str, params: JsonDict) -> None:
        chat_id = _normalise_chat_id(params.get("chat_id"))
        for rule in self._fail_rules:
            if rule.method == method and rule.times > 0 and rule.chat_id in (None, chat_id):
                rule.times -= 1
                raise rule.error
        if chat_id is not None and chat_id in self._blocked:
            raise ApiError(403, _BLOCKED)

    async def _download(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        for file_path, upload in self._files.values():
            if file_path == path:
                return web.Response(body=upload.content, content_type=upload.content_type or "application/octet-stream")
        return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)

    # ------------------------------------------------------------------ state helpers

    def _bot_user(self) -> JsonDict:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name, "username": self.bot_username}

    def _remember_user(self, user_id: int, first_name: str, username: str | None) -> JsonDict:
        user: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}
        if username:
            user["username"] = username
        self._users[user_id] = user
        return user

    def _remember_chat(self, chat_id: int | str, chat_type: str, user: JsonDict, title: str) -> JsonDict:
        if chat_type == "private":
            chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            if "username" in user:
                chat["username"] = user["username"]
        else:
            chat = {"id": chat_id, "type": chat_type, "title": title}
        self._chats[chat_id] = chat
        return chat

    def _chat(self, chat_id: int | str | None) -> JsonDict:
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        if chat_id in self._chats:
            return self._chats[chat_id]
        if isinstance(chat_id, int) and chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "User"}
        if isinstance(chat_id, int):
            return {"id": chat_id, "type": "group", "title": "Group"}
        raise ApiError(400, "Bad Request: chat not found")

    def _next_message_id(self, chat_id: int | str) -> int:
        counter = self._message_counters.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def _queue_update(self, body: JsonDict) -> None:
        self._pending_updates.append({"update_id": next(self._update_ids), **body})
        self._notify()

    def _check_markup(self, markup: Any) -> JsonDict | None:
        if markup in (None, ""):
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for button in (b for row in markup.get("inline_keyboard", []) for b in row):
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= self.MAX_CALLBACK_DATA:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if not button.get("text"):
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
            url = button.get("url")
            if url is not None and not re.match(r"^(https?|tg)://[^\s]+$", str(url)):
                raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
            if (
                sum(
                    key in button
                    for key in (
                        "callback_data",
                        "url",
                        "switch_inline_query",
                        "login_url",
                        "web_app",
                        "copy_text",
                        "pay",
                    )
                )
                != 1
            ):
                raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        return markup

    def _check_text(self, text: Any, parse_mode: str | None, *, caption: bool = False) -> None:
        limit = self.MAX_CAPTION if caption else self.MAX_TEXT
        if not caption and (not isinstance(text, str) or not text.strip()):
            raise ApiError(400, "Bad Request: message text is empty")
        if text and _utf16_len(str(text)) > limit:
            raise ApiError(
                400, "Bad Request: message caption is too long" if caption else "Bad Request: message is too long"
            )
        problem = _parse_problem(str(text), parse_mode) if text else None
        if problem:
            raise ApiError(400, f"Bad Request: can't parse entities: {problem}")

    def _reply_target(self, chat_id: int | str, params: JsonDict) -> JsonDict | None:
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id") if isinstance(reply, dict) else None
        message_id = message_id or params.get("reply_to_message_id")
        return self._messages.get((chat_id, message_id)) if message_id else None

    def _deliver(self, method: str, params: JsonDict, content: JsonDict, extra: JsonDict) -> JsonDict:
        """Turn an accepted send into a Message, store it, and record what the user saw."""
        chat_id = _normalise_chat_id(params.get("chat_id"))
        chat = self._chat(chat_id)
        markup = self._check_markup(params.get("reply_markup"))
        now = time.monotonic()
        wait = self._rate_excess(chat_id, now)
        if wait is not None:
            self.would_be_429s += 1
            self.would_be_429s_by_chat[chat_id] += 1
            if self.enforce_rate_limits:
                raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
        self.send_times.setdefault(chat_id, []).append(now)
        self._send_log.append(now)
        message: JsonDict = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": self._bot_user(),
            **content,
        }
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        target = self._reply_target(chat_id, params)
        if target is not None:
            message["reply_to_message"] = target
        self._messages[(chat_id, message["message_id"])] = message
        self.sent.append(
            {
                "method": method,
                "chat_id": chat_id,
                "message_id": message["message_id"],
                "text": content.get("text"),
                "caption": content.get("caption"),
                "parse_mode": params.get("parse_mode"),
                "reply_markup": markup,
                "time": now,
                "message": message,
                "params": params,
                **extra,
            }
        )
        return message

    def _store_upload(self, kind: str, upload: _Upload) -> tuple[str, str]:
        number = next(self._file_ids)
        file_id = f"fake-{kind}-{number}"
        suffix = (upload.filename or "").rsplit(".", 1)[-1] if "." in (upload.filename or "") else "bin"
        self._files[file_id] = (f"{kind}s/file_{number}.{suffix}", upload)
        return file_id, f"unique-{number}"

    def _file_param(self, name: str, params: JsonDict, files: dict[str, _Upload]) -> tuple[_Upload | None, str | None]:
        if name in files:
            return files[name], None
        reference = params.get(name)
        if isinstance(reference, str) and reference:
            if reference.startswith("attach://") and reference[9:] in files:
                return files[reference[9:]], None
            return None, reference
        raise ApiError(400, f"Bad Request: there is no {name} in the request")

    # ------------------------------------------------------------------ methods

    async def _true(self, params: JsonDict, files: dict, request: web.Request) -> bool:
        return True

    async def _get_me(self, params: JsonDict, files: dict, request: web.Request) -> JsonDict:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _delete_webhook(self, params: JsonDict, files: dict, request: web.Request) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._pending_updates.clear()
        return True

    async def _set_webhook(self, params: JsonDict, files: dict, request: web.Request) -> bool:
        self.webhook = {key: value for key, value in params.items() if key != "certificate"}
        if params.get("drop_pending_updates"):
            self._pending_updates.clear()
        return True

    async def _get_webhook_info(self, params: JsonDict, files: dict, request: web.Request) -> JsonDict:
        webhook = self.webhook or {}
        return {
            "url": webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending_updates),
        }

    async def _get_updates(self, params: JsonDict, files: dict, request: web.Request) -> list[JsonDict]:
        """Real offset rules: an offset confirms (drops) every update below it; unconfirmed
        updates are sent again; a long poll answers as soon as something arrives; a newer
        getUpdates ends an older waiting one with 409, as when two bot instances run."""
        if self.webhook and self.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        if offset < 0:
            del self._pending_updates[:offset]
        elif offset:
            self._pending_updates = [u for u in self._pending_updates if u["update_id"] >= offset]
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        allowed = params.get("allowed_updates") or None
        timeout = float(params.get("timeout") or 0)

        def available() -> list[JsonDict]:
            return [u for u in self._pending_updates if allowed is None or any(kind in u for kind in allowed)][:limit]

        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # wakes an older poll, and a confirmation can be what a test awaits
        deadline = asyncio.get_running_loop().time() + timeout
        while not available() and not self._closing and generation == self._poll_generation:
            try:
                async with asyncio.timeout_at(deadline):
                    await self._changed.wait()
            except TimeoutError:
                break
        if generation != self._poll_generation and not self._closing:
            raise ApiError(409, _DEFAULT_DESCRIPTIONS[409])
        if self._closing or request.transport is None or request.transport.is_closing():
            return []  # the client gave up (or we are shutting down): deliver nothing
        updates = available()
        for update in updates:
            self.delivery_counts[update["update_id"]] += 1
        return updates

    async def _send_message(self, params: JsonDict, files: dict, request: web.Request) -> JsonDict:
        self._check_text(params.get("text"), params.get("parse_mode"))
        return self._deliver("sendMessage", params, {"text": params["text"]}, {})

    async def _send_file(self, kind: str, method: str, params: JsonDict, files: dict[str, _Upload]) -> JsonDict:
        caption = params.get("caption")
        self._check_text(caption, params.get("parse_mode"), caption=True)
        upload, reference = self._file_param(kind, params, files)
        if upload is not None:
            file_id, unique_id = self._store_upload(kind, upload)
            size = len(upload.content)
        else:
            file_id, unique_id, size = str(reference), f"unique-{reference}", 0
        if kind == "photo":
            width, height = _png_size(upload.content) if upload else (1, 1)
            media: Any = [
                {"file_id": file_id, "file_unique_id": unique_id, "width": width, "height": height, "file_size": size}
            ]
        else:
            media = {
                "file_id": file_id,
                "file_unique_id": unique_id,
                "file_size": size,
                "file_name": upload.filename if upload else None,
                "mime_type": upload.content_type if upload else None,
            }
            media = {key: value for key, value in media.items() if value is not None}
        content: JsonDict = {kind: media}
        if caption:
            content["caption"] = caption
        extra = {
            "filename": upload.filename if upload else None,
            "file_bytes": upload.content if upload else None,
            "mime_type": upload.content_type if upload else None,
            "file_ref": reference,
        }
        return self._deliver(method, params, content, extra)

    async def _send_photo(self, params: JsonDict, files: dict, request: web.Request) -> JsonDict:
        return await self._send_file("photo", "sendPhoto", params, files)

    async def _send_document(self, params: JsonDict, files: dict, request: web.Request) -> JsonDict:
        return await self._send_file("document", "sendDocument", params, files)

    def _editable(self, params: JsonDict) -> tuple[int | str, JsonDict]:
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: inline messages are not supported by the fake")
        chat_id = _normalise_chat_id(params.get("chat_id"))
        message = self._messages.get((chat_id, params.get("message_id")))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not message["from"].get("is_bot"):
            raise ApiError(400, "Bad Request: message can't be edited")
        return chat_id, message

    def _record_edit(
        self, method: str, chat_id: int | str, message: JsonDict, updated: JsonDict, params: JsonDict
    ) -> JsonDict:
        if all(message.get(k) == updated.get(k) for k in ("text", "reply_markup")):
            raise ApiError(400, _NOT_MODIFIED)
        updated["edit_date"] = int(time.time())
        self._messages[(chat_id, message["message_id"])] = updated
        self.sent.append(
            {
                "method": method,
                "chat_id": chat_id,
                "message_id": message["message_id"],
                "text": updated.get("text"),
                "caption": updated.get("caption"),
                "parse_mode": params.get("parse_mode"),
                "reply_markup": updated.get("reply_markup"),
                "time": time.monotonic(),
                "message": updated,
                "params": params,
            }
        )
        return updated

    async def _edit_message_text(self, params: JsonDict, files: dict, request: web.Request) -> JsonDict:
        chat_id, message = self._editable(params)
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        self._check_text(params.get("text"), params.get("parse_mode"))
        markup = self._check_markup(params.get("reply_markup"))
        updated = {key: value for key, value in message.items() if key != "reply_markup"}
        updated["text"] = params["text"]
        if markup and "inline_keyboard" in markup:
            updated["reply_markup"] = markup
        return self._record_edit("editMessageText", chat_id, message, updated, params)

    async def _edit_message_reply_markup(self, params: JsonDict, files: dict, request: web.Request) -> JsonDict:
        chat_id, message = self._editable(params)
        markup = self._check_markup(params.get("reply_markup"))
        updated = {key: value for key, value in message.items() if key != "reply_markup"}
        if markup and markup.get("inline_keyboard"):
            updated["reply_markup"] = markup
        return self._record_edit("editMessageReplyMarkup", chat_id, message, updated, params)

    async def _delete_message(self, params: JsonDict, files: dict, request: web.Request) -> bool:
        chat_id = _normalise_chat_id(params.get("chat_id"))
        key = (chat_id, params.get("message_id"))
        if self._messages.pop(key, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        self.deleted.append(key)
        return True

    async def _send_chat_action(self, params: JsonDict, files: dict, request: web.Request) -> bool:
        self._chat(_normalise_chat_id(params.get("chat_id")))
        self.chat_actions.append(
            {
                "chat_id": _normalise_chat_id(params.get("chat_id")),
                "action": params.get("action"),
                "time": time.monotonic(),
            }
        )
        return True

    @staticmethod
    def _scope_key(params: JsonDict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), params.get("language_code") or ""

    async def _set_my_commands(self, params: JsonDict, files: dict, request: web.Request) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a list of at most 100 commands")
        for command in commands:
            if not _COMMAND_NAME.match(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands = commands
        self.commands_by_scope[self._scope_key(params)] = commands
        return True

    async def _get_my_commands(self, params: JsonDict, files: dict, request: web.Request) -> list[JsonDict]:
        return self.commands_by_scope.get(self._scope_key(params), [])

    async def _delete_my_commands(self, params: JsonDict, files: dict, request: web.Request) -> bool:
        self.commands_by_scope.pop(self._scope_key(params), None)
        self.commands = None
        return True

    async def _set_my_description(self, params: JsonDict, files: dict, request: web.Request) -> bool:
        description = str(params.get("description") or "")
        if len(description) > 512:
            raise ApiError(400, "Bad Request: BOT_DESCRIPTION_INVALID")
        self.description = description
        return True

    async def _get_my_description(self, params: JsonDict, files: dict, request: web.Request) -> JsonDict:
        return {"description": self.description}

    async def _set_my_short_description(self, params: JsonDict, files: dict, request: web.Request) -> bool:
        short = str(params.get("short_description") or "")
        if len(short) > 120:
            raise ApiError(400, "Bad Request: BOT_SHORT_DESCRIPTION_INVALID")
        self.short_description = short
        return True

    async def _get_my_short_description(self, params: JsonDict, files: dict, request: web.Request) -> JsonDict:
        return {"short_description": self.short_description}

    async def _answer_callback_query(self, params: JsonDict, files: dict, request: web.Request) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_callbacks:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        self._open_callbacks.discard(query_id)
        self.answered_callbacks.append(
            {
                "callback_query_id": query_id,
                "text": params.get("text"),
                "show_alert": bool(params.get("show_alert")),
                "url": params.get("url"),
                "time": time.monotonic(),
            }
        )
        return True

    async def _get_file(self, params: JsonDict, files: dict, request: web.Request) -> JsonDict:
        file_id = str(params.get("file_id", ""))
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        path, upload = self._files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"unique-{file_id}",
            "file_size": len(upload.content),
            "file_path": path,
        }
