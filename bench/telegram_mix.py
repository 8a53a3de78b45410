"""Scenario 1: the real Telegram adapter vs a bare python-telegram-bot echo bot.

Both run through the same fake Bot API on loopback with the same PTB settings
(no rate limiter, since the fake has no limits to respect), and both get the
same number of updates from 1,000 users. Ours gets the issue's mix: /today 30 %,
set logs 50 %, /week 20 %. The figure is updates handled per second.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path

from telegram.ext import ApplicationBuilder, MessageHandler, filters

from bench.common import emit, quiet
from bot.adapters.telegram_bot import CONCURRENT_UPDATES
from tests.fakes.telegram_server import FakeTelegram

USERS = 1000
LOGS = ("hip thrust 3x10 @ 60kg", "bss 10/10/8 12.5kg", "bridges 2x20", "rdl 4x8 @ 70 kg rpe 8",
        "hip thrust 60kg x 10, 10, 8", "clams 3x15 per side")


def workload(count: int, seed: int = 7) -> list[tuple[int, str]]:
    rng = random.Random(seed)
    items = []
    for i in range(count):
        user = 10_000 + i % USERS
        roll = rng.random()
        text = "/today" if roll < 0.3 else ("/week" if roll < 0.5 else rng.choice(LOGS))
        items.append((user, text))
    return items


def application(fake: FakeTelegram):
    return ApplicationBuilder().token(fake.token).base_url(fake.base_url).base_file_url(fake.base_file_url)


async def echo_baseline(count: int) -> float:
    async with FakeTelegram() as fake:
        app = application(fake).build()

        async def echo(update, context):
            await context.bot.send_message(update.effective_chat.id, update.effective_message.text)

        app.add_handler(MessageHandler(filters.TEXT, echo))
        await app.initialize()
        await app.start()
        await app.updater.start_polling(poll_interval=0)
        elapsed = await timed(fake, workload(count))
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    return count / elapsed


async def glute_up(count: int, database_url: str) -> float:
    from bot.adapters.telegram_bot import TelegramAdapter
    from bot.app import build_app
    from bot.settings import Settings

    app = await build_app(Settings(database_url=database_url, _env_file=None))
    async with FakeTelegram() as fake:
        adapter = TelegramAdapter(application(fake).concurrent_updates(CONCURRENT_UPDATES).build(), app.coach, app.store)
        await adapter.start()
        await timed(fake, workload(200, seed=1))  # warm-up: users created, caches filled
        elapsed = await timed(fake, workload(count))
        await adapter.stop()
    await app.close()
    return count / elapsed


async def timed(fake: FakeTelegram, items: list[tuple[int, str]]) -> float:
    """Queue every update at once; done when each user has had a reply to each of their updates."""
    owed: dict[int, int] = {}
    for user, _ in items:
        owed[user] = owed.get(user, 0) + 1
    seen = len(fake.sent)

    def all_answered() -> bool:
        nonlocal seen
        for item in fake.sent[seen:]:  # only the new sends: the check stays cheap
            if owed.get(item["chat_id"], 0) > 0:
                owed[item["chat_id"]] -= 1
                if not owed[item["chat_id"]]:
                    del owed[item["chat_id"]]
        seen = len(fake.sent)
        return not owed

    began = time.perf_counter()
    for user, text in items:
        fake.user_sends(text, user_id=user)
    await fake.wait_until(all_answered, 600, lambda: f"{len(owed)} users still waiting")
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    quiet()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    baseline = asyncio.run(echo_baseline(args.updates))
    ours = asyncio.run(glute_up(args.updates, url))
    emit({"scenario": "telegram_mix", "updates": args.updates, "users": USERS,
          "echo_updates_per_s": round(baseline, 1), "gluteup_updates_per_s": round(ours, 1),
          "ratio": round(ours / baseline, 3), "goal": ">= 0.8"})


if __name__ == "__main__":
    main()
