"""Scenario 3: 100,000 people due in the same minute.

Part 1, cost: claiming every due reminder (ledger rows written, next due times
advanced) plus composing its message as the postman does (one read per chunk of claims,
the plain plan's text rendered once), per reminder (goal <= 0.5 ms; issue 20: compose
<= 0.05 ms for people with no pain, history or session today). Composing is timed on a
sample of plain people and, apart, on people with a pain report, logged sets or a session
today, who get their own adapted plan (their history is read per person).
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
from bot.postman.loop import COMPOSE_BATCH
from bot.postman.pacer import SEND_RATES
from bot.app import build_app
from bot.scheduling import ReminderScheduler
from bot.settings import Settings
from bot.storage import models
from tests.fakes.telegram_server import FakeTelegram, RateLimit

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)
ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TELEGRAM_LIMIT = 30.0
FAKE_TOKEN = "123456789:AAFakeTokenUsedOnlyByTests_shape_ok"  # the shape Settings accepts


async def seed(app, people: int, platform: str, first_chat: int = 10_000_000) -> None:
    async with app.engine.begin() as conn:
        for start in range(0, people, 10_000):
            ids = range(start + 1, min(people, start + 10_000) + 1)
            await conn.execute(
                insert(models.User),
                [
                    {
                        "id": i,
                        "platform": platform,
                        "platform_user_id": str(first_chat + i),
                        "chat_id": str(first_chat + i),
                        "display_name": "",
                        "created_at": NOW - timedelta(days=30),
                    }
                    for i in ids
                ],
            )
            await conn.execute(
                insert(models.Profile),
                [
                    {
                        "user_id": i,
                        "timezone": "UTC",
                        "units": "kg",
                        "completed_sessions": 0,
                        "weekdays": ALL_DAYS,
                        "program_id": "gym_2x",
                        "reminder_time": "07:00",
                    }
                    for i in ids
                ],
            )
            await conn.execute(
                insert(models.Reminder),
                [
                    {
                        "user_id": i,
                        "kind": "workout",
                        "enabled": True,
                        "local_time": "07:00",
                        "weekdays": ALL_DAYS,
                        "next_due_at": NOW,
                    }
                    for i in ids
                ],
            )
        if app.engine.dialect.name == "postgresql":
            for table in ("users", "reminders"):
                await conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
            await conn.execute(text("ANALYZE"))


async def reset(url: str) -> None:
    if url.startswith("postgresql"):
        from tests.conftest import reset_postgres

        await reset_postgres(url)


async def add_personal(app, user_ids: list[int]) -> None:
    """A third each: a current knee report, sets logged last week, a session started today."""
    thirds = [user_ids[i::3] for i in range(3)]
    async with app.engine.begin() as conn:
        if thirds[0]:
            await conn.execute(
                insert(models.PainReport),
                [
                    {
                        "user_id": i,
                        "area": "knee",
                        "severity": "moderate",
                        "status": "active",
                        "reported_at": NOW - timedelta(days=1),
                    }
                    for i in thirds[0]
                ],
            )
        for i in thirds[1]:
            entry = (
                await conn.execute(
                    insert(models.LogEntry)
                    .values(
                        user_id=i,
                        exercise_id="hip_thrust",
                        unit="kg",
                        raw_text="hip thrust 3x10 @ 60kg",
                        message_key=f"bench:{i}",
                        line_no=0,
                        logged_at=NOW - timedelta(days=4),
                        local_date=(NOW - timedelta(days=4)).date(),
                    )
                    .returning(models.LogEntry.id)
                )
            ).scalar_one()
            await conn.execute(
                insert(models.SetLog),
                [{"entry_id": entry, "set_no": n, "reps": 10, "load_kg": 60.0} for n in (1, 2, 3)],
            )
        if thirds[2]:
            await conn.execute(
                insert(models.TrainingSession),
                [
                    {
                        "user_id": i,
                        "local_date": NOW.date(),
                        "program_id": "gym_2x",
                        "day_index": 0,
                        "started_at": NOW - timedelta(minutes=5),
                    }
                    for i in thirds[2]
                ],
            )
        if app.engine.dialect.name == "postgresql":
            await conn.execute(text("ANALYZE"))


async def compose_cost(worker, claims) -> tuple[float, float]:
    """Wall and CPU ms per reminder, composing as a round does (chunk by chunk)."""
    wall, cpu = time.perf_counter(), time.process_time()
    for first in range(0, len(claims), COMPOSE_BATCH):
        await worker.compose_chunk(claims[first : first + COMPOSE_BATCH], NOW)
    count = max(1, len(claims))
    return (time.perf_counter() - wall) / count * 1000, (time.process_time() - cpu) / count * 1000


async def cost(url: str, people: int, sample: int, personal: int) -> dict:
    await reset(url)
    app = await build_app(Settings(database_url=url, _env_file=None), clock=lambda: NOW)
    began = time.perf_counter()
    await seed(app, people, "bench")
    personal_ids = list(range(people - personal + 1, people + 1))
    await add_personal(app, personal_ids)
    seeded = time.perf_counter() - began
    worker = ReminderScheduler(app.store, app.coach.library, {"bench": None}, clock=lambda: NOW)
    began = time.perf_counter()
    claimed = await worker.claim_due(NOW + timedelta(seconds=30))
    claim_s = time.perf_counter() - began
    plain = [c for c in claimed if c.user_id not in set(personal_ids)][:sample]
    adapted = [c for c in claimed if c.user_id in set(personal_ids)]
    await compose_cost(worker, plain[:COMPOSE_BATCH])  # warm: the plain text is rendered once per process
    render_ms, render_cpu_ms = await compose_cost(worker, plain)
    adapted_ms, adapted_cpu_ms = await compose_cost(worker, adapted)
    await app.close()
    claim_ms = claim_s / max(1, len(claimed)) * 1000
    return {
        "people": people,
        "claimed": len(claimed),
        "seed_s": round(seeded, 1),
        "claim_ms": round(claim_ms, 4),
        "render_ms": round(render_ms, 4),
        "render_cpu_ms": round(render_cpu_ms, 4),
        "sample": len(plain),
        "personal": len(adapted),
        "personal_render_ms": round(adapted_ms, 3),
        "personal_render_cpu_ms": round(adapted_cpu_ms, 3),
        "per_reminder_ms": round(claim_ms + render_ms, 4),
    }


async def rate(url: str, people: int) -> dict:
    from bot.adapters.telegram_bot import TelegramAdapter

    await reset(url)
    async with FakeTelegram(
        token=FAKE_TOKEN,
        rate_limit_global=RateLimit(30, 1.0),
        rate_limit_per_chat=RateLimit(1, 1.0),
        enforce_rate_limits=True,
    ) as fake:
        settings = Settings(
            database_url=url, telegram_token=SecretStr(fake.token), telegram_base_url=fake.base_url, _env_file=None
        )
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
        return {
            "people": people,
            "sent": sent,
            "seconds": round(elapsed, 1),
            "per_second": round(achieved, 2),
            "ratio": round(achieved / TELEGRAM_LIMIT, 3),
            "http_429": fake.would_be_429s,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=5000)
    parser.add_argument("--personal", type=int, default=300, help="people with pain, history or a session today")
    parser.add_argument("--send", type=int, default=900)
    args = parser.parse_args()
    quiet()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'fanout.db'}"
    costs = asyncio.run(cost(url, args.people, args.sample, args.personal))
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'rate.db'}"
    rates = asyncio.run(rate(url, args.send))
    late = lateness.report(args.people, SEND_RATES["telegram"], 10.0)
    emit(
        {
            "scenario": "reminder_fanout",
            "cost": costs,
            "rate": rates,
            "lateness": late,
            "goals": "claim+render <= 0.5 ms per reminder; plain compose <= 0.05 ms; send rate >= 0.95 of 30/s; zero 429s",
        }
    )


if __name__ == "__main__":
    main()
