"""The postman: claim a chunk, compose, send, record. APScheduler is the clock, the
database is the truth (bot/postman/ledger.py), one pacer per platform sets the rate.

Per platform and tick: take the sender lock (one sender per platform across workers),
take over abandoned claims, then claim chunks small enough to send within the lease,
so a big fan-out never outlives its claim. Composing runs ahead of sending (a small
queue), so the pacer, not the database, sets the pace; each send waits for its turn,
is recorded "sending" right before its request, and runs as its own task, so a slow
answer does not hold up the next person. Stopping starts no new send and lets the ones
in flight finish; what is left stays claimed and is taken over after its lease.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from datetime import datetime, timedelta, timezone

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.adapters.base import MaybeSent, NotSent, RateLimited, Unreachable
from bot.postman.ledger import LEASE, SqlLedger
from bot.postman.lock import SenderLock
from bot.postman.pacer import SEND_RATES, Pacer
from bot.postman.reads import Recipient, read_recipients
from core.coach import Clock, utc_now
from core.context import Context
from core.domain import Incoming, UserRef
from core.features.pain import checkin_reply
from core.features.reminders import compose
from core.library import Library
from core.ports import PAIN_CHECKIN, Claim, DeliveryStatus
from core.reminders import WORKOUT

log = logging.getLogger(__name__)

MAX_CHUNK = 2000
CHECKIN_BATCH = 500
COMPOSED_AHEAD = 32  # messages composed and waiting for their turn
COMPOSE_BATCH = 500  # claims read in one query and composed together
PLAIN_TEXTS_KEPT = 4096  # plain workout reminders kept, one per distinct plan settings in use
IN_FLIGHT = 64  # concurrent requests: enough to keep 30/s while some answers take seconds
SEND_TRIES = 3  # turns for one message that provably did not leave (429, connection refused)
STOP_GRACE_SECONDS = 10.0
RETRY = "retry"


class Postman:
    def __init__(
        self,
        store,
        library: Library,
        adapters: dict,
        *,
        clock: Clock = utc_now,
        tick_seconds: float = 10.0,
        grace: timedelta = timedelta(minutes=30),
        worker: str | None = None,
        lease: timedelta = LEASE,
    ):
        self.store, self.library, self.adapters = store, library, adapters
        self.clock, self.tick_seconds, self.grace = clock, tick_seconds, grace
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        # Only what this worker can send: a console-only `gluteup run` must not claim (and
        # throw away) the Telegram reminders a proper worker beside it would deliver.
        self.platforms = sorted(adapters)
        self.pacers = {
            name: getattr(adapter, "pacer", None) or Pacer(SEND_RATES.get(name, 30.0))
            for name, adapter in adapters.items()
        }
        self.ledger = SqlLedger(store, self.worker, grace=grace, lease=lease)
        self.lock = SenderLock(store.engine)
        self._plain_workouts: dict[tuple | None, list] = {}  # plain stored values -> replies (compose_chunk)
        self._scheduler: AsyncIOScheduler | None = None
        self._running: asyncio.Task | None = None
        self._ticks: set[asyncio.Task] = set()
        self._stopping = False

    @classmethod
    def from_app(cls, app) -> "Postman":
        return cls(
            app.store,
            app.coach.library,
            app.adapters,
            clock=app.coach.clock,
            tick_seconds=app.settings.scheduler_tick_seconds,
            grace=timedelta(minutes=app.settings.reminder_grace_minutes),
        )

    def chunk(self, platform: str) -> int:
        """As many as the pacer sends in half a lease, so a claim never outlives its lease."""
        per_second = 1.0 / self.pacers[platform].interval
        return max(1, min(MAX_CHUNK, int(per_second * self.ledger.lease.total_seconds() / 2)))

    # ---- lifecycle -------------------------------------------------------

    def start(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone=timezone.utc)
        self._scheduler.add_job(
            self._kick,
            "interval",
            seconds=self.tick_seconds,
            id="reminders",
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(timezone.utc),
        )
        self._scheduler.start()

    async def _kick(self) -> None:
        """The clock only starts a round, in a task of our own: APScheduler's shutdown cancels
        its running jobs, and a cancelled send in flight would be left "sending"."""
        if not self._stopping and (self._running is None or self._running.done()):
            self._running = asyncio.create_task(self.tick())

    async def stop(self) -> None:
        """Stop the clock, let sends already leaving finish, and start no new ones: what is
        left stays claimed and is taken over after its lease, instead of ending "uncertain"."""
        self._stopping = True
        if self._scheduler is not None:
            self._scheduler.pause()  # not shutdown yet: APScheduler's shutdown cancels a running tick
        await asyncio.sleep(0)  # a tick submitted just before starts now and ends at once
        if self._ticks:
            await asyncio.wait(self._ticks, timeout=STOP_GRACE_SECONDS)
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
        for platform in self.platforms:
            await self.lock.release(platform)

    # ---- a round ---------------------------------------------------------

    async def tick(self) -> int:
        """One round for every platform this worker sends to. Returns how many were sent."""
        task = asyncio.current_task()
        assert task is not None  # always called from a task (the clock's, or a test's)
        self._ticks.add(task)
        try:
            return sum(await asyncio.gather(*(self._round(platform) for platform in self.platforms)))
        finally:
            self._ticks.discard(task)

    async def _round(self, platform: str) -> int:
        if not await self.lock.try_acquire(platform):
            log.debug("another worker is sending %s messages; standing by", platform)
            return 0
        try:
            sent = await self._send_all(
                await self.ledger.reclaim_abandoned(self.clock(), [platform], sole_sender=self.lock.postgres)
            )
            while not self._stopping:
                rows, claims = await self.ledger.claim_due(self.clock(), [platform], self.chunk(platform))
                sent += await self._send_all(claims)
                if rows < self.chunk(platform):
                    break
            if not self._stopping:
                checkin_days = {name: area.checkin_days for name, area in self.library.pain.areas.items()}
                sent += await self._send_all(
                    await self.ledger.claim_checkins(self.clock(), [platform], checkin_days, CHECKIN_BATCH)
                )
            return sent
        finally:
            await self.lock.release(platform)

    async def claim_due(self, now: datetime) -> list[Claim]:
        """Claim everything due now, in chunks (for tests and tools; a round claims chunk by chunk)."""
        claimed: list[Claim] = []
        for platform in self.platforms:
            while True:
                rows, claims = await self.ledger.claim_due(now, [platform], self.chunk(platform))
                claimed += claims
                if rows < self.chunk(platform):
                    break
        return claimed

    async def _send_all(self, claims: list[Claim]) -> int:
        """Compose ahead, send each in its turn as its own task, wait for the ones in flight."""
        ready: asyncio.Queue = asyncio.Queue(COMPOSED_AHEAD)
        sends: list[asyncio.Task] = []
        slots = asyncio.Semaphore(IN_FLIGHT)
        now = self.clock()

        async def composer() -> None:
            try:
                for first in range(0, len(claims), COMPOSE_BATCH):
                    if self._stopping:
                        break
                    for composed in await self.compose_chunk(claims[first : first + COMPOSE_BATCH], now):
                        await ready.put(composed)
            finally:
                await ready.put(None)

        async def sender() -> None:
            while (composed := await ready.get()) is not None:
                if self._stopping:
                    continue  # left claimed: taken over after the lease
                await slots.acquire()
                claim, user, replies = composed
                await self.pacers[user.platform].wait(user.platform_user_id, reserve=True)
                if self._stopping:
                    self.pacers[user.platform].take(user.platform_user_id)
                    slots.release()
                    continue
                task = asyncio.create_task(self._send_one(claim, user, replies, has_turn=True))
                task.add_done_callback(lambda _: slots.release())
                sends.append(task)

        await asyncio.gather(composer(), sender())
        return sum(await asyncio.gather(*sends)) if sends else 0

    async def compose_chunk(self, claims: list[Claim], now: datetime) -> list[tuple[Claim, UserRef, list]]:
        """What to send and to whom, for claims of a chunk; those with nothing to send are recorded.

        One read for everyone (bot/postman/reads.py). A plain person's workout reminder (no pain,
        no logged set, no session today) depends only on core.features.reminders.PLAIN_FIELDS,
        so it is composed once per stored values and reused. People with something personal get
        their own plan, each in a unit of work of their own, which reads only their history."""
        composed: dict[int, tuple[Claim, UserRef, list]] = {}
        outcomes: list[tuple[int, DeliveryStatus]] = []
        personal: list[tuple[int, Claim, Recipient]] = []
        default_zone = self.store.default_timezone
        async with self.store.unit_of_work() as uow:  # (SQLite: units of work take turns, so no record inside)
            people = await read_recipients(uow.db, [claim.user_id for claim in claims], now)
            for position, claim in enumerate(claims):
                person = people.get(claim.user_id)
                if person is None:
                    continue  # forgotten since the claim
                if person.unreachable:
                    outcomes.append((claim.delivery_id, DeliveryStatus.UNREACHABLE))
                elif not person.is_plain(now, default_zone):
                    personal.append((position, claim, person))
                elif claim.kind == WORKOUT:
                    key = person.plain_values()
                    replies = self._plain_workouts.get(key)
                    if replies is None:
                        if len(self._plain_workouts) >= PLAIN_TEXTS_KEPT:
                            self._plain_workouts.clear()
                        replies = self._plain_workouts[key] = await self._replies(uow, person, claim, now, plain=True)
                    composed[position] = (claim, person.user, list(replies))
                else:
                    composed[position] = (claim, person.user, await self._replies(uow, person, claim, now, plain=True))
        for position, claim, person in personal:
            async with self.store.unit_of_work() as uow:
                composed[position] = (claim, person.user, await self._replies(uow, person, claim, now))
        ready = []
        for position in sorted(composed):
            claim, user, replies = composed[position]
            if not replies or user.platform not in self.adapters:
                outcomes.append(
                    (claim.delivery_id, DeliveryStatus.NOTHING if not replies else DeliveryStatus.NO_ADAPTER)
                )
            else:
                ready.append((claim, user, replies))
        for delivery_id, status in outcomes:
            await self.ledger.record(delivery_id, status, now)
        return ready

    async def _replies(self, uow, person: Recipient, claim: Claim, now: datetime, *, plain: bool = False) -> list:
        person.hand_to(uow, now)
        if claim.kind == PAIN_CHECKIN:
            return await self._checkin(uow, person, claim)
        user = person.user
        profile = await uow.profiles.get(user.id)  # handed over by the chunk's read: no query
        ctx = Context(
            uow, user, profile, now, self.library, Incoming(user.platform, user.platform_user_id, user.chat_id, "")
        )
        return await compose(ctx, claim.kind, claim.slot, plain=plain)

    async def _deliver(self, claim: Claim, now: datetime) -> int:
        """Compose and send one claim (what a round does for each)."""
        composed = await self.compose_chunk([claim], now)
        return await self._send_one(*composed[0]) if composed else 0

    async def _send_one(self, claim: Claim, user, replies, *, has_turn: bool = False) -> int:
        pacer = self.pacers[user.platform]
        chat = user.platform_user_id  # the person's private chat, never where they last wrote
        for attempt in range(SEND_TRIES):
            if attempt or not has_turn:
                await pacer.wait(chat, reserve=True)  # the wait comes before "sending", not inside it
            if not await self.ledger.mark_sending(claim.delivery_id, self.clock()):
                pacer.take(chat)
                log.info("reminder %s: claim taken over by another worker; not sending", claim.reminder_id)
                return 0
            status = await self._push(self.adapters[user.platform], pacer, user, chat, replies)
            if status != RETRY:
                break
            await self.ledger.release(claim.delivery_id)  # nothing left: try again in a later turn
        else:
            return 0  # still claimed: taken over after the lease
        if status == DeliveryStatus.UNREACHABLE:
            async with self.store.unit_of_work() as uow:
                await uow.users.mark_unreachable(user.id, self.clock())
                await uow.commit()
        assert isinstance(status, DeliveryStatus)  # RETRY never leaves the loop above
        await self.ledger.record(claim.delivery_id, status, self.clock())
        return int(status == DeliveryStatus.SENT)

    async def _push(self, adapter, pacer: Pacer, user, chat: str, replies) -> DeliveryStatus | str:
        try:
            await adapter.push(chat, replies)
            return DeliveryStatus.SENT
        except Unreachable:
            return DeliveryStatus.UNREACHABLE
        except RateLimited as limited:
            log.warning("rate limited by %s: holding every send for %.1f s", user.platform, limited.retry_after)
            pacer.hold(limited.retry_after)
            return RETRY
        except NotSent:
            log.warning("could not reach %s; nothing was sent, trying again", user.platform)
            return RETRY
        except MaybeSent:
            log.warning("%s did not answer in time; the message may have arrived, so it is not repeated", user.platform)
            return DeliveryStatus.UNCERTAIN
        except Exception:  # one person's failed send must not stop everyone else's; it is recorded
            log.exception("sending to %s user %s failed; recorded as failed", user.platform, user.id)
            return DeliveryStatus.FAILED
        finally:
            pacer.take(chat)  # a turn the adapter did not use must not serve a later request

    async def _checkin(self, uow, person: Recipient, claim: Claim) -> list:
        """A pain check-in, if the report is still open (it may have been cleared since)."""
        report = next((r for r in person.reports if r.id == claim.pain_report_id), None)
        if report is None:  # no longer current: read it to be sure of its status
            report = await uow.pain.get(claim.user_id, claim.pain_report_id)
        if report is None or report.status != "active":
            return []
        return [checkin_reply(report, self.library.pain.areas[report.area])]
