"""The postman's faults through the real PTB client and the fake Bot API: a fan-out longer
than the lease, a worker killed or stopped mid fan-out, and quiet hours and snoozes."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.postman.loop import Postman
from bot.storage import models
from tests.e2e.test_scheduled_delivery import TRAIN, USER, adapter_for, say, telegram, texts  # noqa: F401
from tests.fakes.telegram_server import FakeTelegram, RateLimit
from tests.support import ChatDriver

FIRST_ID = 40_000
BERLIN = ZoneInfo("Europe/Berlin")


class RunningClock:
    """Wall time from a chosen start: leases expire while the test really waits."""

    def __init__(self, start: datetime) -> None:
        self.start, self.began = start, time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.began)


async def people(app, clock, count: int) -> list[int]:
    clock.set_local("2026-11-23 06:00", "UTC")
    ids = [FIRST_ID + n for n in range(count)]
    for user_id in ids:
        person = ChatDriver(app.coach, platform="telegram", user_id=str(user_id))
        await person.send("/days mon-sun")
        await person.send("/remind 07:00")
    return ids


async def statuses(app) -> Counter:
    async with app.engine.connect() as conn:
        return Counter((await conn.execute(select(models.Delivery.status))).scalars())


def reminders_per_person(fake: FakeTelegram) -> Counter:
    return Counter(item["chat_id"] for item in fake.sent if TRAIN in (item.get("text") or ""))


@pytest.fixture
async def sender(app, settings):
    """A bot that only sends (no poller), against a fake enforcing Telegram's limits."""
    async with FakeTelegram(
        rate_limit_global=RateLimit(30, 1.0), rate_limit_per_chat=RateLimit(1, 1.0), enforce_rate_limits=True
    ) as fake:
        adapter = adapter_for(fake, app, settings)
        await adapter.application.initialize()
        try:
            yield fake, adapter
        finally:
            await adapter.application.shutdown()


async def test_a_fan_out_longer_than_the_lease_is_sent_once_without_takeover_or_uncertain(app, clock, sender, caplog):
    fake, adapter = sender
    ids = await people(app, clock, 130)
    lease = timedelta(seconds=2)  # shortened; at 29/s the 130 reminders take about 4.5 s, over two leases
    now = RunningClock(datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc))
    first, second = (
        Postman(app.store, app.coach.library, {"telegram": adapter}, clock=now, worker=name, lease=lease)
        for name in ("first", "second")
    )
    caplog.set_level(logging.INFO, logger="bot.postman")
    started = time.monotonic()
    sending = asyncio.create_task(first.tick())
    await fake.wait_for(lambda item: TRAIN in (item.get("text") or ""))  # the first worker is sending
    while not sending.done():  # the other worker ticks all along, ready to take over
        await second.tick()
        await asyncio.sleep(0.25)
    took = time.monotonic() - started
    got = reminders_per_person(fake)
    print(
        f"\n{len(ids)} reminders in {took:.1f} s with a {lease.total_seconds():.0f} s lease; "
        f"ledger {dict(await statuses(app))}"
    )
    assert took > 2 * lease.total_seconds()  # the fan-out really outlasted the lease
    assert all(got[user_id] == 1 for user_id in ids) and len(got) == len(ids), got
    assert await statuses(app) == Counter({"sent": len(ids)})
    assert "stopped while sending" not in caplog.text and "taken over" not in caplog.text
    assert sum(1 for call in fake.calls_of("sendMessage") if call["status"] == 429) == 0


def kill(tick: asyncio.Task) -> None:
    """kill -9, as far as the ledger can tell: the round and every send in flight stop where they are."""
    tick.cancel()
    for task in asyncio.all_tasks() - {asyncio.current_task()}:
        if "_send_one" in repr(task):
            task.cancel()


async def test_a_worker_killed_mid_fan_out_loses_only_the_request_in_flight(app, clock, sender):
    fake, adapter = sender
    ids = await people(app, clock, 6)
    adapter.pacer.interval = 0.5  # 2/s, so while one request is out the next people wait for their turn
    fake.answer_slowly("sendMessage", 4.0, every=3)  # the third arrives, its answer is still out at the kill
    clock.set_local("2026-11-23 07:00", "UTC")
    worker = Postman(app.store, app.coach.library, {"telegram": adapter}, clock=clock, worker="killed")
    round_ = asyncio.create_task(worker.tick())
    await fake.wait_for(lambda item: TRAIN in (item.get("text") or ""), start=0)
    while sum(reminders_per_person(fake).values()) < 3:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.3)  # the fourth person is waiting for a turn, not sending
    kill(round_)
    await asyncio.sleep(0)
    at_kill = await statuses(app)
    assert at_kill["sending"] == 1, at_kill  # only the request really on its way
    clock.advance(minutes=3)  # past the lease: the next worker takes over what was never tried
    restarted = Postman(app.store, app.coach.library, {"telegram": adapter}, clock=clock, worker="restarted")
    await restarted.tick()
    got = reminders_per_person(fake)
    assert all(got[user_id] == 1 for user_id in ids) and len(got) == len(ids), got
    assert await statuses(app) == Counter({"sent": 5, "uncertain": 1})  # the one in flight is not repeated


async def test_stopping_mid_fan_out_records_the_send_in_flight_as_sent(app, clock, sender):
    fake, adapter = sender
    ids = await people(app, clock, 10)
    adapter.pacer.interval = 0.25
    fake.answer_slowly("sendMessage", 0.6)  # every request is still out for a while when stop comes
    clock.set_local("2026-11-23 07:00", "UTC")
    worker = Postman(
        app.store, app.coach.library, {"telegram": adapter}, clock=clock, worker="stopping", tick_seconds=3600
    )
    worker.start()  # through APScheduler, whose shutdown cancels the jobs it is running
    while sum(reminders_per_person(fake).values()) < 2:
        await asyncio.sleep(0.01)
    await worker.stop()
    delivered = sum(reminders_per_person(fake).values())
    recorded = await statuses(app)
    assert recorded["sent"] == delivered >= 2 and recorded["claimed"] == len(ids) - delivered, recorded
    assert not recorded["sending"] and not recorded["uncertain"], recorded
    clock.advance(minutes=3)  # the rest is taken over after the lease, and nobody gets two
    await Postman(app.store, app.coach.library, {"telegram": adapter}, clock=clock, worker="next").tick()
    got = reminders_per_person(fake)
    assert all(got[user_id] == 1 for user_id in ids) and len(got) == len(ids), got
    assert await statuses(app) == Counter({"sent": len(ids)})


async def reminders_at(worker, clock, fake: FakeTelegram, hours: int) -> list[str]:
    """Tick every 5 minutes for `hours`; the Berlin times at which the person got a reminder."""
    seen = []
    for _ in range(hours * 12):
        clock.advance(minutes=5)
        before = texts(fake.sent_to(USER)).count(TRAIN)
        await worker.tick()
        seen += [clock.now.astimezone(BERLIN).strftime("%d %H:%M")] * (texts(fake.sent_to(USER)).count(TRAIN) - before)
    return seen


async def set_up(fake: FakeTelegram, clock, *, at: str, now: str) -> None:
    clock.set_local(now, "Europe/Berlin")
    for text in ("/tz Europe/Berlin", "/days mon-sun", f"/remind {at}"):
        reply = await say(fake, text)
    assert "remind you at" in reply["text"], reply["text"]


def telegram_postman(app, clock, adapter) -> Postman:
    return Postman(app.store, app.coach.library, {"telegram": adapter}, clock=clock)


async def test_quiet_hours_over_the_reminder_time_are_said_in_the_chat_and_nothing_comes_at_night(app, clock, telegram):
    fake, adapter = telegram
    await set_up(fake, clock, at="07:30", now="2026-11-23 06:00")
    reply = await say(fake, "/quiet 22:00-08:00")
    assert "07:30" in reply["text"] and "/remind" in reply["text"], reply["text"]
    worker = telegram_postman(app, clock, adapter)
    assert await reminders_at(worker, clock, fake, 48) == []
    await say(fake, "/quiet off")
    clock.set_local("2026-11-26 07:00", "Europe/Berlin")
    assert await reminders_at(worker, clock, fake, 1) == ["26 07:30"]


async def test_a_snooze_into_quiet_hours_arrives_once_when_they_end(app, clock, telegram):
    fake, adapter = telegram
    await set_up(fake, clock, at="21:00", now="2026-11-23 20:00")
    await say(fake, "/quiet 22:00-07:00")
    worker = telegram_postman(app, clock, adapter)
    clock.set_local("2026-11-23 21:00", "Europe/Berlin")
    assert await worker.tick() == 1
    clock.advance(minutes=5)
    reply = await say(fake, "/snooze 2h")  # 23:05 is inside the quiet hours
    assert "07:00" in reply["text"] and "quiet" in reply["text"].lower(), reply["text"]
    assert await reminders_at(worker, clock, fake, 24) == ["24 07:00", "24 21:00"]


async def test_snoozing_before_any_reminder_was_sent_does_not_bring_it_earlier(app, clock, telegram):
    fake, adapter = telegram
    await set_up(fake, clock, at="07:30", now="2026-11-23 06:00")
    reply = await say(fake, "/snooze 30m")
    assert "nothing to snooze" in reply["text"].lower() and "07:30" in reply["text"], reply["text"]
    assert await reminders_at(telegram_postman(app, clock, adapter), clock, fake, 2) == ["23 07:30"]


async def test_a_busy_group_is_answered_within_its_per_group_limit_and_private_chats_are_not_held(app, settings):
    from bot.postman.pacer import GROUP_LIMITS

    group = -100_555
    assert GROUP_LIMITS["telegram"] == (20, 60.0)  # Telegram's 20 a minute per group; shortened below
    async with FakeTelegram(rate_limit_per_group=RateLimit(3, 6.0)) as fake:
        adapter = adapter_for(fake, app, settings)
        adapter.pacer.per_group = (3, 6.0)  # the same window, in seconds a test can wait
        await adapter.start()
        try:
            for n in range(5):  # five people ask in the group at once
                fake.user_sends("/help@gluteup_bot", user_id=USER + 1 + n, chat_id=group, chat_type="group")
            answers = await fake.wait_for_sent(group, count=3, timeout=10)
            started = time.monotonic()
            fake.user_sends("/help")  # meanwhile someone writes privately
            await fake.wait_for_sent(USER, count=1, timeout=10)
            private_wait = time.monotonic() - started
            answers = await fake.wait_for_sent(group, count=5, timeout=20)
        finally:
            await adapter.stop()
    print(
        f"\ngroup: {len(answers)} answers, at most {fake.max_sends_in_window(group, 6.0)} in any 6 s; "
        f"private answer waited {private_wait:.2f} s"
    )
    assert fake.would_be_429s_by_chat[group] == 0 and fake.would_be_429s == 0, (
        fake.would_be_429s_by_chat,
        [round(t - fake.send_times[group][0], 3) for t in fake.send_times[group]],
    )
    assert fake.max_sends_in_window(group, 6.0) <= 3
    assert private_wait < 2.0  # the group's window holds only the group
