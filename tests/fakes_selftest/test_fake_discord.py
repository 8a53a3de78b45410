"""The fake Discord server is only worth trusting if the real discord.py client runs against it
unchanged, so these tests drive it with a real commands.Bot, its CommandTree and a View."""

from __future__ import annotations

import asyncio
import io
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fakes.discord_server import EPHEMERAL, FakeDiscord

pytestmark = pytest.mark.asyncio

USER = FakeDiscord.DEFAULT_USER_ID
OTHER_USER = 100000000000000002
GUILD = 500000000000000001
CHART = b"\x89PNG\r\n\x1a\nnot really a chart"


@dataclass
class Seen:
    """What the bot's handlers saw, so tests can check events arrived intact."""

    dms: list[discord.Message] = field(default_factory=list)
    guild_messages: list[discord.Message] = field(default_factory=list)
    presses: list[int] = field(default_factory=list)
    command_errors: list[Exception] = field(default_factory=list)
    dm_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    guild_message_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    pressed: asyncio.Event = field(default_factory=asyncio.Event)
    errored: asyncio.Event = field(default_factory=asyncio.Event)


class AgainView(discord.ui.View):
    def __init__(self, seen: Seen):
        super().__init__(timeout=60)
        self.seen = seen

    @discord.ui.button(label="Again", custom_id="again", style=discord.ButtonStyle.primary)
    async def again(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.seen.presses.append(interaction.user.id)
        self.seen.pressed.set()
        await interaction.response.send_message("pressed again", ephemeral=True)


def build_bot(seen: Seen, intents: discord.Intents | None = None) -> commands.Bot:
    bot = commands.Bot(command_prefix="!", intents=intents or discord.Intents.default(), guild_ready_timeout=0.1)

    @bot.tree.command(name="ping", description="Check the bot answers")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong", ephemeral=True)

    @bot.tree.command(name="menu", description="Show a button")
    async def menu(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Press it", view=AgainView(seen))

    @bot.tree.command(name="log", description="Log a weight after thinking")
    @app_commands.describe(weight="kilograms")
    async def log(interaction: discord.Interaction, weight: int) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.05)
        await interaction.followup.send(f"logged {weight} kg")

    @bot.tree.command(name="chart", description="Send a chart")
    async def chart(interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            "your chart", file=discord.File(io.BytesIO(CHART), filename="chart.png")
        )

    @bot.tree.command(name="slowpoke", description="Answers too late")
    async def slowpoke(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.4)
        await interaction.response.send_message("too late")

    @bot.tree.error
    async def on_command_error(interaction: discord.Interaction, error: Exception) -> None:
        seen.command_errors.append(getattr(error, "original", error))
        seen.errored.set()

    @bot.event
    async def setup_hook() -> None:
        await bot.tree.sync()

    @bot.event
    async def on_message(message: discord.Message) -> None:
        if message.author.bot:
            return
        if message.guild is None:
            seen.dms.append(message)
            seen.dm_arrived.set()
            await message.channel.send(f"you said: {message.content}")
        else:
            seen.guild_messages.append(message)
            seen.guild_message_arrived.set()

    return bot


@asynccontextmanager
async def running(bot: commands.Bot, fake: FakeDiscord):
    """Starts the bot as production does and proves it shuts down by itself afterwards."""
    async with bot:
        task = asyncio.create_task(bot.start(fake.token))
        try:
            await asyncio.wait_for(bot.wait_until_ready(), 10)
            yield task
        finally:
            await bot.close()
            await asyncio.wait_for(task, 5)


@pytest.fixture
async def fake():
    async with FakeDiscord() as server:
        server.add_guild(GUILD, "Glute Club", members=[USER])
        yield server
        assert not server.errors, "the fake itself failed while serving the bot"


@pytest.fixture
def seen() -> Seen:
    return Seen()


@pytest.fixture
async def bot(fake, seen):
    bot = build_bot(seen)
    async with running(bot, fake):
        yield bot


async def test_bot_logs_in_receives_its_guild_and_syncs_commands(fake, bot):
    calls = [(r.method, r.path) for r in fake.requests]
    assert calls[:2] == [("GET", "/users/@me"), ("GET", "/oauth2/applications/@me")]
    assert bot.user.id == FakeDiscord.BOT_USER_ID
    assert bot.application_id == fake.application_id
    assert [g.name for g in bot.guilds] == ["Glute Club"]
    synced = {c["name"]: c for c in fake.synced_commands[None]}
    assert set(synced) == {"ping", "menu", "log", "chart", "slowpoke"}
    assert synced["log"]["options"][0]["name"] == "weight"
    assert all(c["id"] for c in synced.values())


async def test_ping_gets_an_ephemeral_pong(fake, bot):
    interaction_id = await fake.slash("ping")
    [reply] = await fake.wait_for_messages(interaction_id=interaction_id)
    assert reply.kind == "interaction_response"
    assert reply.content == "pong"
    assert reply.flags & EPHEMERAL and reply.ephemeral
    [callback] = [c for c in fake.interaction_responses if c.interaction_id == interaction_id]
    assert callback.type == 4


async def test_slash_in_a_guild_carries_the_member(fake, bot):
    interaction_id = await fake.slash("ping", guild_id=GUILD)
    [reply] = await fake.wait_for_messages(interaction_id=interaction_id)
    assert reply.content == "pong"
    assert reply.guild_id == GUILD


async def test_dm_reaches_on_message_and_the_reply_is_recorded(fake, bot, seen):
    await fake.user_sends_dm(USER, "hello coach", username="Mia")
    await asyncio.wait_for(seen.dm_arrived.wait(), 10)
    assert seen.dms[0].content == "hello coach"
    assert seen.dms[0].author.id == USER
    assert seen.dms[0].author.name == "Mia"
    [reply] = await fake.wait_for_messages(kind="channel_message", recipient_id=USER)
    assert reply.content == "you said: hello coach"
    assert reply.channel_id == fake.dm_channel_id(USER)
    # The bot's own reply is echoed back over the gateway, as on Discord, and ignored.
    await asyncio.sleep(0.2)
    assert len(fake.messages_to(USER)) == 1


async def test_button_press_reaches_the_view_callback(fake, bot, seen):
    interaction_id = await fake.slash("menu")
    [menu] = await fake.wait_for_messages(interaction_id=interaction_id)
    assert [b["label"] for b in menu.buttons()] == ["Again"]

    press_id = await fake.press_button(menu, label="Again", user_id=OTHER_USER)
    await asyncio.wait_for(seen.pressed.wait(), 10)
    assert seen.presses == [OTHER_USER]
    [answer] = await fake.wait_for_messages(interaction_id=press_id)
    assert answer.content == "pressed again" and answer.ephemeral


async def test_deferred_response_then_follow_up(fake, bot):
    interaction_id = await fake.slash("log", options={"weight": 60})
    [followup] = await fake.wait_for_messages(interaction_id=interaction_id)
    assert [c.type for c in fake.interaction_responses if c.interaction_id == interaction_id] == [5]
    assert followup.kind == "followup"
    assert followup.content == "logged 60 kg"
    assert not followup.ephemeral


async def test_sending_to_a_user_with_closed_dms_raises_forbidden(fake, bot):
    fake.close_dms(OTHER_USER)
    user = await bot.fetch_user(OTHER_USER)
    with pytest.raises(discord.Forbidden) as raised:
        await user.send("your reminder")
    assert raised.value.code == 50007
    assert not fake.messages_to(OTHER_USER)


async def test_attachments_arrive_with_their_bytes(fake, bot):
    user = await bot.fetch_user(USER)
    await user.send("weekly chart", file=discord.File(io.BytesIO(CHART), filename="week.png"))
    [dm] = await fake.wait_for_messages(recipient_id=USER)
    assert dm.content == "weekly chart"
    assert [(a.filename, a.content) for a in dm.attachments] == [("week.png", CHART)]

    interaction_id = await fake.slash("chart")
    [reply] = await fake.wait_for_messages(interaction_id=interaction_id)
    assert [(a.filename, a.content) for a in reply.attachments] == [("chart.png", CHART)]


async def test_a_429_is_waited_out_and_retried(fake, bot):
    fake.fail_next("POST", r"/channels/\d+/messages", status=429, retry_after=0.05)
    user = await bot.fetch_user(USER)
    await user.send("after the limit")
    sends = [r.status for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert sends == [429, 200]
    assert fake.messages[-1].content == "after the limit"


async def test_guild_content_needs_the_intent_unless_the_bot_is_mentioned(fake, bot, seen):
    await fake.user_sends_in_guild(GUILD, "squats today")
    await asyncio.wait_for(seen.guild_message_arrived.wait(), 10)
    assert seen.guild_messages[0].content == ""
    seen.guild_message_arrived.clear()

    await fake.user_sends_in_guild(GUILD, f"<@{FakeDiscord.BOT_USER_ID}> squats today")
    await asyncio.wait_for(seen.guild_message_arrived.wait(), 10)
    assert seen.guild_messages[1].content.endswith("squats today")
    assert seen.guild_messages[1].guild.id == GUILD


async def test_an_answer_after_the_deadline_is_an_unknown_interaction(fake, bot, seen):
    fake.interaction_deadline = 0.2
    await fake.slash("slowpoke")
    await asyncio.wait_for(seen.errored.wait(), 10)
    [error] = seen.command_errors
    assert isinstance(error, discord.NotFound) and error.code == 10062


async def test_the_bot_resumes_after_the_gateway_drops(fake, bot, seen):
    resumed = asyncio.Event()

    async def on_resumed() -> None:
        resumed.set()

    bot.add_listener(on_resumed)
    await fake.disconnect_gateway(4000)
    await asyncio.wait_for(resumed.wait(), 10)
    await fake.user_sends_dm(USER, "still there?")
    [reply] = await fake.wait_for_messages(recipient_id=USER)
    assert seen.dms[-1].content == "still there?"
    assert reply.content == "you said: still there?"


async def test_a_wrong_token_fails_login(fake, seen):
    bot = build_bot(seen)
    async with bot:
        with pytest.raises(discord.LoginFailure):
            await asyncio.wait_for(bot.start("not-the-token"), 10)


async def test_the_bot_shuts_down_cleanly(fake, seen):
    bot = build_bot(seen)
    async with bot:
        task = asyncio.create_task(bot.start(fake.token))
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        await bot.close()
        await asyncio.wait_for(task, 5)
    assert task.exception() is None
    assert bot.is_closed()
    await fake.wait_for(lambda: fake.gateway_connections == 0, timeout=5)


async def test_an_over_long_message_is_refused_like_discord_does(fake, bot):
    user = await bot.fetch_user(USER)
    with pytest.raises(discord.HTTPException) as raised:
        await user.send("x" * 2001)
    assert raised.value.status == 400 and raised.value.code == 50035
    assert not fake.messages


def button_row(count: int, custom_id_length: int = 5, row: int = 0) -> dict:
    return {
        "type": 1,
        "components": [
            {"type": 2, "style": 2, "label": f"B{i}", "custom_id": f"{row}-{i}".ljust(custom_id_length, "x")}
            for i in range(count)
        ],
    }


async def test_components_discord_refuses_are_refused(fake, bot):
    """Raw payloads, because discord.py's View already refuses these before sending."""
    channel = await (await bot.fetch_user(USER)).create_dm()
    route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel.id)
    refused = {
        "a row of six buttons": [button_row(6)],
        "six rows": [button_row(1, row=r) for r in range(6)],
        "a custom_id of 101 characters": [button_row(1, custom_id_length=101)],
    }
    for what, components in refused.items():
        with pytest.raises(discord.HTTPException) as raised:
            await bot.http.request(route, json={"content": "pick", "components": components})
        assert raised.value.status == 400 and raised.value.code == 50035, what
    await bot.http.request(route, json={"content": "pick", "components": [button_row(5, 100, r) for r in range(5)]})
    assert len(fake.messages) == 1


async def test_editing_a_message_that_does_not_exist_is_unknown_message(fake, bot):
    channel = await (await bot.fetch_user(USER)).create_dm()
    sent = await channel.send("hello")
    await sent.delete()
    with pytest.raises(discord.NotFound) as raised:
        await channel.get_partial_message(sent.id).edit(content="edited")
    assert raised.value.code == 10008


async def test_autocomplete_answers_are_checked_like_discord_does(fake, seen):
    bot = build_bot(seen)

    async def suggest(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f"{current} {i}", value=f"{current}{i}") for i in range(int(current))]

    @bot.tree.command(name="pick", description="Pick a number")
    @app_commands.autocomplete(number=suggest)
    async def pick(interaction: discord.Interaction, number: str) -> None:
        await interaction.response.send_message(number)

    async with running(bot, fake):
        assert [c["value"] for c in await fake.autocomplete("pick", "number", "3")] == ["30", "31", "32"]
        with pytest.raises(TimeoutError):  # 26 suggestions: Discord refuses the answer, the user sees none
            await fake.autocomplete("pick", "number", "26", timeout=1)


async def test_stopping_the_fake_first_does_not_hang_the_bot(seen):
    fake = FakeDiscord()
    await fake.start()
    bot = build_bot(seen)
    async with bot:
        task = asyncio.create_task(bot.start(fake.token))
        await asyncio.wait_for(bot.wait_until_ready(), 10)
        await asyncio.wait_for(fake.stop(), 5)
        await bot.close()
        await asyncio.wait_for(task, 5)
    assert bot.is_closed()
