"""Discord adapter on discord.py: slash commands, DMs and buttons in, core replies out.

The bot runs in the shared asyncio loop (`async with bot: await bot.start(token)` in a
task). Slash commands are derived from the core's declarations. Every interaction is
deferred first, so slow work never misses Discord's 3-second deadline. In servers,
personal replies are ephemeral; in DMs any message is for the coach (DMs carry their
content without the privileged message-content intent).
"""

import asyncio
import logging
from typing import Optional

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.adapters.base import RateLimited, Unreachable
from bot.adapters.discord_render import messages
from core.coach import Coach, split_command
from core.commands import CommandSpec, all_commands, find
from core.domain import Incoming, Reply

log = logging.getLogger(__name__)

PLATFORM = "discord"
CANNOT_DM = 50007
READY_TIMEOUT = 60.0


class DiscordStartError(SystemExit):
    """Start-up failed in a way only the operator can fix; the message says how."""


class DiscordAdapter:
    platform = PLATFORM

    def __init__(self, coach: Coach, store, token: str, *, guild_id: int | None = None,
                 guild_ready_timeout: float = 2.0) -> None:
        self.coach, self.store, self._token, self.guild_id = coach, store, token, guild_id
        intents = discord.Intents.default()  # no privileged intents: DMs and interactions are enough
        self.bot = commands.Bot(command_prefix=commands.when_mentioned, intents=intents, help_command=None,
                                guild_ready_timeout=guild_ready_timeout)
        self.bot.setup_hook = self._setup_hook
        self.bot.add_listener(self._on_message, "on_message")
        self.bot.add_listener(self._on_message_edit, "on_message_edit")
        self.bot.add_listener(self._on_interaction, "on_interaction")
        self.fatal = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._locks: dict[str, asyncio.Lock] = {}

    @classmethod
    def from_settings(cls, settings, coach: Coach, store) -> "DiscordAdapter":
        if settings.discord_api_base:
            discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
        if settings.discord_gateway_url:
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)
        return cls(coach, store, settings.discord_token.get_secret_value(), guild_id=settings.discord_guild_id)

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
            raise DiscordStartError(f"Glute Up cannot start: Discord did not become ready in {READY_TIMEOUT:g} s: "
                                    "check the network, and DISCORD_API_BASE / DISCORD_GATEWAY_URL if set.")
        log.info("discord: logged in as %s", self.bot.user)

    async def _run(self) -> None:
        try:
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
        """Register one slash command per declaration, then sync (instantly to one guild if set)."""
        for spec in all_commands():
            self.bot.tree.add_command(self._slash(spec))
        if self.guild_id:
            guild = discord.Object(id=self.guild_id)
            self.bot.tree.copy_global_to(guild=guild)
            await self.bot.tree.sync(guild=guild)
        else:
            await self.bot.tree.sync()

    def _slash(self, spec: CommandSpec) -> app_commands.Command:
        adapter = self

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

    # ---- incoming --------------------------------------------------------------------------

    async def _on_interaction(self, interaction: discord.Interaction) -> None:
        """Button presses: the custom id is the command the button stands for."""
        if interaction.type == discord.InteractionType.component:
            custom_id = (interaction.data or {}).get("custom_id", "")
            if custom_id.startswith("/"):
                await self._run_interaction(interaction, custom_id)

    async def _run_interaction(self, interaction: discord.Interaction, text: str) -> None:
        """Defer at once (Discord's 3-second deadline), then answer with follow-ups. In a server,
        commands declared personal answer ephemerally: only the person sees them."""
        in_dm = interaction.guild_id is None
        parts = split_command(text)
        spec = find(parts[0]) if parts else None
        private = not in_dm and (spec is None or spec.personal)
        await interaction.response.defer(ephemeral=private, thinking=True)
        user = interaction.user
        incoming = Incoming(PLATFORM, str(user.id), str(user.id), text, user.display_name,
                            message_key=f"dc:{interaction.id}", is_private=in_dm)
        for reply in await self._handle(incoming):
            for send in messages(reply):
                await interaction.followup.send(ephemeral=private or (not in_dm and reply.private), **send)

    async def _on_message(self, message: discord.Message, *, edited: bool = False) -> None:
        if message.author.bot or not isinstance(message.channel, discord.DMChannel):
            return
        incoming = Incoming(PLATFORM, str(message.author.id), str(message.author.id), message.content,
                            message.author.display_name, message_key=f"dc:{message.id}", edited=edited,
                            is_private=True)
        for reply in await self._handle(incoming):
            for send in messages(reply):
                await message.channel.send(**send)

    async def _on_message_edit(self, before: discord.Message, after: discord.Message) -> None:
        """An edited DM updates the log it made (Discord also sends updates that change no text)."""
        if before.content != after.content:
            await self._on_message(after, edited=True)

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        """One person's messages are handled in order."""
        lock = self._locks.setdefault(incoming.user_id, asyncio.Lock())
        async with lock:
            return await self.coach.handle(incoming)

    # ---- outgoing ----------------------------------------------------------------------------

    async def push(self, chat_id: str, replies: list[Reply]) -> None:
        """A scheduled DM; closed DMs raise Unreachable (discord.py itself waits out ordinary 429s)."""
        try:
            channel = await self.bot.create_dm(discord.Object(id=int(chat_id)))
            for reply in replies:
                for send in messages(reply):
                    await channel.send(**send)
        except discord.Forbidden as error:
            if error.code == CANNOT_DM:
                raise Unreachable(str(error)) from None
            raise
        except discord.HTTPException as error:
            if error.status == 429:
                raise RateLimited(5.0) from None
            raise
