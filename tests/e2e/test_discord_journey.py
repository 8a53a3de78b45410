"""The Discord adapter through the real discord.py client and the fake Discord on 127.0.0.1."""

import pytest

from bot.adapters.base import Unreachable
from bot.adapters.discord_bot import DiscordAdapter
from core.commands import all_commands
from core.domain import Reply
from tests.fakes.discord_server import FakeDiscord

USER = FakeDiscord.DEFAULT_USER_ID
GUILD = 500_000_000_000_000_001


@pytest.fixture
async def discord_bot(app):
    async with FakeDiscord() as fake:
        fake.add_guild(GUILD)
        adapter = DiscordAdapter(app.coach, app.store, fake.token, guild_ready_timeout=0.1)
        await adapter.start()
        try:
            yield fake, adapter
        finally:
            await adapter.stop()


def text_of(message) -> str:
    return message.content + "".join(f"\n{e.get('title', '')}\n{e.get('description', '')}" for e in message.embeds)


async def answer(fake, interaction_id):
    [reply] = await fake.wait_for_messages(1, kind="followup", interaction_id=interaction_id)
    return reply


def global_commands(fake) -> list[dict]:
    calls = [r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
    return calls[-1].json


async def test_slash_commands_are_synced_from_the_declarations(discord_bot):
    fake, _ = discord_bot
    commands = global_commands(fake)
    assert [c["name"] for c in commands] == [spec.name for spec in all_commands()]
    log = next(c for c in commands if c["name"] == "log")
    assert log["options"][0]["name"] == "args" and not log["options"][0]["required"]


async def test_slash_today_in_a_server_is_answered_privately(discord_bot):
    fake, _ = discord_bot
    reply = await answer(fake, await fake.slash("today", {"args": "train"}, guild_id=GUILD))
    assert reply.ephemeral
    assert reply.embeds and "Main lifts" in reply.embeds[0]["description"]


async def test_help_in_a_server_is_public(discord_bot):
    fake, _ = discord_bot
    reply = await answer(fake, await fake.slash("help", guild_id=GUILD))
    assert not reply.ephemeral and "/today" in text_of(reply)


async def test_start_then_a_button_choice(discord_bot):
    fake, _ = discord_bot
    question = await answer(fake, await fake.slash("start"))
    assert "How long have you been lifting?" in text_of(question)
    reply = await answer(fake, await fake.press_button(question, label="New to lifting"))
    assert "Where do you train?" in text_of(reply)


async def test_a_dm_set_log_is_stored_and_echoed(discord_bot):
    fake, _ = discord_bot
    before = len(fake.messages)
    await fake.user_sends_dm(USER, "hip thrust 3x10 @ 60kg")
    [reply] = await fake.wait_for_messages(1, after=before, kind="channel_message")
    assert "✓ Barbell hip thrust: 3 x 10 @ 60 kg" in reply.content
    history = await answer(fake, await fake.slash("history"))
    assert "Barbell hip thrust 3 x 10 @ 60 kg" in text_of(history)


async def test_a_closed_dm_user_is_unreachable_for_scheduled_sends(discord_bot):
    fake, adapter = discord_bot
    fake.close_dms(USER)
    with pytest.raises(Unreachable):
        await adapter.push(str(USER), [Reply("Time to train!")])


async def test_long_replies_are_split_under_2000_characters(discord_bot):
    fake, adapter = discord_bot
    before = len(fake.messages)
    await adapter.push(str(USER), [Reply("\n".join(f"line {i} of a long history" for i in range(300)))])
    sent = [m for m in fake.messages[before:] if m.kind == "channel_message"]
    assert len(sent) >= 3 and all(len(m.content) <= 2000 for m in sent)
    assert "line 299" in sent[-1].content


async def test_a_429_is_honoured_and_the_message_still_arrives(discord_bot):
    fake, adapter = discord_bot
    fake.fail_next("POST", r"/channels/\d+/messages", retry_after=0.3)
    before = len(fake.messages)
    await adapter.push(str(USER), [Reply("Time to train!")])
    [sent] = await fake.wait_for_messages(1, after=before, kind="channel_message")
    assert sent.content == "Time to train!"
    attempts = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert len(attempts) >= 2


async def test_a_chart_arrives_as_an_attachment(discord_bot):
    fake, _ = discord_bot
    for load in (60, 65):
        before = len(fake.messages)
        await fake.user_sends_dm(USER, f"hip thrust 3x10 @ {load}kg")
        await fake.wait_for_messages(1, after=before, kind="channel_message")
    reply = await answer(fake, await fake.slash("progress", {"args": "hip thrust"}))
    assert reply.attachments and reply.attachments[0].filename.endswith(".png")
    assert reply.attachments[0].content.startswith(b"\x89PNG")


async def test_gluteup_run_wiring_starts_discord_from_settings(app, settings, monkeypatch):
    """DISCORD_TOKEN plus DISCORD_API_BASE / DISCORD_GATEWAY_URL is all `gluteup run` needs."""
    import discord
    from pydantic import SecretStr

    from bot.app import platform_adapters

    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    async with FakeDiscord(aim_client=False) as fake:
        app.settings = settings.model_copy(update={"discord_token": SecretStr(fake.token),
                                                   "discord_api_base": fake.api_base,
                                                   "discord_gateway_url": fake.gateway_url})
        [adapter] = platform_adapters(app)
        await adapter.start()
        try:
            reply = await answer(fake, await fake.slash("help"))
            assert "/today" in text_of(reply)
        finally:
            await adapter.stop()


async def test_week_and_export_through_discord(discord_bot):
    fake, _ = discord_bot
    before = len(fake.messages)
    await fake.user_sends_dm(USER, "hip thrust 3x10 @ 60kg")
    await fake.wait_for_messages(1, after=before, kind="channel_message")
    week = await answer(fake, await fake.slash("week"))
    assert "Hard glute sets: 3" in text_of(week)
    export = await answer(fake, await fake.slash("export"))
    [csv] = export.attachments
    assert csv.filename.endswith(".csv")
    rows = csv.content.decode().splitlines()
    assert rows[0].startswith("Date,Workout Name,Exercise Name,Set Order,Weight,Weight Unit,Reps")
    assert len(rows) == 4 and "Barbell hip thrust" in rows[1]


async def test_an_edited_dm_updates_its_log(discord_bot):
    fake, _ = discord_bot
    before = len(fake.messages)
    message_id = await fake.user_sends_dm(USER, "hip thrust 3x10 @ 60kg")
    await fake.wait_for_messages(1, after=before, kind="channel_message")
    before = len(fake.messages)
    await fake.user_edits_dm(message_id, "hip thrust 3x8 @ 70kg")
    [updated] = await fake.wait_for_messages(1, after=before, kind="channel_message")
    assert "Updated" in updated.content and "3 x 8 @ 70 kg" in updated.content
    history = await answer(fake, await fake.slash("history"))
    assert "70 kg" in text_of(history) and "60 kg" not in text_of(history)
