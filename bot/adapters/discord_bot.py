"""Discord adapter on discord.py: slash commands, DMs and buttons in, core replies out.

The bot runs in the shared asyncio loop (`async with bot: await bot.start(token)` in a
task). Slash commands, their typed options and choices are derived from the core's
declarations, and synced only when they differ from what Discord has. Every interaction
is deferred first, so slow work never misses Discord's 3-second deadline. A button press
updates the message it sits on. In servers, personal replies are ephemeral; in DMs any
message is for the coach (DMs carry their content without the privileged intent).
"""

import asyncio
import contextlib
import hashlib
import inspect
import json
import logging
from typing import Any, Callable, Coroutine, Iterator, Mapping, Optional, Sequence

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.adapters.base import NON_TEXT_ANSWER, RateLimited, Unreachable
from bot.adapters.discord_render import MAX_CONTENT, MAX_EMBED_DESCRIPTION, ChoiceKeys, choice_items, messages
from bot.adapters.turns import UserTurns
from core.choices import fixed_choices, suggestions, suggests
from core.coach import Coach, split_command
from core.commands import CommandSpec, Option, all_commands, find
from core.domain import Incoming, Reply

log = logging.getLogger(__name__)

PLATFORM = "discord"
CANNOT_DM = 50007
READY_TIMEOUT = 60.0
EXPIRED_BUTTON = "That button has expired. Send /today or /help to carry on."
COMMAND_FAILED = "Sorry, that did not work on my side. Please try again in a moment."


@contextlib.contextmanager
def endpoints(api_base: str | None, gateway_url: str | None) -> Iterator[None]:
    """discord.py reads its REST base and gateway from class attributes; point them elsewhere
    (a proxy, a test server) only while this bot runs, and put them back after."""
    import discord.gateway
    import discord.http

    old_base, old_gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    if api_base:
        discord.http.Route.BASE = api_base.rstrip("/")
    if gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


def fingerprint(commands_json: Sequence[Mapping[str, Any]]) -> str:
    """What users see of the commands, normalised the way Discord stores them, hashed."""

    def option(o: dict) -> dict:
        return {
            "name": o["name"],
            "type": o["type"],
            "description": o.get("description", ""),
            "required": bool(o.get("required", False)),
            "autocomplete": bool(o.get("autocomplete", False)),
            "choices": [[c["name"], c["value"]] for c in o.get("choices") or []],
            "options": [option(child) for child in o.get("options") or []],
        }

    shown = sorted((option({**c, "type": c.get("type", 1)}) for c in commands_json), key=lambda c: c["name"])
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()


class DiscordStartError(SystemExit):
    """Start-up failed in a way only the operator can fix; the message says how."""


class DiscordAdapter:
    platform = PLATFORM

    def __init__(
        self,
        coach: Coach,
        token: str,
        *,
        guild_id: int | None = None,
        guild_ready_timeout: float = 2.0,
        api_base: str | None = None,
        gateway_url: str | None = None,
    ) -> None:
        self.coach, self._token, self.guild_id = coach, token, guild_id
        self._endpoints = (api_base, gateway_url)
        self.keys = ChoiceKeys()
        self.items = choice_items(self._on_choice)
        self.synced = False  # whether the last start had to sync the slash commands
        intents = discord.Intents.default()  # no privileged intents: DMs and interactions are enough
        self.bot = commands.Bot(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            guild_ready_timeout=guild_ready_timeout,
        )
        self.bot.setup_hook = self._setup_hook  # type: ignore[method-assign]  # the adapter composes a Bot, not a subclass
        self.bot.add_listener(self._on_message, "on_message")
        self.bot.add_listener(self._on_message_edit, "on_message_edit")
        self.fatal = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._user_turns = UserTurns()

    @classmethod
    def from_settings(cls, settings, coach: Coach) -> "DiscordAdapter":
        return cls(
            coach,
            settings.discord_token.get_secret_value(),
            guild_id=settings.discord_guild_id,
            api_base=settings.discord_api_base,
            gateway_url=settings.discord_gateway_url,
        )

    # ---- lifecycle --------------------------------------------------------------------

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="discord")
        ready = asyncio.create_task(self.bot.wait_until_ready())
        done, _ = await asyncio.wait({ready, self._task}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED)
        if self._task in done:
            ready.cancel()
            if isinstance(self._task.exception(), discord.LoginFailure):
                raise DiscordStartError("Glute Up cannot start: Discord refused the token: check DISCORD_TOKEN.")
            self._task.result()
        if ready not in done:
            ready.cancel()
            raise DiscordStartError(
                f"Glute Up cannot start: Discord did not become ready in {READY_TIMEOUT:g} s: "
                "check the network, and DISCORD_API_BASE / DISCORD_GATEWAY_URL if set."
            )
        log.info("discord: logged in as %s", self.bot.user)

    async def _run(self) -> None:
        try:
            with endpoints(*self._endpoints):
                async with self.bot:
                    await self.bot.start(self._token)
        except discord.LoginFailure:
            self.fatal.set()  # start() turns it into one line for the operator
            raise

    async def stop(self) -> None:
        await self.bot.close()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)

    async def _setup_hook(self) -> None:
        """Register one slash command per declaration and the button handlers, then sync
        (instantly to one guild if set) unless Discord already has exactly these commands."""
        self.bot.add_dynamic_items(*self.items)
        self.bot.tree.error(self._on_app_command_error)
        for spec in all_commands():
            self.bot.tree.add_command(self._slash(spec))
        guild = discord.Object(id=self.guild_id) if self.guild_id else None
        if guild is not None:
            self.bot.tree.copy_global_to(guild=guild)
        local = [command.to_dict(self.bot.tree) for command in self.bot.tree.get_commands(guild=guild)]
        app_id = self.bot.application_id
        if app_id is None:  # set by login, which start() runs before this hook
            raise RuntimeError("discord: no application id after login")
        remote = await (
            self.bot.http.get_guild_commands(app_id, guild.id) if guild else self.bot.http.get_global_commands(app_id)
        )
        self.synced = fingerprint(local) != fingerprint(remote)
        if self.synced:
            await self.bot.tree.sync(guild=guild)
            log.info("discord: slash commands changed, synced %d", len(local))

    def _slash(self, spec: CommandSpec) -> app_commands.Command:
        adapter = self
        callback: Callable[..., Coroutine[Any, Any, None]]

        if spec.options:
            return self._typed_slash(spec)
        if spec.syntax:

            @app_commands.describe(args=spec.syntax[:100])
            async def with_args(interaction: discord.Interaction, args: Optional[str] = None) -> None:
                await adapter._run_interaction(interaction, f"/{spec.name} {args or ''}".strip())

            callback = with_args
        else:

            async def without_args(interaction: discord.Interaction) -> None:
                await adapter._run_interaction(interaction, f"/{spec.name}")

            callback = without_args
        return app_commands.Command(name=spec.name, description=spec.summary[:100], callback=callback)

    def _typed_slash(self, spec: CommandSpec) -> app_commands.Command:
        """One string option per declared option: fixed choices where the list is closed,
        autocomplete where it is open; the values join into the command's text."""
        adapter, library = self, self.coach.library

        async def callback(interaction: discord.Interaction, **values: Optional[str]) -> None:
            await adapter._run_interaction(interaction, spec.text_for(values))

        ordered = sorted(spec.options, key=lambda o: not o.required)  # Discord wants required ones first
        callback.__signature__ = inspect.Signature(  # type: ignore[attr-defined]  # discord.py reads the options here
            [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction)]
            + [
                inspect.Parameter(
                    o.name,
                    inspect.Parameter.KEYWORD_ONLY,
                    annotation=str if o.required else Optional[str],
                    default=inspect.Parameter.empty if o.required else None,
                )
                for o in ordered
            ]
        )
        described = app_commands.describe(**{o.name: o.description[:100] for o in spec.options})(callback)
        fixed = {o.name: fixed_choices(o, library) for o in spec.options}
        closed = {
            name: [app_commands.Choice(name=label, value=value) for label, value in found]
            for name, found in fixed.items()
            if found is not None
        }
        if closed:
            described = app_commands.choices(**closed)(described)
        open_ = {o.name: self._suggester(o, library) for o in spec.options if o.name not in closed and suggests(o)}
        if open_:
            described = app_commands.autocomplete(**open_)(described)
        return app_commands.Command(name=spec.name, description=spec.summary[:100], callback=described)

    @staticmethod
    def _suggester(option: Option, library):
        async def suggest(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            return [
                app_commands.Choice(name=label, value=value) for label, value in suggestions(option, current, library)
            ]

        return suggest

    async def _on_app_command_error(self, interaction: discord.Interaction, error: Exception) -> None:
        """Whatever failed, the person hears it instead of a spinner that never ends."""
        log.error("discord: /%s failed", getattr(interaction.command, "name", "?"), exc_info=error)
        try:
            if interaction.response.is_done():
                await interaction.followup.send(COMMAND_FAILED, ephemeral=True)
            else:
                await interaction.response.send_message(COMMAND_FAILED, ephemeral=True)
        except discord.HTTPException:
            log.warning("discord: could not tell the person that /%s failed", getattr(interaction.command, "name", "?"))

    # ---- incoming --------------------------------------------------------------------------

    async def _on_choice(self, interaction: discord.Interaction, data: str, label: str) -> None:
        """A button press or menu pick; a failure is answered like a failed slash command."""
        try:
            await self._answer_choice(interaction, data, label)
        except Exception as error:  # noqa: BLE001 - the person must hear about it, whatever it was
            await self._on_app_command_error(interaction, error)

    async def _answer_choice(self, interaction: discord.Interaction, data: str, label: str) -> None:
        """The answer replaces the message the choice was on when that message is the person's
        own (DM or ephemeral), with the choice marked; otherwise the choice is marked there,
        its components removed, and the answer follows."""
        command = self.keys.command_for(data)
        if command is None:
            await interaction.response.send_message(EXPIRED_BUTTON, ephemeral=True)
            return
        in_dm = interaction.guild_id is None
        message = interaction.message
        own = in_dm or (message is not None and message.flags.ephemeral)
        private = _ephemeral(command, in_dm)
        if own:
            await interaction.response.defer()  # a deferred update of the message the choice is on
        else:
            await interaction.response.defer(ephemeral=private, thinking=True)
        replies = await self._handle(_incoming(interaction, command))
        if own and replies:
            first = messages(replies[0], self.keys, self.items)
            if len(first) == 1 and "file" not in first[0]:
                send = first[0]
                mark = f"✓ {label}\n\n" if label and not replies[0].text.startswith("✓") else ""
                if "embed" in send and len(mark + (send["embed"].description or "")) <= MAX_EMBED_DESCRIPTION:
                    send["embed"].description = mark + (send["embed"].description or "")
                elif "content" in send and len(mark + send["content"]) <= MAX_CONTENT:
                    send["content"] = mark + send["content"]
                await interaction.edit_original_response(
                    content=send.get("content"),
                    embeds=[send["embed"]] if "embed" in send else [],
                    view=send.get("view"),
                )
                replies = replies[1:]
            else:
                await self._mark_choice(interaction, label)
        for reply in replies:
            for send in messages(reply, self.keys, self.items):
                await interaction.followup.send(ephemeral=private or (not in_dm and reply.private), **send)

    @staticmethod
    async def _mark_choice(interaction: discord.Interaction, label: str) -> None:
        message, mark = interaction.message, f"\n\n✓ {label}" if label else ""
        if message is None:
            return
        if message.embeds:
            embed = message.embeds[0].copy()
            if len((embed.description or "") + mark) <= MAX_EMBED_DESCRIPTION:
                embed.description = (embed.description or "") + mark
            await interaction.edit_original_response(embeds=[embed, *message.embeds[1:]], view=None)
        else:
            content = message.content + mark if len(message.content + mark) <= MAX_CONTENT else message.content
            await interaction.edit_original_response(content=content or None, view=None)

    async def _run_interaction(self, interaction: discord.Interaction, text: str) -> None:
        """Defer at once (Discord's 3-second deadline), then answer with follow-ups. In a server,
        commands declared personal answer ephemerally: only the person sees them."""
        in_dm = interaction.guild_id is None
        private = _ephemeral(text, in_dm)
        await interaction.response.defer(ephemeral=private, thinking=True)
        for reply in await self._handle(_incoming(interaction, text)):
            for send in messages(reply, self.keys, self.items):
                await interaction.followup.send(ephemeral=private or (not in_dm and reply.private), **send)

    async def _on_message(self, message: discord.Message, *, edited: bool = False) -> None:
        if message.author.bot or not isinstance(message.channel, discord.DMChannel):
            return
        if not message.content.strip():  # a picture or sticker alone
            await message.channel.send(content=NON_TEXT_ANSWER)
            return
        incoming = Incoming(
            PLATFORM,
            str(message.author.id),
            str(message.author.id),
            message.content,
            message.author.display_name,
            message_key=f"dc:{message.id}",
            edited=edited,
            is_private=True,
        )
        for reply in await self._handle(incoming):
            for send in messages(reply, self.keys, self.items):
                await message.channel.send(**send)

    async def _on_message_edit(self, before: discord.Message, after: discord.Message) -> None:
        """An edited DM updates the log it made (Discord also sends updates that change no text)."""
        if before.content != after.content:
            await self._on_message(after, edited=True)

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        """One person's messages are handled in order (bot.adapters.turns)."""
        async with self._user_turns.turn(incoming.user_id):
            return await self.coach.handle(incoming)

    # ---- outgoing ----------------------------------------------------------------------------

    async def push(self, chat_id: str, replies: list[Reply]) -> None:
        """A scheduled DM; closed DMs raise Unreachable (discord.py itself waits out ordinary 429s)."""
        try:
            channel = await self.bot.create_dm(discord.Object(id=int(chat_id)))
            for reply in replies:
                for send in messages(reply, self.keys, self.items):
                    await channel.send(**send)
        except discord.Forbidden as error:
            if error.code == CANNOT_DM:
                raise Unreachable(str(error)) from None
            raise
        except discord.HTTPException as error:
            if error.status == 429:
                raise RateLimited(5.0) from None
            raise


def _incoming(interaction: discord.Interaction, text: str) -> Incoming:
    """A slash command or a pressed choice, as the coach reads it (keyed by the interaction)."""
    user = interaction.user
    return Incoming(
        PLATFORM,
        str(user.id),
        str(user.id),
        text,
        user.display_name,
        message_key=f"dc:{interaction.id}",
        is_private=interaction.guild_id is None,
    )


def _ephemeral(command: str, in_dm: bool) -> bool:
    """In a server, commands declared personal (and unknown ones) answer so only the person sees them."""
    parts = split_command(command)
    spec = find(parts[0]) if parts else None
    return not in_dm and (spec is None or spec.personal)
