"""Scenario 3: 100,000 people due in the same minute.

Part 1, cost: claiming every due reminder (ledger rows written, next due times
advanced) plus rendering its message, per reminder (goal <= 0.5 ms). Rendering
is timed on a sample, because it reads each person's plan.
Part 3, lateness: due -> sent, p50 and p99, for 100,000 people at realistic times across
zones, beside the 30/s floor (bench/lateness.py).
Part 2, rate: a smaller crowd is delivered through the real Telegram adapter to
the fake Bot API, which enforces Telegram's limits (30/s overall, 1/s per chat):
the achieved rate against 30/s (goal >= 0.95) and the 429s seen (goal 0).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import insert, text

from bench import lateness
from bench.common import emit, quiet
from bot.postman.pacer import SEND_RATES
from bot.app import build_app
from bot.scheduling import ReminderScheduler
from bot.settings import Settings
from bot.storage import models
from core.context import Context
from core.domain import Incoming
from core.features.reminders import compose
from tests.fakes.telegram_server import FakeTelegram, RateLimit

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)
ALL_DAYS = "mon,tue,wed,thu,fri,sat,sun"
TELEGRAM_LIMIT = 30.0


async def seed(app, people: int, platform: str, first_chat: int = 10_000_000) -> None:
    async with app.engine.begin() as conn:
        for start in range(0, people, 10_000):
            ids = range(start + 1, min(people, start + 10_000) + 1)
            await conn.execute(insert(models.User), [
                {"id": i, "platform": platform, "platform_user_id": str(first_chat + i), "chat_id": str(first_chat + i),
                 "display_name": "", "created_at": NOW - timedelta(days=30)} for i in ids])
            await conn.execute(insert(models.Profile), [
                {"user_id": i, "timezone": "UTC", "units": "kg", "completed_sessions": 0, "weekdays": ALL_DAYS,
                 "program_id": "gym_2x", "reminder_time": "07:00"} for i in ids])
            await conn.execute(insert(models.Reminder), [
                {"user_id": i, "kind": "workout", "enabled": True, "local_time": "07:00",
                 "weekdays": ALL_DAYS, "next_due_at": NOW} for i in ids])
        if app.engine.dialect.name == "postgresql":
            for table in ("users", "reminders"):
                await conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            await conn.execute(text("ANALYZE"))


async def reset(url: str) -> None:
    if url.startswith("postgresql"):
        from tests.conftest import reset_postgres

        await reset_postgres(url)


async def cost(url: str, people: int, sample: int) -> dict:
    await reset(url)
    app = await build_app(Settings(database_url=url, _env_file=None), clock=lambda: NOW)
    began = time.perf_counter()
    await seed(app, people, "bench")
    seeded = time.perf_counter() - began
    worker = ReminderScheduler(app.store, app.coach.library, {"bench": None}, clock=lambda: NOW)
    began = time.perf_counter()
    claimed = await worker.claim_due(NOW + timedelta(seconds=30))
    claim_s = time.perf_counter() - began
    began = time.perf_counter()
    for item in claimed[:sample]:
        async with app.store.unit_of_work() as uow:
            user = await uow.users.get(item.user_id)
            ctx = Context(uow, user, await uow.profiles.get(user.id), NOW, app.coach.library,
                          Incoming(user.platform, user.platform_user_id, user.chat_id, ""))
            await compose(ctx, item.kind, item.slot)
    render_ms = (time.perf_counter() - began) / max(1, min(sample, len(claimed))) * 1000
    await app.close()
    claim_ms = claim_s / max(1, len(claimed)) * 1000
    return {"people": people, "claimed": len(claimed), "seed_s": round(seeded, 1), "claim_ms": round(claim_ms, 4),
            "render_ms": round(render_ms, 3), "per_reminder_ms": round(claim_ms + render_ms, 3)}


async def rate(url: str, people: int) -> dict:
    from bot.adapters.telegram_bot import TelegramAdapter

    await reset(url)
    async with FakeTelegram(rate_limit_global=RateLimit(30, 1.0), rate_limit_per_chat=RateLimit(1, 1.0),
                            enforce_rate_limits=True) as fake:
        settings = Settings(database_url=url, telegram_token=SecretStr(fake.token), telegram_base_url=fake.base_url,
                            _env_file=None)
        app = await build_app(settings, clock=lambda: NOW)
        await seed(app, people, "telegram")
        adapter = TelegramAdapter.from_settings(settings, app.coach)
        await adapter.start()
        worker = ReminderScheduler(app.store, app.coach.library, {"telegram": adapter}, clock=lambda: NOW)
        began = time.perf_counter()
        sent = await worker.tick()
        elapsed = time.perf_counter() - began
        await adapter.stop()
        await app.close()
        achieved = sent / elapsed
        return {"people": people, "sent": sent, "seconds": round(elapsed, 1), "per_second": round(achieved, 2),
                "ratio": round(achieved / TELEGRAM_LIMIT, 3), "http_429": fake.would_be_429s}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--send", type=int, default=900)
    args = parser.parse_args()
    quiet()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'fanout.db'}"
    costs = asyncio.run(cost(url, args.people, args.sample))
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'rate.db'}"
    rates = asyncio.run(rate(url, args.send))
    late = lateness.report(args.people, SEND_RATES["telegram"], 10.0)
    emit({"scenario": "reminder_fanout", "cost": costs, "rate": rates, "lateness": late,
          "goals": "claim+render <= 0.5 ms per reminder; send rate >= 0.95 of 30/s; zero 429s"})


if __name__ == "__main__":
    main()
