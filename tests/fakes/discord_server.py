"""A local stand-in for Discord's REST API (v10) and gateway, so the real discord.py client can
be tested end to end without the internet.

It answers on 127.0.0.1 only, keeps every call it receives, and is strict where Discord is strict
and bots break in production: the 3-second interaction deadline, acknowledging an interaction
twice, follow-ups before any response, closed DMs (50007), empty or over-long messages, invalid
components, missing message-content intent in guilds, and 429s with the headers discord.py reads.

Typical use (the fake must outlive the bot, so nest the bot inside it)::

    async with FakeDiscord() as fake:            # also aims discord.py at the fake
        bot = commands.Bot(command_prefix="!", intents=discord.Intents.default(),
                           guild_ready_timeout=0.1)
        async with bot:
            task = asyncio.create_task(bot.start(fake.token))
            await bot.wait_until_ready()
            interaction_id = await fake.slash("ping")
            [reply] = await fake.wait_for_messages(1, interaction_id=interaction_id)
            await bot.close()
            await task

Everything runs on the test's own event loop.  Gateway frames leave through one queue per
connection, so events injected one after the other reach the client in that order.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from aiohttp import WSMsgType, web

JsonDict = dict[str, Any]

API_PREFIX = "/api/v10"
DISCORD_EPOCH_MS = 1420070400000

EPHEMERAL = 1 << 6
LOADING = 1 << 7
COMPONENTS_V2 = 1 << 15
MESSAGE_CONTENT_INTENT = 1 << 15

# Channel types used here (Discord's numbering).
GUILD_TEXT = 0
DM = 1

# Interaction types and callback types (Discord's numbering).
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
# Which callback types each interaction type may answer with.
_ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, 9, 10, 12},
    MESSAGE_COMPONENT: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE, 9, 10, 12},
    4: {8},
    5: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE},
}

# Application command option types that need special handling.
_SUB_COMMAND, _SUB_COMMAND_GROUP, _USER_OPTION = 1, 2, 6

# Message and component limits the real API enforces.
MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TITLE = 256
MAX_EMBED_DESCRIPTION = 4096
MAX_ACTION_ROWS = 5
MAX_ROW_ITEMS = 5
MAX_CUSTOM_ID = 100
MAX_BUTTON_LABEL = 80
_COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")

_ALL_PERMISSIONS = str((1 << 50) - 1)


class ApiError(Exception):
    """An error answer: the HTTP status plus Discord's JSON code and message."""

    def __init__(self, status: int, code: int, message: str, errors: JsonDict | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> JsonDict:
        body: JsonDict = {"code": self.code, "message": self.message}
        if self.errors:
            body["errors"] = self.errors
        return body


def _form_error(field_path: str, code: str, message: str) -> ApiError:
    """Discord's 50035 'Invalid Form Body', with the nested error tree discord.py flattens."""
    tree: JsonDict = {"_errors": [{"code": code, "message": message}]}
    for part in reversed(field_path.split(".")):
        tree = {part: tree}
    return ApiError(400, 50035, "Invalid Form Body", tree)


UNKNOWN_CHANNEL = (404, 10003, "Unknown Channel")
UNKNOWN_MESSAGE = (404, 10008, "Unknown Message")
UNKNOWN_WEBHOOK = (404, 10015, "Unknown Webhook")
UNKNOWN_INTERACTION = (404, 10062, "Unknown interaction")
ALREADY_ACKNOWLEDGED = (400, 40060, "Interaction has already been acknowledged.")
CANNOT_DM = (403, 50007, "Cannot send messages to this user")
EMPTY_MESSAGE = (400, 50006, "Cannot send an empty message")
NOT_AUTHOR = (403, 50005, "Cannot edit a message authored by another user")
UNAUTHORIZED = (401, 0, "401: Unauthorized")


@dataclass
class Upload:
    """One file the bot (or a user) uploaded, with its bytes."""

    filename: str
    content: bytes
    content_type: str | None = None
    description: str | None = None
    id: int = 0


@dataclass
class SentMessage:
    """Something the bot made a user see: a channel message, an interaction response, a
    follow-up or an edit.  `content` etc. describe the message as it stands after the call."""

    kind: str  # channel_message | interaction_response | followup | edit
    channel_id: int
    message_id: int | None
    content: str
    embeds: list[JsonDict]
    components: list[JsonDict]
    flags: int
    attachments: list[Upload]
    interaction_id: int | None = None
    recipient_id: int | None = None  # the user, when the channel is a DM
    guild_id: int | None = None
    payload: JsonDict = field(default_factory=dict)  # the JSON the bot sent

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)

    def buttons(self) -> list[JsonDict]:
        """Every button on the message, however deeply the layout nests them."""
        return [c for c in _walk_components(self.components) if c.get("type") == 2]


@dataclass
class InteractionCallback:
    """One accepted POST to /interactions/{id}/{token}/callback."""

    interaction_id: int
    type: int
    data: JsonDict | None
    attachments: list[Upload]


@dataclass
class RecordedRequest:
    method: str
    path: str  # relative to /api/v10, e.g. "/channels/1/messages"
    query: dict[str, str]
    json: Any
    files: list[Upload]
    status: int = 0


@dataclass
class _FailRule:
    method: str
    path: re.Pattern[str]
    status: int
    retry_after: float
    global_: bool
    code: int
    message: str
    times: int


@dataclass
class _Interaction:
    id: int
    token: str
    type: int
    user_id: int
    channel_id: int
    guild_id: int | None
    created: float
    name: str | None = None
    message_id: int | None = None  # the message a component sits on
    response_type: int | None = None
    original_id: int | None = None  # the response message, once there is one
    ephemeral_defer: bool = False


def _walk_components(components: Iterable[JsonDict]) -> Iterator[JsonDict]:
    for component in components or ():
        yield component
        yield from _walk_components(component.get("components", ()))
        accessory = component.get("accessory")
        if accessory:
            yield accessory


def _json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """discord.py only parses a body whose Content-Type is exactly 'application/json'."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat()


def _fail_quietly(done: asyncio.Future[None] | None, exc: BaseException) -> None:
    """Fails a send; fire-and-forget senders never await it, so mark it seen to avoid noise."""
    if done is not None and not done.done():
        done.set_exception(exc)
        done.exception()


class _Connection:
    """One gateway websocket: frames leave in order through a queue drained by one writer."""

    def __init__(self, ws: web.WebSocketResponse):
        self.ws = ws
        self.queue: asyncio.Queue[tuple[JsonDict, asyncio.Future[None] | None]] = asyncio.Queue()
        self.session_id: str | None = None
        self.sequence = 0
        self.intents = 0
        self.shard: list[int] | None = None
        self.writer = asyncio.create_task(self._write())

    async def _write(self) -> None:
        while True:
            frame, done = await self.queue.get()
            try:
                await self.ws.send_str(json.dumps(frame))
            except (ConnectionError, RuntimeError) as exc:
                _fail_quietly(done, exc)
                continue
            if done is not None and not done.done():
                done.set_result(None)

    def abort(self) -> None:
        """Stops writing; whoever waits on an unsent frame learns the bot is gone."""
        self.writer.cancel()
        while not self.queue.empty():
            _, done = self.queue.get_nowait()
            _fail_quietly(done, ConnectionError("the bot's gateway connection closed"))

    def send(self, frame: JsonDict) -> asyncio.Future[None]:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.queue.put_nowait((frame, done))
        return done

    def dispatch(self, event: str, data: JsonDict) -> asyncio.Future[None]:
        self.sequence += 1
        return self.send({"op": 0, "t": event, "s": self.sequence, "d": data})


class FakeDiscord:
    """Discord's REST API and gateway on 127.0.0.1, for one bot application."""

    DEFAULT_USER_ID = 100000000000000001
    APPLICATION_ID = 900000000000000001
    BOT_USER_ID = 900000000000000001  # Discord gives a bot the same id as its application

    def __init__(
        self,
        *,
        token: str = "fake-discord-token",
        bot_name: str = "GluteUp",
        heartbeat_interval_ms: int = 41250,
        interaction_deadline: float = 3.0,
        echo_bot_messages: bool = True,
        aim_client: bool = True,
    ):
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.interaction_deadline = interaction_deadline
        self.echo_bot_messages = echo_bot_messages
        self._aim_client = aim_client
        self.application_id = self.APPLICATION_ID
        self.bot_user: JsonDict = {
            "id": str(self.BOT_USER_ID),
            "username": bot_name,
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": True,
            "verified": True,
            "mfa_enabled": False,
            "flags": 0,
            "email": None,
        }

        self.requests: list[RecordedRequest] = []
        self.messages: list[SentMessage] = []
        self.interaction_responses: list[InteractionCallback] = []
        self.synced_commands: dict[int | None, list[JsonDict]] = {}  # key None: global commands
        self.presence_updates: list[JsonDict] = []
        self.errors: list[Exception] = []  # bugs in the fake itself, surfaced as 400s

        self._users: dict[int, JsonDict] = {}
        self._guilds: dict[int, JsonDict] = {}
        self._channels: dict[int, JsonDict] = {}
        self._dm_by_user: dict[int, int] = {}
        self._closed_dms: set[int] = set()
        self._stored: dict[int, JsonDict] = {}  # every message by id
        self._uploads: dict[int, Upload] = {}  # attachment id -> bytes, served for downloads
        self._interactions_by_id: dict[int, _Interaction] = {}
        self._interactions_by_token: dict[str, _Interaction] = {}
        self._fail_rules: list[_FailRule] = []
        self._sessions: dict[str, int] = {}  # session id -> last sequence, for RESUME

        self._ids = itertools.count(1)
        self._last_snowflake = 0
        self._connections: set[_Connection] = set()
        self._current: _Connection | None = None
        self._ready = asyncio.Event()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._restore_client: contextlib.ExitStack | None = None
        self.port = 0

    # ----------------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.url}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def gateway_connections(self) -> int:
        """Open gateway sockets; 0 after a clean shutdown of the bot."""
        return len(self._connections)

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{id}/{filename}", self._download)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        if self._aim_client:
            self._restore_client = contextlib.ExitStack()
            self._restore_client.enter_context(aim_discord_py_at(self))

    async def stop(self) -> None:
        """Closes every gateway socket first (code 1000), so no handler keeps the server alive."""
        for connection in list(self._connections):
            connection.abort()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.ws.close(code=1000), timeout=1.0)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._restore_client is not None:
            self._restore_client.close()
            self._restore_client = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ----------------------------------------------------------------- ids and lookups

    def snowflake(self) -> int:
        """Ids carry their creation time as on Discord, so Message.created_at is right."""
        value = ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(self._ids) & 0xFFF)
        self._last_snowflake = max(value, self._last_snowflake + 1)
        return self._last_snowflake

    def user(self, user_id: int, username: str | None = None) -> JsonDict:
        """The user payload for an id, made up on first use."""
        known = self._users.get(user_id)
        if known is None:
            known = self._users[user_id] = {
                "id": str(user_id),
                "username": username or f"user{user_id}",
                "discriminator": "0",
                "global_name": username,
                "avatar": None,
                "bot": False,
                "public_flags": 0,
            }
        elif username:
            known["username"] = known["global_name"] = username
        return known

    def dm_channel_id(self, user_id: int) -> int:
        """The DM channel between the bot and a user, opened on first use as on Discord."""
        channel_id = self._dm_by_user.get(user_id)
        if channel_id is None:
            channel_id = self.snowflake()
            self._dm_by_user[user_id] = channel_id
            self._channels[channel_id] = {
                "id": str(channel_id),
                "type": DM,
                "last_message_id": None,
                "flags": 0,
                "recipients": [self.user(user_id)],
                "recipient_id": user_id,
            }
        return channel_id

    def message(self, message_id: int) -> JsonDict:
        """A stored message payload as the fake last served it."""
        return self._stored[message_id]

    def messages_to(self, user_id: int) -> list[SentMessage]:
        """What the bot made one user see: their DMs plus interaction answers to them."""
        asked = {i.id for i in self._interactions_by_id.values() if i.user_id == user_id}
        return [m for m in self.messages if m.recipient_id == user_id or m.interaction_id in asked]

    def responses_for(self, interaction_id: int) -> list[SentMessage]:
        return [m for m in self.messages if m.interaction_id == interaction_id]

    # ----------------------------------------------------------------- guilds, users, faults

    def add_guild(
        self,
        guild_id: int,
        name: str = "Test guild",
        members: Iterable[int | JsonDict] = (),
        channels: Iterable[int | JsonDict] = (),
    ) -> JsonDict:
        """Adds a guild the bot is in; a connected bot gets GUILD_CREATE at once.

        members: user ids or dicts with id/username/roles.  channels: channel ids or dicts with
        id/name/type; a guild without channels gets one text channel named general."""
        channel_payloads = []
        for position, item in enumerate(list(channels) or [self.snowflake()]):
            spec = {"id": item} if isinstance(item, int) else dict(item)
            channel = {
                "id": str(spec["id"]),
                "type": spec.get("type", GUILD_TEXT),
                "name": spec.get("name", "general" if position == 0 else f"channel-{spec['id']}"),
                "position": position,
                "guild_id": str(guild_id),
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
                "topic": None,
                "last_message_id": None,
                "rate_limit_per_user": 0,
                "flags": 0,
            }
            channel_payloads.append(channel)
            self._channels[int(spec["id"])] = channel
        guild = {
            "id": str(guild_id),
            "name": name,
            "icon": None,
            "owner_id": str(self.DEFAULT_USER_ID),
            "features": [],
            "emojis": [],
            "stickers": [],
            "channels": channel_payloads,
            "members": [],
            "member_count": 0,
            "threads": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "voice_states": [],
            "presences": [],
            "large": False,
            "unavailable": False,
            "joined_at": _now_iso(),
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "system_channel_id": None,
            "afk_timeout": 300,
            "roles": [
                {
                    "id": str(guild_id),
                    "name": "@everyone",
                    "permissions": _ALL_PERMISSIONS,
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
        }
        self._guilds[guild_id] = guild
        self._add_member(guild_id, self.BOT_USER_ID)
        for item in members:
            spec = {"id": item} if isinstance(item, int) else dict(item)
            self._add_member(guild_id, int(spec["id"]), spec.get("username"), spec.get("roles", ()))
        if self._current is not None and self._current.session_id:
            self._current.dispatch("GUILD_CREATE", guild)
        return guild

    def _add_member(
        self, guild_id: int, user_id: int, username: str | None = None, roles: Iterable[int] = ()
    ) -> JsonDict:
        guild = self._guilds[guild_id]
        for member in guild["members"]:
            if member["user"]["id"] == str(user_id):
                return member
        user = self.bot_user if user_id == self.BOT_USER_ID else self.user(user_id, username)
        member = {
            "user": user,
            "roles": [str(r) for r in roles],
            "joined_at": _now_iso(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
            "pending": False,
        }
        guild["members"].append(member)
        guild["member_count"] = len(guild["members"])
        return member

    def _text_channel_of(self, guild_id: int) -> int:
        for channel in self._guilds[guild_id]["channels"]:
            if channel["type"] == GUILD_TEXT:
                return int(channel["id"])
        raise LookupError(f"guild {guild_id} has no text channel")

    def close_dms(self, user_id: int) -> None:
        """From now on, sends to this user's DMs fail with 403 / 50007 as when they block DMs."""
        self._closed_dms.add(user_id)

    def open_dms(self, user_id: int) -> None:
        self._closed_dms.discard(user_id)

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int = 429,
        retry_after: float = 0.1,
        global_: bool = False,
        *,
        code: int = 0,
        message: str | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls whose method and path (relative to /api/v10, matched with
        re.fullmatch) agree fail with `status`; a 429 carries the headers discord.py reads."""
        self._fail_rules.append(
            _FailRule(
                method.upper(),
                re.compile(path_regex),
                status,
                retry_after,
                global_,
                code,
                message or ("You are being rate limited." if status == 429 else f"{status} error"),
                times,
            )
        )

    # ----------------------------------------------------------------- waiting

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 10) -> Any:
        """Waits until predicate() is truthy (checked after every request) and returns it."""
        async with self._changed:
            try:
                return await asyncio.wait_for(self._changed.wait_for(predicate), timeout)
            except TimeoutError:
                recent = [(m.kind, m.content[:60]) for m in self.messages[-5:]]
                calls = [(r.method, r.path, r.status) for r in self.requests[-8:]]
                raise TimeoutError(
                    f"condition not met in {timeout}s; last messages {recent}; last requests {calls}"
                ) from None

    async def wait_for_messages(
        self, count: int = 1, *, after: int = 0, timeout: float = 10, **match: Any
    ) -> list[SentMessage]:
        """The first `count` recorded messages from index `after` whose attributes equal `match`
        (e.g. kind="followup", recipient_id=42, interaction_id=...)."""

        def found() -> list[SentMessage] | None:
            hits = [m for m in self.messages[after:] if all(getattr(m, key) == value for key, value in match.items())]
            return hits[:count] if len(hits) >= count else None

        return await self.wait_for(found, timeout)

    async def wait_until_ready(self, timeout: float = 10) -> None:
        """Until a bot has identified and been sent READY and its guilds."""
        await asyncio.wait_for(self._ready.wait(), timeout)

    # ----------------------------------------------------------------- gateway

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        connection = _Connection(ws)
        self._connections.add(connection)
        connection.send({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        try:
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_frame(connection, json.loads(msg.data))
                elif msg.type is WSMsgType.ERROR:
                    break
        finally:
            connection.abort()
            self._connections.discard(connection)
            await self._notify()
            if connection.session_id:
                self._sessions[connection.session_id] = connection.sequence
            if self._current is connection:
                self._current = None
                self._ready.clear()
        return ws

    async def _on_frame(self, connection: _Connection, frame: JsonDict) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            connection.send({"op": 11})
        elif op == 2:
            await self._identify(connection, data)
        elif op == 3:
            self.presence_updates.append(data)
        elif op == 6:
            self._resume(connection, data)
        elif op == 8:
            self._send_member_chunk(connection, data)

    async def _identify(self, connection: _Connection, data: JsonDict) -> None:
        if data.get("token") != self.token:
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return
        connection.intents = int(data.get("intents", 0))
        connection.shard = data.get("shard")
        connection.session_id = secrets.token_hex(16)
        ready = {
            "v": 10,
            "user": self.bot_user,
            "session_id": connection.session_id,
            "resume_gateway_url": self.gateway_url,
            "session_type": "normal",
            "guilds": [{"id": str(gid), "unavailable": True} for gid in self._guilds],
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
            "shard": connection.shard or [0, 1],
            "_trace": ["fake-discord"],
        }
        connection.dispatch("READY", ready)
        for guild in self._guilds.values():
            connection.dispatch("GUILD_CREATE", guild)
        self._current = connection
        self._ready.set()

    def _resume(self, connection: _Connection, data: JsonDict) -> None:
        session = data.get("session_id")
        if data.get("token") != self.token or session not in self._sessions:
            connection.send({"op": 9, "d": False})
            return
        connection.session_id = session
        connection.sequence = self._sessions[session]
        connection.dispatch("RESUMED", {})
        self._current = connection
        self._ready.set()

    def _send_member_chunk(self, connection: _Connection, data: JsonDict) -> None:
        guild = self._guilds.get(int(data["guild_id"]))
        connection.dispatch(
            "GUILD_MEMBERS_CHUNK",
            {
                "guild_id": data["guild_id"],
                "members": guild["members"] if guild else [],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [],
                "nonce": data.get("nonce"),
            },
        )

    async def _dispatch(self, event: str, data: JsonDict, timeout: float = 10) -> None:
        """Sends one event to the connected bot and waits until it is on the wire."""
        try:
            await asyncio.wait_for(self._ready.wait(), timeout)
        except TimeoutError:
            raise RuntimeError("no bot is connected to the fake gateway") from None
        assert self._current is not None
        await self._current.dispatch(event, data)

    async def disconnect_gateway(self, code: int = 4000) -> None:
        """Drops the bot's gateway socket as Discord does now and then; discord.py resumes."""
        if self._current is not None:
            await self._current.ws.close(code=code)

    # ----------------------------------------------------------------- user actions

    async def user_sends_dm(
        self,
        user_id: int = DEFAULT_USER_ID,
        text: str = "",
        *,
        username: str | None = None,
        attachments: Iterable[tuple[str, bytes]] = (),
    ) -> int:
        """A user writes to the bot in DMs; returns the message id.  DM content always arrives,
        the message-content intent only matters in guilds."""
        channel_id = self.dm_channel_id(user_id)
        message = self._user_message(channel_id, user_id, text, username, attachments)
        await self._dispatch("MESSAGE_CREATE", message)
        return int(message["id"])

    async def user_edits_dm(self, message_id: int, text: str) -> None:
        """The user edits a DM they sent earlier: MESSAGE_UPDATE with the whole new message."""
        message = {**self._stored[message_id], "content": text, "edited_timestamp": _now_iso()}
        self._stored[message_id] = message
        await self._dispatch("MESSAGE_UPDATE", message)

    async def user_sends_in_guild(
        self,
        guild_id: int,
        text: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        channel_id: int | None = None,
        username: str | None = None,
        attachments: Iterable[tuple[str, bytes]] = (),
    ) -> int:
        """A member writes in a guild text channel; returns the message id.  As on Discord, a
        bot without the message-content intent gets empty content unless it is mentioned."""
        channel_id = channel_id or self._text_channel_of(guild_id)
        member = self._add_member(guild_id, user_id, username)
        message = self._user_message(channel_id, user_id, text, username, attachments)
        message["guild_id"] = str(guild_id)
        message["member"] = {k: v for k, v in member.items() if k != "user"}
        mentioned = f"<@{self.BOT_USER_ID}>" in text or f"<@!{self.BOT_USER_ID}>" in text
        if mentioned:
            message["mentions"] = [self.bot_user]
        intents = self._current.intents if self._current else 0
        if not (intents & MESSAGE_CONTENT_INTENT) and not mentioned:
            message = {**message, "content": "", "embeds": [], "attachments": [], "components": []}
        await self._dispatch("MESSAGE_CREATE", message)
        return int(message["id"])

    def _user_message(
        self, channel_id: int, user_id: int, text: str, username: str | None, attachments: Iterable[tuple[str, bytes]]
    ) -> JsonDict:
        message_id = self.snowflake()
        files = [self._store_upload(Upload(name, data)) for name, data in attachments]
        message = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "type": 0,
            "content": text,
            "author": self.user(user_id, username),
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": files,
            "embeds": [],
            "pinned": False,
            "flags": 0,
            "components": [],
        }
        self._stored[message_id] = message
        return message

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user_id: int = DEFAULT_USER_ID,
        guild_id: int | None = None,
        channel_id: int | None = None,
        username: str | None = None,
    ) -> int:
        """A user runs a synced slash command; returns the interaction id.  `name` may hold a
        subcommand path ("log set").  Unknown commands or options raise, as the Discord client
        would not let a user send them.  Without guild_id it runs in the user's DM with the bot."""
        path = name.split()
        command = self._find_command(path[0], guild_id)
        data: JsonDict = {"id": command["id"], "name": command["name"], "type": 1}
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        resolved: JsonDict = {}
        holder, definitions = data, command.get("options", [])
        for sub in path[1:]:
            spec = next(
                (o for o in definitions if o["name"] == sub and o["type"] in (_SUB_COMMAND, _SUB_COMMAND_GROUP)), None
            )
            if spec is None:
                raise LookupError(f"/{path[0]} has no subcommand {sub!r}")
            child: JsonDict = {"name": sub, "type": spec["type"], "options": []}
            holder.setdefault("options", []).append(child)
            holder, definitions = child, spec.get("options", [])
        holder.setdefault("options", []).extend(self._command_options(definitions, options or {}, resolved, guild_id))
        if resolved:
            data["resolved"] = resolved
        return await self._interact(
            APPLICATION_COMMAND, data, user_id, guild_id, channel_id, username, name=command["name"]
        )

    async def autocomplete(
        self,
        name: str,
        focused: str,
        typed: str,
        options: dict[str, Any] | None = None,
        *,
        user_id: int = DEFAULT_USER_ID,
        guild_id: int | None = None,
        timeout: float = 5,
    ) -> list[JsonDict]:
        """A user types `typed` into option `focused` of /name; returns the suggestions the bot
        answered with (an APPLICATION_COMMAND_AUTOCOMPLETE interaction, answered with type 8)."""
        command = self._find_command(name, guild_id)
        definition = next((o for o in command.get("options", []) if o["name"] == focused), None)
        if definition is None or not definition.get("autocomplete"):
            raise LookupError(f"/{name} has no autocomplete option {focused!r}")
        given = [{"name": key, "type": 3, "value": value} for key, value in (options or {}).items()]
        given.append({"name": focused, "type": definition["type"], "value": typed, "focused": True})
        data = {"id": command["id"], "name": command["name"], "type": 1, "options": given}
        before = len(self.interaction_responses)
        interaction_id = await self._interact(4, data, user_id, guild_id, None, None, name=command["name"])
        answer = await self.wait_for(
            lambda: next((r for r in self.interaction_responses[before:] if r.interaction_id == interaction_id), None),
            timeout,
        )
        return list((answer.data or {}).get("choices", []))

    def _find_command(self, name: str, guild_id: int | None) -> JsonDict:
        scopes = ([guild_id] if guild_id else []) + [None]
        for scope in scopes:
            for command in self.synced_commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == 1:
                    return command
        raise LookupError(f"/{name} was never synced for guild {guild_id} or globally")

    def _command_options(
        self, definitions: list[JsonDict], given: dict[str, Any], resolved: JsonDict, guild_id: int | None
    ) -> list[JsonDict]:
        by_name = {o["name"]: o for o in definitions}
        unknown = set(given) - set(by_name)
        if unknown:
            raise LookupError(f"unknown options {sorted(unknown)}; synced: {sorted(by_name)}")
        missing = [o["name"] for o in definitions if o.get("required") and o["name"] not in given]
        if missing:
            raise ValueError(f"required options missing: {missing}")
        result = []
        for option_name, value in given.items():
            option_type = by_name[option_name]["type"]
            choices = [c["value"] for c in by_name[option_name].get("choices") or []]
            if choices and value not in choices:
                raise ValueError(
                    f"{option_name}={value!r} is not one of its choices {choices}; "
                    "the Discord client only lets a person pick those"
                )
            if option_type == _USER_OPTION:
                user = self.user(int(value))
                resolved.setdefault("users", {})[user["id"]] = user
                if guild_id:
                    member = self._add_member(guild_id, int(value))
                    resolved.setdefault("members", {})[user["id"]] = {
                        **{k: v for k, v in member.items() if k != "user"},
                        "permissions": _ALL_PERMISSIONS,
                    }
                value = user["id"]
            result.append({"name": option_name, "type": option_type, "value": value})
        return result

    async def press_button(
        self,
        message: SentMessage | int,
        custom_id: str | None = None,
        *,
        label: str | None = None,
        user_id: int = DEFAULT_USER_ID,
        username: str | None = None,
    ) -> int:
        """A user presses a button on a message the bot sent, found by custom_id or by label;
        returns the interaction id."""
        if custom_id is None:
            custom_id = self._custom_id_for_label(message, label)
        return await self._component(message, custom_id, 2, None, user_id, username)

    async def choose(
        self,
        message: SentMessage | int,
        custom_id: str,
        values: list[str],
        *,
        user_id: int = DEFAULT_USER_ID,
        username: str | None = None,
    ) -> int:
        """A user picks options in a string select menu; returns the interaction id."""
        return await self._component(message, custom_id, 3, values, user_id, username)

    def _payload_of(self, message: SentMessage | int) -> JsonDict:
        message_id = message if isinstance(message, int) else message.message_id
        if message_id is None or message_id not in self._stored:
            raise LookupError(f"no message {message_id} to interact with")
        return self._stored[message_id]

    def _custom_id_for_label(self, message: SentMessage | int, label: str | None) -> str:
        for component in _walk_components(self._payload_of(message).get("components", [])):
            if component.get("type") == 2 and component.get("label") == label:
                return component["custom_id"]
        raise LookupError(f"no button labelled {label!r}")

    async def _component(
        self,
        message: SentMessage | int,
        custom_id: str,
        component_type: int,
        values: list[str] | None,
        user_id: int,
        username: str | None,
    ) -> int:
        payload = self._payload_of(message)
        target = next(
            (c for c in _walk_components(payload.get("components", [])) if c.get("custom_id") == custom_id), None
        )
        if target is None or target.get("type") != component_type:
            raise LookupError(f"message {payload['id']} has no component {custom_id!r} of type {component_type}")
        if target.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled; a user cannot use it")
        data: JsonDict = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = values
        guild_id = int(payload["guild_id"]) if payload.get("guild_id") else None
        return await self._interact(
            MESSAGE_COMPONENT, data, user_id, guild_id, int(payload["channel_id"]), username, message=payload
        )

    async def _interact(
        self,
        kind: int,
        data: JsonDict,
        user_id: int,
        guild_id: int | None,
        channel_id: int | None,
        username: str | None,
        *,
        name: str | None = None,
        message: JsonDict | None = None,
    ) -> int:
        interaction_id = self.snowflake()
        token = f"interaction-{secrets.token_urlsafe(24)}"
        user = self.user(user_id, username)
        payload: JsonDict = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "token": token,
            "version": 1,
            "app_permissions": _ALL_PERMISSIONS,
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if guild_id is not None:
            if guild_id not in self._guilds:
                raise LookupError(f"the bot is not in guild {guild_id}")
            channel_id = channel_id or self._text_channel_of(guild_id)
            member = self._add_member(guild_id, user_id, username)
            payload.update(
                guild_id=str(guild_id),
                guild_locale="en-US",
                context=0,
                member={**member, "permissions": _ALL_PERMISSIONS},
                authorizing_integration_owners={"0": str(guild_id)},
                guild={"id": str(guild_id), "locale": "en-US", "features": []},
            )
        else:
            channel_id = channel_id or self.dm_channel_id(user_id)
            payload.update(user=user, context=1, authorizing_integration_owners={"0": "0"})
        channel = self._channels.get(channel_id)
        if channel is None:
            raise LookupError(f"unknown channel {channel_id}")
        payload["channel_id"] = str(channel_id)
        payload["channel"] = channel
        if message is not None:
            payload["message"] = message
        state = _Interaction(
            interaction_id,
            token,
            kind,
            user_id,
            channel_id,
            guild_id,
            asyncio.get_running_loop().time(),
            name=name,
            message_id=int(message["id"]) if message else None,
        )
        self._interactions_by_id[interaction_id] = state
        self._interactions_by_token[token] = state
        await self._dispatch("INTERACTION_CREATE", payload)
        return interaction_id

    # ----------------------------------------------------------------- REST plumbing

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files = await self._read_body(request)
        record = RecordedRequest(request.method, path, dict(request.query), body, files)
        self.requests.append(record)
        try:
            failure = self._take_failure(request.method, path)
            if failure is not None:
                record.status = failure.status
                return failure
            handler, params = self._route(request.method, path)
            if handler is None:
                raise ApiError(404, 0, "404: Not Found")
            if not (
                path.startswith(("/interactions/", "/webhooks/"))
                or request.headers.get("Authorization") == f"Bot {self.token}"
            ):
                raise ApiError(*UNAUTHORIZED)
            status, result = await handler(params, body, files)
        except ApiError as error:
            record.status = error.status
            return _json_response(error.body(), error.status)
        except Exception as error:  # a bug in the fake must fail the test fast, not be retried as a 5xx
            self.errors.append(error)
            record.status = 400
            return _json_response({"code": 0, "message": f"fake server error: {error!r}"}, 400)
        finally:
            await self._notify()
        record.status = status
        if status == 204:
            return web.Response(status=204)
        return _json_response(result, status)

    async def _read_body(self, request: web.Request) -> tuple[Any, list[Upload]]:
        if request.content_type.startswith("multipart/"):
            body: Any = None
            files: list[Upload] = []
            reader = await request.multipart()
            async for part in reader:
                if part.name == "payload_json":
                    body = json.loads(await part.text())
                elif part.name and part.name.startswith("files["):
                    index = int(part.name[6:-1])
                    files.append(
                        Upload(
                            part.filename or f"file{index}",
                            bytes(await part.read()),
                            part.headers.get("Content-Type"),
                            id=index,
                        )
                    )
            return body, files
        raw = await request.read()
        return (json.loads(raw) if raw else None), []

    def _take_failure(self, method: str, path: str) -> web.Response | None:
        for rule in self._fail_rules:
            if rule.method == method and rule.path.fullmatch(path):
                rule.times -= 1
                if rule.times <= 0:
                    self._fail_rules.remove(rule)
                if rule.status != 429:
                    return _json_response({"code": rule.code, "message": rule.message}, rule.status)
                # discord.py treats a 429 without Via as a Cloudflare ban, so Via must be there.
                headers = {
                    "Via": "1.1 google",
                    "Retry-After": str(max(1, round(rule.retry_after))),
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": f"{time.time() + rule.retry_after:.3f}",
                    "X-RateLimit-Reset-After": f"{rule.retry_after:.3f}",
                    "X-RateLimit-Bucket": "fake-bucket",
                    "X-RateLimit-Scope": "global" if rule.global_ else "user",
                }
                if rule.global_:
                    headers["X-RateLimit-Global"] = "true"
                body = {
                    "message": rule.message,
                    "retry_after": rule.retry_after,
                    "global": rule.global_,
                    "code": rule.code,
                }
                return _json_response(body, 429, headers)
        return None

    def _route(self, method: str, path: str) -> tuple[Any, dict[str, str]]:
        for route_method, pattern, name in _ROUTES:
            if route_method == method:
                found = pattern.fullmatch(path)
                if found:
                    return getattr(self, name), found.groupdict()
        return None, {}

    async def _download(self, request: web.Request) -> web.Response:
        upload = self._uploads.get(int(request.match_info["id"]))
        if upload is None:
            return web.Response(status=404)
        return web.Response(body=upload.content, content_type=upload.content_type or "application/octet-stream")

    # ----------------------------------------------------------------- REST: identity and commands

    async def _get_me(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        return 200, self.bot_user

    async def _get_user(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        user_id = int(params["user_id"])
        if user_id == self.BOT_USER_ID:
            return 200, self.bot_user
        return 200, self.user(user_id)

    async def _get_application(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        return 200, {
            "id": str(self.application_id),
            "name": self.bot_user["username"],
            "icon": None,
            "description": "",
            "summary": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.user(self.DEFAULT_USER_ID),
            "verify_key": "0" * 64,
            "flags": 0,
            "team": None,
            "rpc_origins": [],
            "tags": [],
            "bot": self.bot_user,
        }

    async def _get_gateway(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        return 200, {
            "url": self.gateway_url,
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1},
        }

    async def _put_commands(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        self._check_application(params)
        guild_id = int(params["guild_id"]) if params.get("guild_id") else None
        if guild_id is not None and guild_id not in self._guilds:
            raise ApiError(403, 50001, "Missing Access")
        if not isinstance(body, list) or len(body) > 100:
            raise _form_error("_", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
        previous = {c["name"]: c["id"] for c in self.synced_commands.get(guild_id, [])}
        commands = []
        for index, command in enumerate(body):
            self._check_command(index, command)
            synced = {
                **command,
                "id": previous.get(command["name"], str(self.snowflake())),
                "application_id": str(self.application_id),
                "version": str(self.snowflake()),
                "type": command.get("type", 1),
            }
            if guild_id is not None:
                synced["guild_id"] = str(guild_id)
            commands.append(synced)
        self.synced_commands[guild_id] = commands
        return 200, commands

    def _check_command(self, index: int, command: JsonDict) -> None:
        name = command.get("name", "")
        if command.get("type", 1) == 1:
            if not _COMMAND_NAME.match(name) or name != name.lower():
                raise _form_error(f"{index}.name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
            if not 1 <= len(command.get("description", "")) <= 100:
                raise _form_error(
                    f"{index}.description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                )
        seen_optional = False
        for number, option in enumerate(command.get("options", [])):
            where = f"{index}.options.{number}"
            if not _COMMAND_NAME.match(option.get("name", "")) or option["name"] != option["name"].lower():
                raise _form_error(f"{where}.name", "APPLICATION_COMMAND_INVALID_NAME", "Option name is invalid")
            if not 1 <= len(option.get("description", "")) <= 100:
                raise _form_error(
                    f"{where}.description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                )
            if option.get("required") and seen_optional:
                raise _form_error(
                    f"{where}.required",
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
            seen_optional = seen_optional or not option.get("required")
            choices = option.get("choices") or []
            if len(choices) > 25:
                raise _form_error(f"{where}.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            if choices and option.get("autocomplete"):
                raise _form_error(
                    f"{where}.autocomplete",
                    "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                    "Autocomplete cannot be set on an option with choices",
                )
            for choice in choices:
                if (
                    not 1 <= len(str(choice.get("name", ""))) <= 100
                    or not 1 <= len(str(choice.get("value", ""))) <= 100
                ):
                    raise _form_error(
                        f"{where}.choices", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                    )

    async def _get_commands(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        self._check_application(params)
        guild_id = int(params["guild_id"]) if params.get("guild_id") else None
        return 200, self.synced_commands.get(guild_id, [])

    def _check_application(self, params: dict) -> None:
        if int(params["app_id"]) != self.application_id:
            raise ApiError(403, 50001, "Missing Access")

    # ----------------------------------------------------------------- REST: channels and messages

    async def _open_dm(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        user_id = int((body or {}).get("recipient_id", 0))
        if not user_id:
            raise _form_error("recipient_id", "BASE_TYPE_REQUIRED", "This field is required")
        return 200, self._channels[self.dm_channel_id(user_id)]

    async def _get_channel(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        return 200, self._channel(int(params["channel_id"]))

    def _channel(self, channel_id: int) -> JsonDict:
        channel = self._channels.get(channel_id)
        if channel is None:
            raise ApiError(*UNKNOWN_CHANNEL)
        return channel

    async def _typing(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        self._channel(int(params["channel_id"]))
        return 204, None

    async def _send_channel_message(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        channel_id = int(params["channel_id"])
        channel = self._channel(channel_id)
        if channel["type"] == DM and channel["recipient_id"] in self._closed_dms:
            raise ApiError(*CANNOT_DM)
        message = self._new_bot_message(channel_id, body or {}, files)
        self._record("channel_message", message, body or {})
        self._echo(message)
        return 200, message

    async def _get_channel_message(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        return 200, self._stored_in(int(params["channel_id"]), int(params["message_id"]))

    async def _edit_channel_message(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        message = self._stored_in(int(params["channel_id"]), int(params["message_id"]))
        if message["author"]["id"] != self.bot_user["id"]:
            raise ApiError(*NOT_AUTHOR)
        self._apply_edit(message, body or {}, files)
        self._record("edit", message, body or {})
        return 200, message

    async def _delete_channel_message(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        message = self._stored_in(int(params["channel_id"]), int(params["message_id"]))
        del self._stored[int(message["id"])]
        return 204, None

    def _stored_in(self, channel_id: int, message_id: int) -> JsonDict:
        self._channel(channel_id)
        message = self._stored.get(message_id)
        if message is None or int(message["channel_id"]) != channel_id:
            raise ApiError(*UNKNOWN_MESSAGE)
        return message

    # ----------------------------------------------------------------- REST: interactions

    async def _callback(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        interaction = self._interactions_by_id.get(int(params["interaction_id"]))
        if interaction is None or interaction.token != params["token"]:
            raise ApiError(*UNKNOWN_INTERACTION)
        if interaction.response_type is not None:
            raise ApiError(*ALREADY_ACKNOWLEDGED)
        if asyncio.get_running_loop().time() - interaction.created > self.interaction_deadline:
            raise ApiError(*UNKNOWN_INTERACTION)
        body = body or {}
        kind, data = body.get("type"), body.get("data")
        if kind == 8:
            choices = (data or {}).get("choices") or []
            if len(choices) > 25:
                raise _form_error("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            for choice in choices:
                if (
                    not 1 <= len(str(choice.get("name", ""))) <= 100
                    or not 1 <= len(str(choice.get("value", ""))) <= 100
                ):
                    raise _form_error("data.choices", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
        if kind not in _ALLOWED_CALLBACKS.get(interaction.type, set()):
            raise _form_error(
                "type",
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Invalid interaction response type {kind} for this interaction",
            )
        result: JsonDict = {
            "interaction": {
                "id": str(interaction.id),
                "type": interaction.type,
                "response_message_loading": kind == DEFERRED_CHANNEL_MESSAGE,
                "response_message_ephemeral": False,
            }
        }
        message = self._answer_callback(interaction, kind, data or {}, files)
        self.interaction_responses.append(InteractionCallback(interaction.id, kind, data, files))
        interaction.response_type = kind
        if message is not None:
            result["interaction"]["response_message_id"] = message["id"]
            result["interaction"]["response_message_ephemeral"] = bool(message["flags"] & EPHEMERAL)
            result["resource"] = {"type": kind, "message": message}
        return 200, result

    def _answer_callback(
        self, interaction: _Interaction, kind: int, data: JsonDict, files: list[Upload]
    ) -> JsonDict | None:
        if kind == CHANNEL_MESSAGE:
            message = self._interaction_message(interaction, data, files, data.get("flags", 0))
            interaction.original_id = int(message["id"])
            self._record("interaction_response", message, data, interaction.id)
            self._echo(message)
            return message
        if kind == DEFERRED_CHANNEL_MESSAGE:
            interaction.ephemeral_defer = bool(data.get("flags", 0) & EPHEMERAL)
            loading = {"content": "", "flags": LOADING | (data.get("flags", 0) & EPHEMERAL)}
            message = self._interaction_message(interaction, loading, [], loading["flags"], allow_empty=True)
            interaction.original_id = int(message["id"])
            return message
        if kind in (UPDATE_MESSAGE, DEFERRED_UPDATE_MESSAGE):
            # For a component, the "original" response is the message the component sits on.
            interaction.original_id = interaction.message_id
        if kind == UPDATE_MESSAGE:
            message = self._stored[interaction.message_id]  # type: ignore[index]
            self._apply_edit(message, data, files)
            self._record("edit", message, data, interaction.id)
            return message
        return None

    def _interaction_message(
        self, interaction: _Interaction, data: JsonDict, files: list[Upload], flags: int, *, allow_empty: bool = False
    ) -> JsonDict:
        message = self._new_bot_message(interaction.channel_id, data, files, flags=flags, allow_empty=allow_empty)
        message.update(
            type=20 if interaction.type == APPLICATION_COMMAND else 19,
            webhook_id=str(self.application_id),
            application_id=str(self.application_id),
            interaction_metadata={
                "id": str(interaction.id),
                "type": interaction.type,
                "user": self.user(interaction.user_id),
                "authorizing_integration_owners": {},
                "name": interaction.name,
            },
        )
        return message

    def _interaction_for(self, params: dict) -> _Interaction:
        interaction = self._interactions_by_token.get(params["token"])
        if interaction is None or int(params["app_id"]) != self.application_id or interaction.response_type is None:
            raise ApiError(*UNKNOWN_WEBHOOK)
        return interaction

    async def _followup(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        interaction = self._interaction_for(params)
        body = body or {}
        original = self._stored.get(interaction.original_id or 0)
        if original is not None and original["flags"] & LOADING:
            # The first follow-up after a deferral replaces the loading message, and the
            # deferral, not this call, decides whether it is ephemeral.
            self._validate_message(body, files)
            self._apply_edit(original, body, files)
            original["flags"] = EPHEMERAL if interaction.ephemeral_defer else 0
            self._record("followup", original, body, interaction.id)
            self._echo(original)
            return 200, original
        message = self._interaction_message(interaction, body, files, body.get("flags", 0))
        self._record("followup", message, body, interaction.id)
        self._echo(message)
        return 200, message

    def _webhook_message(self, params: dict) -> tuple[_Interaction, JsonDict]:
        interaction = self._interaction_for(params)
        wanted = params["message_id"]
        if wanted == "@original":
            message = self._stored.get(interaction.original_id or 0)
        else:
            message = self._stored.get(int(wanted))
            owner = (message or {}).get("interaction_metadata") or {}
            if owner.get("id") != str(interaction.id):
                message = None
        if message is None:
            raise ApiError(*UNKNOWN_MESSAGE)
        return interaction, message

    async def _get_webhook_message(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        return 200, self._webhook_message(params)[1]

    async def _edit_webhook_message(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        interaction, message = self._webhook_message(params)
        body = body or {}
        self._apply_edit(message, body, files)
        message["flags"] &= ~LOADING
        self._record("edit", message, body, interaction.id)
        return 200, message

    async def _delete_webhook_message(self, params: dict, body: Any, files: list) -> tuple[int, Any]:
        _, message = self._webhook_message(params)
        del self._stored[int(message["id"])]
        return 204, None

    # ----------------------------------------------------------------- messages

    def _new_bot_message(
        self,
        channel_id: int,
        body: JsonDict,
        files: list[Upload],
        *,
        flags: int | None = None,
        allow_empty: bool = False,
    ) -> JsonDict:
        if not allow_empty:
            self._validate_message(body, files)
        message_id = self.snowflake()
        channel = self._channels[channel_id]
        message: JsonDict = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "type": 0,
            "author": self.bot_user,
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "attachments": self._attachments(body, files, []),
            "flags": body.get("flags", 0) if flags is None else flags,
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "pinned": False,
        }
        if channel.get("guild_id"):
            message["guild_id"] = channel["guild_id"]
        self._stored[message_id] = message
        return message

    def _apply_edit(self, message: JsonDict, body: JsonDict, files: list[Upload]) -> None:
        self._validate_message(body, files, editing=True)
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
        if "flags" in body and body["flags"] is not None:
            fixed = EPHEMERAL | LOADING  # an edit cannot change these
            message["flags"] = (message["flags"] & fixed) | (body["flags"] & ~fixed)
        if "attachments" in body or files:
            message["attachments"] = self._attachments(body, files, message["attachments"])
        message["edited_timestamp"] = _now_iso()

    def _attachments(self, body: JsonDict, files: list[Upload], existing: list[JsonDict]) -> list[JsonDict]:
        """New files are matched to payload attachments by index; other ids keep old ones."""
        by_index = {f.id: f for f in files}
        listed = body.get("attachments")
        if listed is None:
            listed = [{"id": f.id, "filename": f.filename} for f in files]
        kept = {a["id"]: a for a in existing}
        result = []
        for entry in listed:
            upload = by_index.get(entry.get("id")) if isinstance(entry.get("id"), int) else None
            if upload is not None:
                upload.filename = entry.get("filename", upload.filename)
                upload.description = entry.get("description")
                result.append(self._store_upload(upload))
            elif str(entry.get("id")) in kept:
                result.append(kept[str(entry["id"])])
        return result

    def _store_upload(self, upload: Upload) -> JsonDict:
        attachment_id = self.snowflake()
        self._uploads[attachment_id] = upload
        url = f"{self.url}/attachments/{attachment_id}/{upload.filename}"
        return {
            "id": str(attachment_id),
            "filename": upload.filename,
            "size": len(upload.content),
            "url": url,
            "proxy_url": url,
            "content_type": upload.content_type,
            "description": upload.description,
        }

    def _validate_message(self, body: JsonDict, files: list[Upload], *, editing: bool = False) -> None:
        content = body.get("content") or ""
        if len(content) > MAX_CONTENT:
            raise _form_error("content", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_CONTENT} or fewer in length.")
        has_body = (
            content
            or body.get("embeds")
            or body.get("components")
            or files
            or body.get("attachments")
            or body.get("sticker_ids")
            or body.get("poll")
        )
        if not editing and not has_body:
            raise ApiError(*EMPTY_MESSAGE)
        embeds = body.get("embeds") or []
        if len(embeds) > MAX_EMBEDS:
            raise _form_error("embeds", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_EMBEDS} or fewer in length.")
        for index, embed in enumerate(embeds):
            if len(embed.get("title") or "") > MAX_EMBED_TITLE:
                raise _form_error(
                    f"embeds.{index}.title", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_EMBED_TITLE} or fewer in length."
                )
            if len(embed.get("description") or "") > MAX_EMBED_DESCRIPTION:
                raise _form_error(
                    f"embeds.{index}.description",
                    "BASE_TYPE_MAX_LENGTH",
                    f"Must be {MAX_EMBED_DESCRIPTION} or fewer in length.",
                )
        self._validate_components(body.get("components") or [], body.get("flags") or 0)

    def _validate_components(self, components: list[JsonDict], flags: int) -> None:
        if flags & COMPONENTS_V2:  # layouts of the newer component system follow other rules
            return
        if len(components) > MAX_ACTION_ROWS:
            raise _form_error("components", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_ACTION_ROWS} or fewer in length.")
        seen: set[str] = set()
        for row_index, row in enumerate(components):
            if row.get("type") != 1 or len(row.get("components", [])) > MAX_ROW_ITEMS:
                raise _form_error(
                    f"components.{row_index}",
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    "The specified component exceeds the maximum width",
                )
            for index, item in enumerate(row["components"]):
                where = f"components.{row_index}.components.{index}"
                custom_id = item.get("custom_id")
                if custom_id is not None:
                    if not 1 <= len(custom_id) <= MAX_CUSTOM_ID:
                        raise _form_error(
                            f"{where}.custom_id",
                            "BASE_TYPE_BAD_LENGTH",
                            f"Must be between 1 and {MAX_CUSTOM_ID} in length.",
                        )
                    if custom_id in seen:
                        raise _form_error(
                            f"{where}.custom_id",
                            "COMPONENT_CUSTOM_ID_DUPLICATED",
                            "Component custom id cannot be duplicated",
                        )
                    seen.add(custom_id)
                if len(item.get("label") or "") > MAX_BUTTON_LABEL:
                    raise _form_error(
                        f"{where}.label", "BASE_TYPE_MAX_LENGTH", f"Must be {MAX_BUTTON_LABEL} or fewer in length."
                    )

    def _record(self, kind: str, message: JsonDict, body: JsonDict, interaction_id: int | None = None) -> SentMessage:
        channel = self._channels[int(message["channel_id"])]
        attachments = [self._uploads[int(a["id"])] for a in message["attachments"] if int(a["id"]) in self._uploads]
        sent = SentMessage(
            kind=kind,
            channel_id=int(message["channel_id"]),
            message_id=int(message["id"]),
            content=message["content"],
            embeds=list(message["embeds"]),
            components=list(message["components"]),
            flags=message["flags"],
            attachments=attachments,
            interaction_id=interaction_id,
            recipient_id=channel.get("recipient_id"),
            guild_id=int(channel["guild_id"]) if channel.get("guild_id") else None,
            payload=body,
        )
        self.messages.append(sent)
        return sent

    def _echo(self, message: JsonDict) -> None:
        """Discord sends a bot its own messages too (not ephemeral ones); bots must ignore them."""
        if message["flags"] & EPHEMERAL:
            return
        if self.echo_bot_messages and self._current is not None and self._current.session_id:
            self._current.dispatch("MESSAGE_CREATE", message)


_ID = r"(?P<{}>\d+)"
_ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    (
        method,
        re.compile(
            pattern.format(
                app=_ID.format("app_id"),
                guild=_ID.format("guild_id"),
                channel=_ID.format("channel_id"),
                message=_ID.format("message_id"),
                user=_ID.format("user_id"),
                interaction=_ID.format("interaction_id"),
                token=r"(?P<token>[^/]+)",
                wmessage=r"(?P<message_id>@original|\d+)",
            )
        ),
        handler,
    )
    for method, pattern, handler in [
        ("GET", "/users/@me", "_get_me"),
        ("GET", "/users/{user}", "_get_user"),
        ("POST", "/users/@me/channels", "_open_dm"),
        ("GET", "/oauth2/applications/@me", "_get_application"),
        ("GET", "/gateway", "_get_gateway"),
        ("GET", "/gateway/bot", "_get_gateway"),
        ("PUT", "/applications/{app}/commands", "_put_commands"),
        ("GET", "/applications/{app}/commands", "_get_commands"),
        ("PUT", "/applications/{app}/guilds/{guild}/commands", "_put_commands"),
        ("GET", "/applications/{app}/guilds/{guild}/commands", "_get_commands"),
        ("GET", "/channels/{channel}", "_get_channel"),
        ("POST", "/channels/{channel}/typing", "_typing"),
        ("POST", "/channels/{channel}/messages", "_send_channel_message"),
        ("GET", "/channels/{channel}/messages/{message}", "_get_channel_message"),
        ("PATCH", "/channels/{channel}/messages/{message}", "_edit_channel_message"),
        ("DELETE", "/channels/{channel}/messages/{message}", "_delete_channel_message"),
        ("POST", "/interactions/{interaction}/{token}/callback", "_callback"),
        ("POST", "/webhooks/{app}/{token}", "_followup"),
        ("GET", "/webhooks/{app}/{token}/messages/{wmessage}", "_get_webhook_message"),
        ("PATCH", "/webhooks/{app}/{token}/messages/{wmessage}", "_edit_webhook_message"),
        ("DELETE", "/webhooks/{app}/{token}/messages/{wmessage}", "_delete_webhook_message"),
    ]
]


@contextlib.contextmanager
def aim_discord_py_at(fake: FakeDiscord) -> Iterator[None]:
    """Points discord.py's REST base and default gateway at the fake, and puts them back after.

    A plain Client dials DiscordWebSocket.DEFAULT_GATEWAY (a yarl.URL) directly; only
    AutoShardedClient asks /gateway/bot, which the fake answers with the same URL.  Interaction
    webhooks use the same Route.BASE, so they follow too."""
    import discord.gateway
    import discord.http
    import yarl

    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway
