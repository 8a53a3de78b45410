"""Two workers on PostgreSQL against a fake Bot API that enforces Telegram's limits
(30 accepted in any sliding second, 1 per chat per second, 429 with retry_after beyond)."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from pydantic import SecretStr

from bot.adapters.telegram_bot import TelegramAdapter
from bot.postman.loop import Postman
from bot.storage.database import create_engine
from bot.storage.store import SqlStore
from tests.fakes.telegram_server import FakeTelegram, RateLimit
from tests.support import ChatDriver

TRAIN = "Time to train!"
PEOPLE = 300
FIRST_ID = 30_000


@pytest.fixture
async def postgres_app(clock):
    from bot.app import build_app
    from bot.settings import Settings
    from tests.conftest import NO_POSTGRES, POSTGRES_URL, reset_postgres

    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    await reset_postgres(POSTGRES_URL)
    application = await build_app(Settings(database_url=POSTGRES_URL, _env_file=None), clock=clock)
    yield application
    await application.close()


async def worker(app, fake: FakeTelegram, clock, name: str):
    """A second process, as far as the database and Telegram can tell: its own engine and bot."""
    settings = app.settings.model_copy(
        update={"telegram_token": SecretStr(fake.token), "telegram_base_url": fake.base_url}
    )
    engine = create_engine(app.settings.database_url)
    store = SqlStore(engine)
    adapter = TelegramAdapter.from_settings(settings, app.coach)
    await adapter.application.initialize()  # sends only: one poller per token is another story
    return Postman(store, app.coach.library, {"telegram": adapter}, clock=clock, worker=name), adapter, engine


async def run_two_workers(app, clock, *, slow_every: int | None = None) -> dict:
    clock.set_local("2026-11-23 06:00", "UTC")
    for n in range(PEOPLE):
        person = ChatDriver(app.coach, platform="telegram", user_id=str(FIRST_ID + n))
        await person.send("/days mon-sun")
        await person.send("/remind 07:00")
    async with FakeTelegram(
        rate_limit_global=RateLimit(30, 1.0), rate_limit_per_chat=RateLimit(1, 1.0), enforce_rate_limits=True
    ) as fake:
        if slow_every:
            fake.answer_slowly("sendMessage", 5.5, every=slow_every)  # PTB's read timeout is 5 s
        workers = [await worker(app, fake, clock, name) for name in ("a", "b")]
        clock.set_local("2026-11-23 07:00", "UTC")
        try:
            sent = await asyncio.gather(*(postman.tick() for postman, _, _ in workers))
            await asyncio.sleep(0.5)
        finally:
            for _, adapter, engine in workers:
                await adapter.application.shutdown()
                await engine.dispose()
        accepted = [item for item in fake.sent if TRAIN in (item.get("text") or "")]
        times = sorted(item["time"] for item in accepted)
        return {
            "per_person": Counter(item["chat_id"] for item in accepted),
            "sent_by_worker": sent,
            "rate": (len(times) - 1) / (times[-1] - times[0]),
            "429s": sum(1 for call in fake.calls_of("sendMessage") if call["status"] == 429),
            "busiest_second": fake.max_sends_in_window(None, 1.0),
        }


def check(result: dict, label: str) -> None:
    print(
        f"\n{label}: {PEOPLE} people, {sum(result['per_person'].values())} reminders delivered, "
        f"{result['rate']:.1f} sends/s, {result['429s']} 429s, busiest second {result['busiest_second']}, "
        f"sent by worker a/b: {result['sent_by_worker']}"
    )
    assert sorted(result["per_person"]) == list(range(FIRST_ID, FIRST_ID + PEOPLE))
    assert set(result["per_person"].values()) == {1}  # every person exactly once
    assert result["429s"] <= 3
    assert result["rate"] >= 25


@pytest.mark.postgres
async def test_two_workers_deliver_every_reminder_once_at_the_platform_rate(postgres_app, clock):
    result = await run_two_workers(postgres_app, clock)
    check(result, "two workers")
    assert 0 in result["sent_by_worker"]  # one sender per token at a time; the other stood by


@pytest.mark.postgres
async def test_two_workers_with_one_answer_in_ten_later_than_the_read_timeout(postgres_app, clock):
    result = await run_two_workers(postgres_app, clock, slow_every=10)
    check(result, "two workers, 1 answer in 10 after the read timeout")


@pytest.mark.postgres
async def test_when_the_sending_worker_dies_the_standby_takes_over_within_seconds(postgres_app, clock):
    import io
    import time

    from bot.adapters.console import ConsoleChat
    from bot.postman.pacer import Pacer

    class Slow(ConsoleChat):
        def __init__(self, coach):
            super().__init__(coach, stdout=io.StringIO())
            self.pacer, self.sent, self.first_at = Pacer(5.0), 0, None

        async def push(self, chat_id, replies):
            await super().push(chat_id, replies)
            self.sent += 1
            self.first_at = self.first_at or time.monotonic()

    app = postgres_app
    clock.set_local("2026-11-23 06:00", "UTC")
    for n in range(40):
        person = ChatDriver(app.coach, user_id=str(FIRST_ID + n))
        await person.send("/days mon-sun")
        await person.send("/remind 07:00")
    clock.set_local("2026-11-23 07:00", "UTC")
    engines = [create_engine(app.settings.database_url) for _ in range(2)]
    dying, standby = Slow(app.coach), Slow(app.coach)
    a = Postman(SqlStore(engines[0]), app.coach.library, {"test": dying}, clock=clock, worker="a")
    b = Postman(SqlStore(engines[1]), app.coach.library, {"test": standby}, clock=clock, worker="b", tick_seconds=1.0)
    try:
        sending = asyncio.create_task(a.tick())
        while dying.sent < 3:
            await asyncio.sleep(0.01)
        b.start()  # stands by: a holds the lock
        await asyncio.sleep(2.5)
        assert standby.sent == 0
        # a dies: its round stops (a request already on its way completes) and its lock
        # connection drops, which frees the lock as a dead process's would
        sending.cancel()
        await a.lock._held["test"].invalidate()
        died = time.monotonic()
        while standby.first_at is None and time.monotonic() - died < 10:
            await asyncio.sleep(0.05)
        took_over = standby.first_at - died
        while dying.sent + standby.sent < 40 and time.monotonic() - died < 20:
            await asyncio.sleep(0.05)
        print(f"\nstandby took over {took_over:.1f} s after the sender died; {dying.sent} + {standby.sent} of 40 sent")
        assert took_over < 3.0
        assert dying.sent + standby.sent == 40  # nobody twice, nobody left out
    finally:
        await b.stop()
        for engine in engines:
            await engine.dispose()
