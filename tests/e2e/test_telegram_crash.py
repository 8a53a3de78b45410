"""Black box: the real `gluteup run` against the fake Bot API, killed with -9 mid-way.

Telegram forgets an update once a later getUpdates confirms it, so whatever the
bot had fetched but not handled when it died is gone unless the bot confirms
only what it has handled. Every message must end up stored and answered.
"""

from __future__ import annotations

import asyncio
import html
import os
import signal
import sys
from pathlib import Path

from sqlalchemy import text

from bot.storage.database import create_engine
from tests.fakes.telegram_server import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
USERS, PER_USER = 10, 10
KILL_AFTER = 45
TOKEN = "123456789:" + "A" * 35  # the shape settings accept


def weight(user: int, n: int) -> int:
    return 20 + user * PER_USER + n  # distinct for every message: its reply names it


async def start_bot(
    fake: FakeTelegram, database_url: str, tmp_path: Path, log_level: str = "WARNING"
) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    env.update(
        {
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": log_level,
            "TELEGRAM_TOKEN": fake.token,
            "TELEGRAM_BASE_URL": fake.base_url,
        }
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


def answered(fake: FakeTelegram) -> set[tuple[int, int]]:
    texts = {}
    for item in fake.sent:
        texts.setdefault(item["chat_id"], []).append(html.unescape(item.get("text") or ""))
    return {
        (u, n)
        for u in range(USERS)
        for n in range(PER_USER)
        if any(
            f"hip thrust: 3 x 10 @ {weight(u, n)} kg" in t  # logged
            or f"Already logged 'hip thrust 3x10 @ {weight(u, n)}kg'" in t  # stored before the kill
            for t in texts.get(50_000 + u, [])
        )
    }


async def wait_until(predicate, timeout: float) -> bool:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.02)
    return predicate()


async def test_kill_9_mid_way_loses_no_message(database_url, tmp_path):
    async with FakeTelegram(token=TOKEN) as fake:
        first = await start_bot(fake, database_url, tmp_path)
        try:
            assert await wait_until(lambda: fake.commands is not None, 60), "the bot did not start"
            for n in range(PER_USER):
                for u in range(USERS):
                    fake.user_sends(f"hip thrust 3x10 @ {weight(u, n)}kg", user_id=50_000 + u)
            assert await wait_until(lambda: len(answered(fake)) >= KILL_AFTER, 60)
            first.send_signal(signal.SIGKILL)
        finally:
            if first.returncode is None:
                first.kill()
            await first.wait()
        before = len(answered(fake))
        assert before < USERS * PER_USER, "the bot answered everything before the kill: nothing was tested"

        second = await start_bot(fake, database_url, tmp_path)
        try:
            await wait_until(lambda: len(answered(fake)) == USERS * PER_USER, 90)
        finally:
            second.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(second.communicate(), 60)
        lost = USERS * PER_USER - len(answered(fake))
        print(f"kill -9 after {before} of 100 answered: {lost} of 100 lost after restart")
        assert lost == 0, stderr.decode()[-3000:]
        assert second.returncode == 0, stderr.decode()[-3000:]

    engine = create_engine(database_url)
    async with engine.connect() as conn:
        stored = (await conn.execute(text("SELECT count(DISTINCT message_key) FROM log_entries"))).scalar_one()
        rows = (await conn.execute(text("SELECT count(*) FROM log_entries"))).scalar_one()
    await engine.dispose()
    assert stored == USERS * PER_USER
    assert rows == stored  # a message delivered again is stored once


async def test_a_passing_run_of_401s_heals_by_itself(app, settings):
    from pydantic import SecretStr

    from bot.adapters.telegram_bot import TelegramAdapter

    async with FakeTelegram() as fake:
        configured = settings.model_copy(
            update={"telegram_token": SecretStr(fake.token), "telegram_base_url": fake.base_url}
        )
        adapter = TelegramAdapter.from_settings(configured, app.coach)
        fake.fail_next("getUpdates", error_code=401, times=3)
        await adapter.start()
        try:
            fake.user_sends("/help")
            reply = await fake.wait_for(lambda item: True, timeout=30)
            assert "/today" in reply["text"]
            assert not adapter.fatal.is_set()
        finally:
            await adapter.stop()


async def test_401s_that_last_stop_the_adapter_with_one_clear_line(app, settings, caplog):
    from pydantic import SecretStr

    from bot.adapters.telegram_bot import TelegramAdapter

    async with FakeTelegram() as fake:
        configured = settings.model_copy(
            update={"telegram_token": SecretStr(fake.token), "telegram_base_url": fake.base_url}
        )
        adapter = TelegramAdapter.from_settings(configured, app.coach)
        adapter.poller.unauthorized_patience = 2
        fake.fail_next("getUpdates", error_code=401, times=10_000)
        await adapter.start()
        try:
            await asyncio.wait_for(adapter.fatal.wait(), timeout=30)
        finally:
            await adapter.stop()
    critical = [r for r in caplog.records if r.levelname == "CRITICAL"]
    assert len(critical) == 1 and "TELEGRAM_TOKEN" in critical[0].getMessage()
    assert "Traceback" not in caplog.text and fake.token not in caplog.text


async def test_a_fatal_polling_error_ends_the_process_non_zero_without_a_traceback(tmp_path):
    async with FakeTelegram(token=TOKEN) as fake:
        fake.fail_next("getUpdates", error_code=409, times=10_000)
        process = await start_bot(fake, f"sqlite:///{tmp_path / 'fatal.db'}", tmp_path)
        try:
            _, stderr = await asyncio.wait_for(process.communicate(), 90)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert process.returncode != 0
    assert "Traceback" not in stderr.decode() and "CRITICAL" in stderr.decode()


async def test_at_debug_level_no_message_text_reaches_the_log(tmp_path):
    marker = "zebra4711"
    async with FakeTelegram(token=TOKEN) as fake:
        process = await start_bot(fake, f"sqlite:///{tmp_path / 'debug.db'}", tmp_path, log_level="DEBUG")
        try:
            assert await wait_until(lambda: fake.commands is not None, 60), "the bot did not start"
            fake.user_sends(f"my lower back hurts {marker}")
            fake.user_sends(f"/log custom {marker} 3x10 @ 20kg")
            assert await wait_until(lambda: len(fake.sent) >= 2, 60)
        finally:
            process.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(process.communicate(), 60)
    log = stderr.decode()
    assert "DEBUG" in log  # the level is on ...
    assert marker not in log  # ... and still nobody's words are in it
    assert any(marker in (item.get("text") or "") for item in fake.sent)


async def test_a_backlog_is_fetched_about_once_not_once_per_handled_update(app, settings):
    """The offset stays at the oldest update in flight, so each getUpdates sends everything
    from there again (up to 100). Asking again after every handled update made a backlog of
    300 cost some 30,000 updates sent and parsed (half the CPU of a busy bot); the poller
    now waits until most of what it holds is done before it asks again."""
    from tests.e2e.test_telegram_journey import adapter_for

    backlog = 300
    async with FakeTelegram() as fake:
        adapter = adapter_for(fake, app, settings)
        for n in range(backlog):
            fake.user_sends("/help", user_id=60_000 + n % 30)
        await adapter.start()
        try:
            await fake.wait_until(lambda: len(fake.sent) >= backlog, 120, lambda: f"{len(fake.sent)} answered")
        finally:
            await adapter.stop()
    delivered = sum(fake.delivery_counts.values())
    assert delivered <= 2 * backlog, f"{delivered} updates sent for a backlog of {backlog}"
