"""Scenario 2: core handling latency with 1,000 vs 1,000,000 logged sets in the database.

The person being measured has the same history in both databases (a year of
training); only everybody else's data grows. If every query is served by an
index on the person, p50/p99 stay flat as the table grows.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, text

from bench.common import emit, percentile, quiet
from bot.app import build_app
from bot.settings import Settings
from bot.storage import models
from core.domain import Incoming

MEASURED = "measured"
OWN_SETS = 900  # the measured person's own history: 300 entries x 3 sets
REQUESTS = ("/today", "/week", "hip thrust 3x10 @ 60kg", "/settings", "/history hip thrust")
EXERCISES = ("hip_thrust", "romanian_deadlift", "bulgarian_split_squat", "back_squat", "glute_bridge")
START = datetime(2025, 11, 1, 9, tzinfo=timezone.utc)


async def seed(app, total_sets: int) -> None:
    """Users and log rows straight into the tables: fast, and the same shape set logging writes."""
    others = max(0, total_sets - OWN_SETS)
    users = [
        {
            "id": 1,
            "platform": "bench",
            "platform_user_id": MEASURED,
            "chat_id": MEASURED,
            "display_name": "",
            "created_at": START,
        }
    ]
    other_users = max(1, min(1000, others // 900 or 1))
    users += [
        {
            "id": i + 2,
            "platform": "bench",
            "platform_user_id": f"u{i}",
            "chat_id": f"u{i}",
            "display_name": "",
            "created_at": START,
        }
        for i in range(other_users)
    ]
    rng = random.Random(3)
    async with app.engine.begin() as conn:
        await conn.execute(insert(models.User), users)
        entry_id = 0
        plan = [(1, OWN_SETS // 3)] + [(u["id"], 0) for u in users[1:]]
        remaining = others // 3
        for index in range(1, len(plan)):
            share = remaining // (len(plan) - index)
            plan[index] = (plan[index][0], share)
            remaining -= share
        entries, sets = [], []
        for user_id, count in plan:
            for n in range(count):
                entry_id += 1
                when = START + timedelta(hours=8 * n + rng.random())
                entries.append(
                    {
                        "id": entry_id,
                        "user_id": user_id,
                        "exercise_id": rng.choice(EXERCISES),
                        "unit": "kg",
                        "raw_text": "bench",
                        "message_key": f"b{entry_id}",
                        "line_no": 0,
                        "logged_at": when,
                        "local_date": when.date(),
                    }
                )
                sets += [
                    {
                        "entry_id": entry_id,
                        "set_no": s,
                        "reps": rng.randint(6, 12),
                        "load_kg": 40 + rng.randint(0, 40) * 2.5,
                        "per_side": False,
                    }
                    for s in (1, 2, 3)
                ]
                if len(sets) >= 30_000:
                    await _flush(conn, entries, sets)
        await _flush(conn, entries, sets)
    if app.engine.dialect.name == "postgresql":
        async with app.engine.begin() as conn:  # ANALYZE is transactional: commit it
            for table in ("users", "log_entries", "set_logs"):  # ids were given explicitly: move the sequences on
                await conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )
            await conn.execute(text("ANALYZE"))


async def _flush(conn, entries: list, sets: list) -> None:
    if entries:
        await conn.execute(insert(models.LogEntry), entries)
    if sets:
        await conn.execute(insert(models.SetLog), sets)
    entries.clear()
    sets.clear()


async def measure(database_url: str, total_sets: int, requests: int) -> dict:
    clock_now = [START + timedelta(days=365)]
    app = await build_app(Settings(database_url=database_url, _env_file=None), clock=lambda: clock_now[0])
    began = time.perf_counter()
    await seed(app, total_sets)
    seeded = time.perf_counter() - began
    latencies: list[float] = []
    for i in range(requests):
        clock_now[0] += timedelta(minutes=7)
        request = Incoming("bench", MEASURED, MEASURED, REQUESTS[i % len(REQUESTS)], message_key=f"m{i}")
        t0 = time.perf_counter()
        await app.coach.handle(request)
        latencies.append((time.perf_counter() - t0) * 1000)
    await app.close()
    warm = latencies[len(REQUESTS) * 2 :]
    return {
        "sets": total_sets,
        "seed_s": round(seeded, 1),
        "p50_ms": round(percentile(warm, 50), 2),
        "p99_ms": round(percentile(warm, 99), 2),
    }


def fresh_url(base: str, tag: str) -> str:
    if base:
        return base
    return f"sqlite:///{Path(tempfile.mkdtemp()) / f'latency-{tag}.db'}"


async def reset(url: str) -> None:
    if url.startswith("postgresql"):
        from tests.conftest import reset_postgres

        await reset_postgres(url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (its schema is reset); default SQLite")
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    quiet()
    results = []
    for total in (1_000, args.big):
        url = fresh_url(args.database_url, str(total))
        asyncio.run(reset(url))
        results.append(asyncio.run(measure(url, total, args.requests)))
    small, big = results
    emit(
        {
            "scenario": "core_latency",
            "database": "postgresql" if args.database_url else "sqlite",
            "small": small,
            "big": big,
            "p50_ratio": round(big["p50_ms"] / small["p50_ms"], 3),
            "p99_ratio": round(big["p99_ms"] / small["p99_ms"], 3),
            "goal": "ratio <= 1.3",
        }
    )


if __name__ == "__main__":
    main()
