"""The reminder postman on a real database, with an injected clock and the console adapter."""

import asyncio
import io

import pytest
from sqlalchemy import func, select

from bot.adapters.base import Unreachable
from bot.adapters.console import ConsoleChat
from bot.postman.pacer import Pacer
from bot.scheduling import ReminderScheduler
from bot.storage import models
from bot.storage.store import SqlStore
from tests.support import ChatDriver

TRAIN = "Time to train!"


class Screen:
    """A console adapter whose output the test reads."""

    def __init__(self, coach):
        self.out = io.StringIO()
        self.console = ConsoleChat(coach, stdout=self.out)

    def count(self, text: str) -> int:
        return self.out.getvalue().count(text)


class DiesAfterSending(ConsoleChat):
    """The message leaves, then the process dies before it can record that it was sent."""

    async def push(self, chat_id, replies):
        await super().push(chat_id, replies)
        raise asyncio.CancelledError


class BlockedConsole(ConsoleChat):
    async def push(self, chat_id, replies):
        raise Unreachable("blocked")


class FailsForOneChat(ConsoleChat):
    """A platform error for one chat (not a block, not a rate limit)."""

    async def push(self, chat_id, replies):
        if chat_id == "broken":
            raise RuntimeError("connection reset")
        await super().push(chat_id, replies)


def postman(app, clock, adapter, **kwargs) -> ReminderScheduler:
    return ReminderScheduler(app.store, app.coach.library, {"test": adapter}, clock=clock, **kwargs)


@pytest.fixture
def screen(app):
    return Screen(app.coach)


async def setup(chat, clock, *, zone="Europe/Berlin", at="07:30", days="mon-sun", now="2026-11-23 06:00"):
    clock.set_local(now, zone)
    await chat.send(f"/tz {zone}")
    await chat.send(f"/days {days}")
    await chat.send(f"/remind {at}")
    assert "I'll remind you" in chat.text, chat.text


async def test_a_reminder_arrives_on_time_once(app, chat, clock, screen):
    await setup(chat, clock)
    worker = postman(app, clock, screen.console)
    clock.set_local("2026-11-23 07:29", "Europe/Berlin")
    assert await worker.tick() == 0
    clock.set_local("2026-11-23 07:30", "Europe/Berlin")
    assert await worker.tick() == 1
    assert await worker.tick() == 0
    assert screen.count(TRAIN) == 1 and "Snooze 30 min" in screen.out.getvalue()


@pytest.mark.parametrize(
    "zone, at, start, expected_local",
    [
        ("Europe/Berlin", "02:30", "2026-03-28 20:00", ["29 03:30", "30 02:30"]),
        ("Europe/Berlin", "02:30", "2026-10-24 20:00", ["25 02:30", "26 02:30"]),
        ("America/New_York", "02:30", "2026-03-07 20:00", ["08 03:30", "09 02:30"]),
        ("America/New_York", "01:30", "2026-10-31 20:00", ["01 01:30", "02 01:30"]),
    ],
)
async def test_dst_changes_deliver_exactly_one_reminder_a_day(
    app, chat, clock, screen, zone, at, start, expected_local
):
    from zoneinfo import ZoneInfo

    await setup(chat, clock, zone=zone, at=at, now=start)
    worker = postman(app, clock, screen.console)
    delivered = []
    for _ in range(2 * 24 * 6):  # two days, a tick every 10 minutes
        clock.advance(minutes=10)
        if await worker.tick():
            delivered.append(clock.now.astimezone(ZoneInfo(zone)).strftime("%d %H:%M"))
    assert screen.count(TRAIN) == 2
    assert delivered == expected_local  # the day and the local minute: 02:30 that does not exist is 03:30


async def test_quiet_hours_hold_glute_up_prompts(app, chat, clock, screen):
    clock.set_local("2026-11-23 08:00", "Europe/Berlin")
    await chat.send("/tz Europe/Berlin")
    await chat.send("/gluteup on every 2h 10:00-14:00")
    await chat.send("/quiet 11:30-12:30")
    worker = postman(app, clock, screen.console)
    seen = []
    for _ in range(8 * 6):
        clock.advance(minutes=10)
        if await worker.tick():
            seen.append(clock.now.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Berlin")).strftime("%H:%M"))
    assert seen == ["10:00", "14:00"]
    assert screen.count("Glute up!") == 2


async def test_snooze_sends_it_again_later(app, chat, clock, screen):
    await setup(chat, clock)
    worker = postman(app, clock, screen.console)
    clock.set_local("2026-11-23 07:30", "Europe/Berlin")
    await worker.tick()
    await chat.send("/snooze 30m")
    assert "08:00" in chat.text
    clock.set_local("2026-11-23 07:59", "Europe/Berlin")
    assert await worker.tick() == 0
    clock.set_local("2026-11-23 08:00", "Europe/Berlin")
    assert await worker.tick() == 1
    assert screen.count(TRAIN) == 2


async def test_pause_and_resume(app, chat, clock, screen):
    await setup(chat, clock)
    await chat.send("/pause 2d")
    worker = postman(app, clock, screen.console)
    for day in ("23", "24"):
        clock.set_local(f"2026-11-{day} 07:30", "Europe/Berlin")
        await worker.tick()
    assert screen.count(TRAIN) == 0
    clock.set_local("2026-11-25 07:30", "Europe/Berlin")
    await worker.tick()
    assert screen.count(TRAIN) == 1


async def test_durations_are_read_as_people_write_them(chat, clock):
    """'/pause 2 weeks' was refused with 'Give a duration like 30m, 2h or 7d'."""
    clock.set_local("2026-11-23 09:00", "UTC")
    for text, until in (
        ("/pause 2 weeks", "Mon 07 Dec 09:00"),
        ("/pause a week", "Mon 30 Nov 09:00"),
        ("/pause 3 days", "Thu 26 Nov 09:00"),
        ("/pause 1w", "Mon 30 Nov 09:00"),
        ("/pause 12 hrs", "Mon 23 Nov 21:00"),
        ("/pause an hour", "Mon 23 Nov 10:00"),
    ):
        await chat.send(text)
        assert f"paused until {until}" in chat.text, (text, chat.text)
    await chat.send("/pause 2 fortnights")
    assert "Give a duration like 30m, 2h, 3d or 2 weeks" in chat.text, chat.text


async def test_skip_today(app, chat, clock, screen):
    await setup(chat, clock)
    await chat.send("/skip")
    assert "Skipped today" in chat.text and "Tue 24 Nov 07:30" in chat.text
    worker = postman(app, clock, screen.console)
    clock.set_local("2026-11-23 07:30", "Europe/Berlin")
    assert await worker.tick() == 0
    clock.set_local("2026-11-24 07:30", "Europe/Berlin")
    assert await worker.tick() == 1


async def test_a_worker_killed_between_claim_and_send_is_replaced_and_sends_once(app, chat, clock, screen):
    await setup(chat, clock)
    clock.set_local("2026-11-23 07:30", "Europe/Berlin")
    claimed = await postman(app, clock, screen.console, worker="first").claim_due(clock.now)
    assert len(claimed) == 1  # ... and the process is killed before it sends anything
    restarted = postman(app, clock, screen.console, worker="second")
    clock.advance(minutes=1)
    if restarted.lock.postgres:  # the sender lock proves nobody else is sending: taken over at once
        assert await restarted.tick() == 1
    else:  # SQLite has no lock: the claim is still leased to the dead worker
        assert await restarted.tick() == 0
        clock.advance(minutes=2)
        assert await restarted.tick() == 1
    clock.advance(minutes=5)
    assert await restarted.tick() == 0
    assert screen.count(TRAIN) == 1


async def test_a_worker_killed_between_send_and_mark_is_not_repeated(app, chat, clock, screen):
    await setup(chat, clock)
    clock.set_local("2026-11-23 07:30", "Europe/Berlin")
    with pytest.raises(asyncio.CancelledError):
        await postman(app, clock, DiesAfterSending(app.coach, stdout=screen.out), worker="first").tick()
    restarted = postman(app, clock, screen.console, worker="second")
    for _ in range(3):
        clock.advance(minutes=2)
        assert await restarted.tick() == 0
    assert screen.count(TRAIN) == 1
    async with app.engine.connect() as conn:
        assert (await conn.execute(select(models.Delivery.status))).scalar_one() == "uncertain"
    clock.set_local("2026-11-24 07:30", "Europe/Berlin")
    assert await restarted.tick() == 1  # the next day goes on as usual


async def test_a_slow_worker_whose_claim_was_taken_over_does_not_send_it_too(app, chat, clock, screen):
    await setup(chat, clock)
    clock.set_local("2026-11-23 07:30", "Europe/Berlin")
    slow = postman(app, clock, screen.console, worker="slow")
    claimed = await slow.claim_due(clock.now)
    clock.advance(minutes=3)  # its lease runs out while it is still busy
    assert await postman(app, clock, screen.console, worker="fast").tick() == 1
    assert await slow._deliver(claimed[0], clock.now) == 0
    assert screen.count(TRAIN) == 1


async def test_after_long_downtime_only_the_latest_slot_is_sent_within_grace(app, chat, clock, screen):
    await setup(chat, clock)
    worker = postman(app, clock, screen.console)
    clock.set_local("2026-11-26 07:40", "Europe/Berlin")  # down since Monday morning
    assert await worker.tick() == 1
    assert screen.count(TRAIN) == 1
    clock.set_local("2026-11-28 09:30", "Europe/Berlin")  # down again, two hours past the slot
    assert await worker.tick() == 0
    clock.set_local("2026-11-29 07:30", "Europe/Berlin")
    assert await worker.tick() == 1


async def test_a_user_who_blocked_the_bot_gets_nothing_more(app, chat, clock, screen):
    await setup(chat, clock)
    clock.set_local("2026-11-23 07:30", "Europe/Berlin")
    await postman(app, clock, BlockedConsole(app.coach, stdout=io.StringIO())).tick()
    async with app.engine.connect() as conn:
        unreachable = (await conn.execute(select(models.User.unreachable_at))).scalar_one()
    assert unreachable is not None
    clock.set_local("2026-11-24 07:30", "Europe/Berlin")
    assert await postman(app, clock, screen.console).tick() == 0


async def test_time_zone_change_moves_the_reminder(app, chat, clock, screen):
    await setup(chat, clock)
    await chat.send("/tz America/New_York")
    worker = postman(app, clock, screen.console)
    clock.set_local("2026-11-23 07:30", "Europe/Berlin")
    assert await worker.tick() == 0
    clock.set_local("2026-11-23 07:30", "America/New_York")
    assert await worker.tick() == 1


async def test_onboarding_reminder_time_creates_the_reminder(app, chat, clock, screen):
    clock.set_local("2026-11-23 06:00", "UTC")
    for step in (
        "/start experience novice",
        "/start place home",
        "/start days mon thu",
        "/start tz UTC",
        "/start units kg",
        "/start remind 07:00",
    ):
        await chat.send(step)
    await chat.send("/remind")
    assert "07:00" in chat.text and "Mon 23 Nov 07:00" in chat.text


async def test_pain_check_in_is_delivered_once(app, chat, clock, screen):
    clock.set_local("2026-11-23 09:00", "UTC")
    await chat.send("/pain doms moderate")
    worker = postman(app, clock, screen.console)
    clock.advance(days=2, minutes=1)
    await worker.tick()
    await worker.tick()
    assert screen.count("How is your heavy soreness doing?") == 1


@pytest.fixture
async def postgres_app(clock, tmp_path):
    """Only PostgreSQL has SKIP LOCKED, which is what lets two workers share the work."""
    from bot.app import build_app
    from bot.settings import Settings
    from tests.conftest import NO_POSTGRES, POSTGRES_URL, reset_postgres

    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    await reset_postgres(POSTGRES_URL)
    application = await build_app(Settings(database_url=POSTGRES_URL, _env_file=None), clock=clock)
    yield application
    await application.close()


@pytest.mark.postgres
async def test_two_workers_on_postgresql_send_each_reminder_once(postgres_app, clock):
    app = postgres_app
    people = 60
    clock.set_local("2026-11-23 06:00", "UTC")
    for n in range(people):
        driver = ChatDriver(app.coach, user_id=str(5000 + n))
        await driver.send("/days mon-sun")
        await driver.send("/remind 07:00")
    from bot.storage.database import create_engine

    second_engine = create_engine(app.settings.database_url)
    screens = [Screen(app.coach), Screen(app.coach)]
    workers = [
        postman(app, clock, screens[0].console, worker="a"),
        ReminderScheduler(
            SqlStore(second_engine), app.coach.library, {"test": screens[1].console}, clock=clock, worker="b"
        ),
    ]
    clock.set_local("2026-11-23 07:00", "UTC")
    sent = await asyncio.gather(*(w.tick() for w in workers))
    await second_engine.dispose()
    assert sum(sent) == people
    assert screens[0].count(TRAIN) + screens[1].count(TRAIN) == people
    async with app.engine.connect() as conn:
        rows = (await conn.execute(select(func.count()).select_from(models.Delivery))).scalar_one()
    assert rows == people


async def test_a_reminder_inside_quiet_hours_is_refused_with_a_reason(chat, clock):
    clock.set_local("2026-11-23 06:00", "UTC")
    await chat.send("/quiet 22:00-07:00")
    await chat.send("/remind 06:30")
    assert "quiet hours" in chat.text and "could never arrive" in chat.text


async def test_one_failed_send_does_not_stop_the_others_and_is_recorded(app, clock):
    clock.set_local("2026-11-23 06:00", "UTC")
    for name in ("broken", "fine"):
        driver = ChatDriver(app.coach, user_id=name)
        await driver.send("/days mon-sun")
        await driver.send("/remind 07:00")
    out = io.StringIO()
    clock.set_local("2026-11-23 07:00", "UTC")
    assert await postman(app, clock, FailsForOneChat(app.coach, stdout=out)).tick() == 1
    assert out.getvalue().count(TRAIN) == 1
    async with app.engine.connect() as conn:
        statuses = sorted((await conn.execute(select(models.Delivery.status))).scalars())
    assert statuses == ["failed", "sent"]


async def test_a_pain_check_in_waits_for_quiet_hours_to_end(app, chat, clock, screen):
    clock.set_local("2026-11-23 09:00", "UTC")
    await chat.send("/pain doms moderate")
    await chat.send("/quiet 08:00-10:00")
    worker = postman(app, clock, screen.console)
    clock.advance(days=2, minutes=1)
    await worker.tick()
    assert screen.count("How is your heavy soreness doing?") == 0
    clock.set_local("2026-11-25 10:00", "UTC")
    await worker.tick()
    await worker.tick()
    assert screen.count("How is your heavy soreness doing?") == 1


class SlowConsole(ConsoleChat):
    """A platform that takes a moment per message and allows 20 a second, so a stop lands mid-batch."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pacer = Pacer(20.0)

    async def push(self, chat_id, replies):
        await asyncio.sleep(0.05)
        await super().push(chat_id, replies)


async def test_a_clean_stop_mid_batch_leaves_the_rest_claimed_and_nothing_uncertain(app, clock):
    clock.set_local("2026-11-23 06:00", "UTC")
    for n in range(40):
        person = ChatDriver(app.coach, user_id=str(7000 + n))
        await person.send("/days mon-sun")
        await person.send("/remind 07:00")
    out = io.StringIO()
    worker = postman(app, clock, SlowConsole(app.coach, stdout=out))
    clock.set_local("2026-11-23 07:00", "UTC")
    running = asyncio.create_task(worker.tick())
    while out.getvalue().count(TRAIN) < 3:
        await asyncio.sleep(0.01)
    await worker.stop()
    await running
    async with app.engine.connect() as conn:
        statuses = [s for (s,) in (await conn.execute(select(models.Delivery.status))).all()]
    assert "uncertain" not in statuses and "sending" not in statuses
    assert statuses.count("sent") == out.getvalue().count(TRAIN) < 40
    clock.advance(minutes=3)  # past the lease: another worker finishes the job, once each
    screen = Screen(app.coach)
    await postman(app, clock, screen.console, worker="next").tick()
    assert out.getvalue().count(TRAIN) + screen.count(TRAIN) == 40
