"""Scheduled messages through the real platform clients and fake servers: where they go and how often."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import select

from bot.scheduling import ReminderScheduler
from bot.storage import models
from tests.e2e.test_telegram_journey import adapter_for, say, telegram  # noqa: F401 (fixture)
from tests.fakes.telegram_server import FakeTelegram

USER = FakeTelegram.DEFAULT_USER_ID
GROUP = -100777
TRAIN = "Time to train!"


def texts(items: list[dict]) -> str:
    return "\n".join((item.get("text") or item.get("caption") or "") for item in items)


async def test_reminders_and_check_ins_go_to_the_private_chat_not_the_group_last_written_in(app, clock, telegram):
    fake, adapter = telegram
    clock.set_local("2026-11-23 06:00", "UTC")
    await say(fake, "/days mon-sun")
    await say(fake, "/remind 07:00")
    await say(fake, "/pain doms moderate")
    await say(fake, "/help@gluteup_bot", chat_id=GROUP, chat_type="group")  # the last chat they wrote in
    worker = ReminderScheduler(app.store, app.coach.library, {"telegram": adapter}, clock=clock)
    clock.set_local("2026-11-23 07:00", "UTC")
    assert await worker.tick() == 1
    clock.set_local("2026-11-25 09:01", "UTC")
    await worker.tick()
    assert TRAIN not in texts(fake.sent_to(GROUP)) and "How is your" not in texts(fake.sent_to(GROUP))
    private = texts(fake.sent_to(USER))
    assert private.count(TRAIN) == 1 and private.count("How is your heavy soreness doing?") == 1


async def test_a_discord_reminder_is_a_dm_even_when_the_person_last_wrote_in_a_server(app, clock):
    from bot.adapters.discord_bot import DiscordAdapter
    from tests.fakes.discord_server import FakeDiscord

    guild = 500_000_000_000_000_001
    async with FakeDiscord() as fake:
        fake.add_guild(guild)
        adapter = DiscordAdapter(app.coach, fake.token, guild_ready_timeout=0.1)
        await adapter.start()
        try:
            clock.set_local("2026-11-23 06:00", "UTC")
            for command, args in (("days", "mon-sun"), ("remind", "07:00"), ("help", None)):
                option = args and fake._find_command(command, guild)["options"][0]["name"]  # the synced name
                interaction = await fake.slash(command, {option: args} if args else None, guild_id=guild)
                await fake.wait_for_messages(1, kind="followup", interaction_id=interaction)
            before = len(fake.messages)
            worker = ReminderScheduler(app.store, app.coach.library, {"discord": adapter}, clock=clock)
            clock.set_local("2026-11-23 07:00", "UTC")
            assert await worker.tick() == 1
            [sent] = await fake.wait_for_messages(1, after=before, kind="channel_message")
        finally:
            await adapter.stop()
    assert sent.recipient_id == FakeDiscord.DEFAULT_USER_ID
    assert TRAIN in sent.content + "".join(e.get("description", "") for e in sent.embeds)


async def statuses(app) -> list[str]:
    async with app.engine.connect() as conn:
        return sorted((await conn.execute(select(models.Delivery.status))).scalars())


async def test_a_send_whose_answer_is_later_than_the_read_timeout_is_not_repeated(app, clock, telegram):
    fake, adapter = telegram
    clock.set_local("2026-11-23 06:00", "UTC")
    await say(fake, "/days mon-sun")
    await say(fake, "/remind 07:00")
    fake.answer_slowly("sendMessage", 6.0)  # arrives, but PTB's 5 s read timeout expires first
    worker = ReminderScheduler(app.store, app.coach.library, {"telegram": adapter}, clock=clock)
    clock.set_local("2026-11-23 07:00", "UTC")
    await worker.tick()
    for _ in range(3):
        clock.advance(minutes=3)
        await worker.tick()
    await asyncio.sleep(1.5)  # let the slow answers finish, so every request has been counted
    assert texts(fake.sent_to(USER)).count(TRAIN) == 1
    assert await statuses(app) == ["uncertain"]  # recorded as "may have arrived", not "failed"


async def test_a_send_that_never_left_is_retried_and_then_reported_as_not_sent(app, settings):
    from bot.adapters.base import NotSent
    from core.domain import Reply

    fake = await FakeTelegram().start()
    adapter = adapter_for(fake, app, settings)
    await adapter.application.initialize()
    await fake.stop()  # connection refused from now on: provably nothing reaches Telegram
    started = time.monotonic()
    try:
        with pytest.raises(NotSent):
            await adapter.push(str(USER), [Reply(TRAIN)])
    finally:
        await adapter.application.shutdown()
    assert time.monotonic() - started >= 3.0  # it backed off and tried again (0.5 + 1 + 2 s)


async def test_a_worker_without_the_telegram_adapter_leaves_telegram_reminders_to_one_that_has_it(app, clock, telegram):
    import io

    from bot.adapters.console import ConsoleChat

    fake, adapter = telegram
    clock.set_local("2026-11-23 06:00", "UTC")
    people = [USER + n for n in range(5)]
    for person in people:
        await say(fake, "/days mon-sun", user_id=person)
        await say(fake, "/remind 07:00", user_id=person)
        await say(fake, "/pain doms moderate", user_id=person)
    console_only = ReminderScheduler(
        app.store,
        app.coach.library,
        {"console": ConsoleChat(app.coach, stdout=io.StringIO())},
        clock=clock,
        worker="console-only",
    )
    proper = ReminderScheduler(app.store, app.coach.library, {"telegram": adapter}, clock=clock, worker="proper")
    clock.set_local("2026-11-23 07:00", "UTC")
    assert await console_only.tick() == 0
    assert await proper.tick() == len(people)
    clock.set_local("2026-11-25 09:01", "UTC")
    await console_only.tick()
    await proper.tick()
    for person in people:
        got = texts(fake.sent_to(person))
        assert got.count(TRAIN) == 1 and got.count("How is your heavy soreness doing?") == 1, person
    recorded = await statuses(app)
    assert "no_adapter" not in recorded and recorded.count("sent") == 2 * len(people)  # reminders and check-ins


def test_a_headless_worker_without_a_platform_token_refuses_to_start_instead_of_opening_a_console(tmp_path):
    from tests.e2e.test_console import run_chat

    result = run_chat(tmp_path, "/help\n", args=("run", "--no-console"))
    assert result.returncode != 0
    assert "--no-console" in result.stderr and "TELEGRAM_TOKEN" in result.stderr
    assert "/today" not in result.stdout and "Traceback" not in result.stderr


async def test_a_second_poller_is_the_one_that_stops_and_the_first_carries_on(app, settings, caplog):
    async with FakeTelegram() as fake:
        first = adapter_for(fake, app, settings)
        await first.start()
        await say(fake, "/help")  # the first poller is up and answering
        await asyncio.sleep(1.0)
        second = adapter_for(fake, app, settings)
        first.NEWCOMER_SECONDS = 0.5  # the first counts as long running sooner, for the test
        await second.start()
        try:
            await asyncio.wait_for(second.fatal.wait(), timeout=15)
            await second.stop()
            reply = await say(fake, "/help")  # the first one still answers
            assert "/today" in reply["text"]
            assert not first.fatal.is_set()
        finally:
            await first.stop()
            if second.application.running:
                await second.stop()
    assert "one `gluteup run` per token" in caplog.text and fake.token not in caplog.text


async def test_gluteup_run_that_loses_the_poller_conflict_exits_non_zero_with_the_reason(tmp_path):
    import os
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    async with FakeTelegram(token="123456789:AAFakeTokenUsedOnlyByTests_shape_ok") as fake:  # a token's shape
        fake.fail_next("getUpdates", error_code=409, times=50)  # someone else is polling with this token
        env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
        env.update(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
                "PYTHONPATH": str(root),
                "TELEGRAM_TOKEN": fake.token,
                "TELEGRAM_BASE_URL": fake.base_url,
            }
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            "--no-console",
            cwd=tmp_path,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), timeout=90)
    assert process.returncode != 0
    assert "409" in err.decode() and "one `gluteup run` per token" in err.decode()
    assert fake.token not in err.decode() + out.decode()


async def test_a_rate_limited_pain_check_in_is_kept_in_the_ledger_and_arrives_once(app, clock, telegram):
    fake, adapter = telegram
    clock.set_local("2026-11-23 09:00", "UTC")
    await say(fake, "/pain doms moderate")
    worker = ReminderScheduler(app.store, app.coach.library, {"telegram": adapter}, clock=clock)
    fake.fail_next("sendMessage", error_code=429, retry_after=1, times=4)  # more than one round of turns
    clock.advance(days=2, minutes=1)
    await worker.tick()
    for _ in range(3):  # a takeover after the lease sends it; nothing sends it twice
        clock.advance(minutes=3)
        await worker.tick()
    assert texts(fake.sent_to(USER)).count("How is your heavy soreness doing?") == 1
    assert await statuses(app) == ["sent"]
