"""What the ledger says when a worker stops or dies mid fan-out: 'sending' means one request
was really on its way, and a clean stop lets that request finish."""

import asyncio
import io

from sqlalchemy import select

from bot.adapters.console import ConsoleChat
from bot.postman.loop import Postman
from bot.postman.pacer import Pacer
from bot.storage import models
from tests.support import ChatDriver

TRAIN = "Time to train!"


class Platform(ConsoleChat):
    """A console that allows `rate` sends a second and takes `takes` seconds per request;
    `hang_on` makes that request never answer (the process is killed while it is out)."""

    def __init__(self, coach, *, rate: float, takes: float, hang_on: int | None = None):
        super().__init__(coach, stdout=io.StringIO())
        self.pacer = Pacer(rate)
        self.takes, self.hang_on = takes, hang_on
        self.started = self.finished = 0

    async def push(self, chat_id, replies):
        self.started += 1
        if self.started == self.hang_on:
            await asyncio.Event().wait()
        await asyncio.sleep(self.takes)
        await super().push(chat_id, replies)
        self.finished += 1


async def people(app, clock, count: int) -> None:
    clock.set_local("2026-11-23 06:00", "UTC")
    for n in range(count):
        person = ChatDriver(app.coach, user_id=str(8000 + n))
        await person.send("/days mon-sun")
        await person.send("/remind 07:00")
    clock.set_local("2026-11-23 07:00", "UTC")


async def statuses(app) -> list[str]:
    async with app.engine.connect() as conn:
        return sorted((await conn.execute(select(models.Delivery.status))).scalars())


async def test_a_worker_killed_mid_fan_out_leaves_only_the_request_in_flight_as_sending(app, clock):
    await people(app, clock, 6)
    platform = Platform(app.coach, rate=5.0, takes=0.01, hang_on=2)
    postman = Postman(app.store, app.coach.library, {"test": platform}, clock=clock)
    running = asyncio.create_task(postman.tick())
    while platform.started < 2:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.5)  # the next turns come and go while the second request hangs
    recorded = await statuses(app)
    running.cancel()  # kill -9: nothing more happens
    for task in asyncio.all_tasks() - {asyncio.current_task()}:
        if "_send_one" in repr(task):
            task.cancel()
    # Only the hanging request is 'sending'; the people after it were sent or never attempted.
    assert recorded.count("sending") == platform.started - platform.finished == 1, recorded
    assert recorded.count("sent") == platform.finished


async def test_stopping_lets_a_send_in_flight_finish_and_record_it(app, clock):
    await people(app, clock, 10)
    platform = Platform(app.coach, rate=4.0, takes=0.6)
    postman = Postman(app.store, app.coach.library, {"test": platform}, clock=clock, tick_seconds=3600)
    postman.start()  # through APScheduler, whose shutdown cancels the jobs it runs
    while platform.started < 2:
        await asyncio.sleep(0.01)
    await postman.stop()
    recorded = await statuses(app)
    assert "sending" not in recorded and "uncertain" not in recorded, recorded
    assert platform.started == platform.finished == recorded.count("sent") >= 2
    assert recorded.count("claimed") == 10 - recorded.count("sent")  # left for a takeover after the lease


async def test_a_big_fan_out_is_claimed_in_chunks_the_sender_finishes_within_the_lease(app, clock):
    await people(app, clock, 70)
    platform = Platform(app.coach, rate=1.0, takes=0.0)  # sends 60 in half a lease: chunks of 60
    postman = Postman(app.store, app.coach.library, {"test": platform}, clock=clock)
    running = asyncio.create_task(postman.tick())
    while platform.finished < 2:
        await asyncio.sleep(0.01)
    claimed_so_far = len(await statuses(app))
    await postman.stop()
    await running
    assert claimed_so_far == 60  # the other 10 wait for the next chunk, unclaimed, for any worker
