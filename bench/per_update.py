"""Scenario: what one update costs the core, per update type, for a returning user.

Sequential `Coach.handle` calls (no platform, no concurrency), so each statement the
driver runs (SQLAlchemy's `before_cursor_execute`) and each CPU millisecond belongs to
the update being measured. Also: a set log for a person with 1,000 earlier sets of that
exercise against one with none (records come from an aggregate, not from the history).
The database is emptied first and the clock is pinned, so every run sees the same data.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import event, insert

from bench.common import emit, quiet
from bot.app import build_app
from bot.settings import Settings
from bot.storage import models
from core.domain import Incoming

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)  # pinned: /today is a training day every run
UPDATES = {
    "set log": "hip thrust 3x10 @ 60kg",
    "/today": "/today",
    "/week": "/week",
    "/help": "/help",
    "unknown text": "what a lovely day",
}
REPEAT = 40
HISTORY = 1000  # earlier sets of the logged exercise


async def reset(url: str) -> None:
    if url.startswith("postgresql"):
        from tests.conftest import reset_postgres

        await reset_postgres(url)


class Clock:
    def __init__(self) -> None:
        self.now = MONDAY

    def __call__(self) -> datetime:
        return self.now


async def returning(app, user: str) -> None:
    for text in ("/tz Europe/Berlin", "/days mon wed fri"):
        await app.coach.handle(Incoming("bench", user, user, text, message_key=f"{user}:{text}"))


async def seed_history(app, user: str, sets: int) -> None:
    """`sets` earlier hip-thrust sets over the past weeks, written straight into the tables."""
    async with app.store.unit_of_work() as uow:
        found = await uow.users.get_or_create("bench", user, user, "", MONDAY)
        await uow.commit()
    async with app.engine.begin() as conn:
        for start in range(0, sets, 3):
            when = MONDAY - timedelta(days=1 + start // 3)
            entry = (
                await conn.execute(
                    insert(models.LogEntry).returning(models.LogEntry.id),
                    [
                        {
                            "user_id": found.id,
                            "exercise_id": "hip_thrust",
                            "unit": "kg",
                            "raw_text": "seed",
                            "message_key": f"seed{start}",
                            "line_no": 0,
                            "logged_at": when,
                            "local_date": when.date(),
                        }
                    ],
                )
            ).scalar_one()
            await conn.execute(
                insert(models.SetLog),
                [
                    {"entry_id": entry, "set_no": n, "reps": 8 + n, "load_kg": 50 + (start % 40), "per_side": False}
                    for n in range(1, 4)
                    if start + n <= sets
                ],
            )


async def measure(database_url: str) -> dict:
    await reset(database_url)
    clock = Clock()
    app = await build_app(Settings(database_url=database_url, _env_file=None), clock=clock)
    statements = [0]
    event.listen(
        app.engine.sync_engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1)
    )
    per_type = {}
    counter = 0

    async def one(user: str, text: str) -> tuple[int, float]:
        nonlocal counter
        counter += 1
        clock.now += timedelta(seconds=30)
        before, cpu = statements[0], time.process_time()
        await app.coach.handle(Incoming("bench", user, user, text, message_key=f"{user}:{counter}"))
        return statements[0] - before, (time.process_time() - cpu) * 1000

    await returning(app, "reader")
    await one("reader", UPDATES["set log"])
    for kind, text in UPDATES.items():
        results = [await one("reader", text) for _ in range(REPEAT)]
        per_type[kind] = {
            "statements": statistics.median(r[0] for r in results),
            "cpu_ms": round(statistics.median(r[1] for r in results), 2),
        }

    people = {"fresh": 0, "veteran": HISTORY}
    history: dict[int, list[tuple[int, float]]] = {sets: [] for sets in people.values()}
    for user, sets in people.items():
        await returning(app, user)
        await seed_history(app, user, sets)
        await one(user, "rdl 3x8 @ 50kg")  # today's session exists for both
    for i in range(REPEAT):  # alternating, so that a busier moment of the machine hits both alike
        for user, sets in people.items():
            history[sets].append(await one(user, f"hip thrust 3x{8 + i % 4} @ {40 + i % 5 * 2.5}kg"))
    await app.close()
    fresh = statistics.median(r[1] for r in history[0])
    veteran = statistics.median(r[1] for r in history[HISTORY])
    return {
        "per_type": per_type,
        "setlog_history": {
            "none_cpu_ms": round(fresh, 2),
            f"{HISTORY}_cpu_ms": round(veteran, 2),
            "ratio": round(veteran / fresh, 3),
            "statements": [
                statistics.median(r[0] for r in history[0]),
                statistics.median(r[0] for r in history[HISTORY]),
            ],
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (its schema is reset); default SQLite")
    args = parser.parse_args()
    quiet()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'per-update.db'}"
    result = asyncio.run(measure(url))
    emit(
        {
            "scenario": "per_update",
            "database": "postgresql" if args.database_url else "sqlite",
            **result,
            "goal": "set log <= 4 statements, reads 1; 1,000 earlier sets <= 1.2x none",
        }
    )


if __name__ == "__main__":
    main()
