"""The Discord adapter through the real discord.py client and the fake Discord on 127.0.0.1."""

import discord
import pytest

from bot.adapters.base import Unreachable
from bot.adapters.discord_bot import COMMAND_FAILED, DiscordAdapter
from core.commands import all_commands
from core.domain import Button, Reply
from tests.fakes.discord_server import FakeDiscord

USER = FakeDiscord.DEFAULT_USER_ID
GUILD = 500_000_000_000_000_001


@pytest.fixture
async def discord_bot(app):
    async with FakeDiscord() as fake:
        fake.add_guild(GUILD)
        adapter = DiscordAdapter(app.coach, fake.token, guild_ready_timeout=0.1)
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
    options = {c["name"]: {o["name"]: o for o in c.get("options", [])} for c in commands}
    assert options["log"]["exercise"]["autocomplete"] and options["log"]["exercise"]["required"]
    assert options["log"]["sets"]["required"]
    assert options["tz"]["zone"]["autocomplete"] and options["remind"]["time"]["autocomplete"]
    assert options["history"]["exercise"]["autocomplete"] and options["progress"]["exercise"]["autocomplete"]
    assert [c["value"] for c in options["pain"]["level"]["choices"]] == ["mild", "moderate", "severe"]
    assert options["pain"]["area"]["autocomplete"] and options["days"]["days"]["autocomplete"]
    assert [c["value"] for c in options["units"]["units"]["choices"]] == ["kg", "lb"]
    assert {c["value"] for c in options["program"]["program"]["choices"]} >= {"gym_2x", "home_2x"}
    free_text = [c["name"] for c in commands if [o["name"] for o in c.get("options", [])] == ["args"]]
    assert set(free_text) <= {"start", "gluteup"}  # everything else has typed options


async def test_autocomplete_offers_exercises_zones_times_and_areas(discord_bot):
    fake, _ = discord_bot
    exercises = [c["value"] for c in await fake.autocomplete("log", "exercise", "hip thr")]
    assert "Barbell hip thrust" in exercises and len(exercises) <= 25
    assert "Bulgarian split squat" in [c["value"] for c in await fake.autocomplete("history", "exercise", "bss")]
    assert [c["value"] for c in await fake.autocomplete("tz", "zone", "berl")] == ["Europe/Berlin"]
    assert "UTC" in [c["value"] for c in await fake.autocomplete("tz", "zone", "")]
    assert "07:30" in [c["value"] for c in await fake.autocomplete("remind", "time", "07")]
    assert "lower_back" in [c["value"] for c in await fake.autocomplete("pain", "area", "back")]


async def test_typed_options_become_the_command_text(discord_bot):
    fake, _ = discord_bot
    logged = await answer(fake, await fake.slash("log", {"exercise": "Barbell hip thrust", "sets": "3x10 @ 60kg"}))
    assert "✓ Barbell hip thrust: 3 x 10 @ 60 kg" in text_of(logged)
    units = await answer(fake, await fake.slash("units", {"units": "lb"}))
    assert "lb" in text_of(units)
    zone = await answer(fake, await fake.slash("tz", {"zone": "Europe/Berlin"}))
    assert "Europe/Berlin" in text_of(zone)
    pain = await answer(fake, await fake.slash("pain", {"area": "knee", "level": "mild"}))
    assert "knee" in text_of(pain).lower()
    with pytest.raises(ValueError):  # the Discord client only offers the declared choices
        await fake.slash("units", {"units": "stone"})


async def test_slash_today_in_a_server_is_answered_privately(discord_bot):
    fake, _ = discord_bot
    reply = await answer(fake, await fake.slash("today", {"show": "train"}, guild_id=GUILD))
    assert reply.ephemeral
    assert reply.embeds and "Main lifts" in reply.embeds[0]["description"]


async def test_help_in_a_server_is_public(discord_bot):
    fake, _ = discord_bot
    reply = await answer(fake, await fake.slash("help", guild_id=GUILD))
    assert not reply.ephemeral and "/today" in text_of(reply)


async def pressed(fake, message, label):
    """Press a button; the answer is the message it was on, updated in place."""
    interaction_id = await fake.press_button(message, label=label)
    [edit] = await fake.wait_for_messages(1, kind="edit", interaction_id=interaction_id)
    return edit


async def test_a_button_press_updates_the_message_it_is_on(discord_bot):
    fake, _ = discord_bot
    question = await answer(fake, await fake.slash("start"))
    assert "How long have you been lifting?" in text_of(question)
    reply = await pressed(fake, question, "New to lifting")
    assert reply.message_id == question.message_id
    assert "✓ Experience: new to lifting" in text_of(reply) and "Where do you train?" in text_of(reply)
    assert [b["label"] for b in reply.buttons()] == ["A gym", "Home, with bands and bodyweight"]
    assert not [m for m in fake.messages if m.kind == "followup" and m.message_id != question.message_id]


async def test_onboarding_keeps_every_time_zone_button(discord_bot):
    """Six one-button rows used to lose the sixth (UTC): they are reflowed, never dropped."""
    fake, _ = discord_bot
    step = await answer(fake, await fake.slash("start"))
    for label in ("New to lifting", "A gym", "Full gym", "Mon, Thu"):
        step = await pressed(fake, step, label)
    assert "time zone" in text_of(step)
    assert "UTC" in [b["label"] for b in step.buttons()]
    step = await pressed(fake, step, "UTC")
    assert "Time zone: UTC" in text_of(step)


async def test_long_choices_are_never_cut(discord_bot):
    fake, adapter = discord_bot
    long_command = (
        "/log custom Paused Bulgarian split squat with a long hold each leg 3x8 @ 20kg rpe 8.5 felt strong today"
    )
    assert len(long_command) > 100
    zones = [Button(f"Zone {i}", f"/tz Etc/GMT+{i}") for i in range(30)]
    before = len(fake.messages)
    await adapter.push(
        str(USER),
        [Reply("Log this?").with_buttons([[Button("Log it", long_command)]]), Reply("Pick one").with_buttons([zones])],
    )
    offer, menu = await fake.wait_for_messages(2, after=before, kind="channel_message")
    [button] = offer.buttons()
    assert len(button["custom_id"]) <= 100  # a short key stands for the long command
    selects = [c for row in menu.components for c in row["components"] if c["type"] == 3]
    assert sum(len(s["options"]) for s in selects) == 30  # one 30-button row became menus: nothing dropped
    before = len(fake.messages)
    await fake.press_button(offer, button["custom_id"])
    [logged] = await fake.wait_for_messages(1, after=before, kind="edit")
    assert "3 x 8 per side @ 20 kg, RPE 8.5" in text_of(logged)


async def test_more_choices_than_one_message_holds_go_on_extra_messages(discord_bot):
    fake, adapter = discord_bot
    choices = [Button(f"Choice {i}", f"/history choice {i}") for i in range(130)]
    before = len(fake.messages)
    await adapter.push(str(USER), [Reply("Pick one").with_buttons([choices])])
    first, extra = await fake.wait_for_messages(2, after=before, kind="channel_message")
    options = [
        o["label"]
        for m in (first, extra)
        for row in m.components
        for c in row["components"]
        for o in c.get("options", [])
    ]
    assert options == [f"Choice {i}" for i in range(130)]
    assert first.content == "Pick one" and extra.content == "More choices:"


async def test_a_menu_pick_works_like_a_button(discord_bot):
    fake, adapter = discord_bot
    zones = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"]
    before = len(fake.messages)
    await adapter.push(str(USER), [Reply("Your zone?").with_buttons([[Button(z, f"/tz {z}") for z in zones * 5]])])
    [menu] = await fake.wait_for_messages(1, after=before, kind="channel_message")
    [select, *_] = [c for row in menu.components for c in row["components"] if c["type"] == 3]
    await fake.choose(menu, select["custom_id"], ["/tz Asia/Tokyo"])
    [edit] = await fake.wait_for_messages(1, after=before, kind="edit")
    assert "Asia/Tokyo" in text_of(edit)


async def test_buttons_keep_working_after_a_restart_and_views_are_not_hoarded(app):
    async with FakeDiscord() as fake:
        fake.add_guild(GUILD)
        first = DiscordAdapter(app.coach, fake.token, guild_ready_timeout=0.1)
        await first.start()
        long_command = "/log custom " + "very long exercise name " * 4 + "3x8 @ 20kg"
        await first.push(str(USER), [Reply("Log it?").with_buttons([[Button("Log it", long_command)]])])
        keyed = [m for m in fake.messages if m.kind == "channel_message"][-1]
        for number in range(20):
            await first.push(str(USER), [Reply(f"Question {number}").with_buttons([[Button("Settings", "/settings")]])])
        assert len(first.bot.persistent_views) == 0  # discord.py keeps nothing per message sent
        await first.stop()
        offer = [m for m in fake.messages if m.kind == "channel_message"][-1]
        second = DiscordAdapter(app.coach, fake.token, guild_ready_timeout=0.1)
        await second.start()
        try:
            assert not second.synced  # the same declarations: no second sync
            before = len(fake.messages)
            await fake.press_button(offer, label="Settings")
            [edit] = await fake.wait_for_messages(1, after=before, kind="edit")
            assert "✓ Settings" in text_of(edit) and "Time zone" in text_of(edit)
            before = len(fake.messages)  # a long action's short key lived in the old process's memory
            await fake.press_button(keyed, label="Log it")
            [expired] = await fake.wait_for_messages(1, after=before, kind="interaction_response")
            assert "expired" in expired.content and expired.ephemeral
        finally:
            await second.stop()
    puts = [r for r in fake.requests if r.method == "PUT" and r.path.endswith("/commands")]
    assert len(puts) == 1


async def test_a_failing_command_answers_the_person(discord_bot):
    fake, _ = discord_bot
    fake.fail_next("POST", r"/webhooks/\d+/[^/]+", status=400)
    interaction_id = await fake.slash("help")
    [reply] = await fake.wait_for_messages(1, kind="followup", interaction_id=interaction_id, timeout=30)
    assert reply.content == COMMAND_FAILED  # instead of a "thinking..." that never ends


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
    reply = await answer(fake, await fake.slash("progress", {"exercise": "hip thrust"}))
    assert reply.attachments and reply.attachments[0].filename.endswith(".png")
    assert reply.attachments[0].content.startswith(b"\x89PNG")


async def test_gluteup_run_wiring_starts_discord_from_settings(app, settings, monkeypatch):
    """DISCORD_TOKEN plus DISCORD_API_BASE / DISCORD_GATEWAY_URL is all `gluteup run` needs."""
    from pydantic import SecretStr

    from bot.app import platform_adapters

    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    async with FakeDiscord(aim_client=False) as fake:
        app.settings = settings.model_copy(
            update={
                "discord_token": SecretStr(fake.token),
                "discord_api_base": fake.api_base,
                "discord_gateway_url": fake.gateway_url,
            }
        )
        [adapter] = platform_adapters(app)
        await adapter.start()
        try:
            reply = await answer(fake, await fake.slash("help"))
            assert "/today" in text_of(reply)
        finally:
            await adapter.stop()
    # the adapter aimed discord.py at the fake only while it ran: nothing for a test to undo
    assert (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == (base, gateway)


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


async def test_a_press_answered_with_a_file_marks_the_choice_and_sends_the_file(discord_bot):
    fake, adapter = discord_bot
    await fake.user_sends_dm(USER, "hip thrust 3x10 @ 60kg")
    await fake.wait_for_messages(1, kind="channel_message")
    await adapter.push(str(USER), [Reply("Want your logs?").with_buttons([[Button("Export my logs", "/export")]])])
    offer = [m for m in fake.messages if m.kind == "channel_message"][-1]
    before = len(fake.messages)
    interaction_id = await fake.press_button(offer, label="Export my logs")
    [marked] = await fake.wait_for_messages(1, after=before, kind="edit", interaction_id=interaction_id)
    [export] = await fake.wait_for_messages(1, after=before, kind="followup", interaction_id=interaction_id)
    assert marked.message_id == offer.message_id and not marked.components
    assert marked.content == "Want your logs?\n\n✓ Export my logs"
    assert export.attachments[0].filename.endswith(".csv")
