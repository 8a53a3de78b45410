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
from core.coach import Clock, utc_now
from core.context import Context
from core.domain import Incoming
from core.features.pain import checkin_reply
from core.features.reminders import compose
from core.library import Library
from core.ports import PAIN_CHECKIN, Claim, DeliveryStatus

log = logging.getLogger(__name__)

MAX_CHUNK = 2000
CHECKIN_BATCH = 500
COMPOSED_AHEAD = 32  # messages composed and waiting for their turn
IN_FLIGHT = 64  # concurrent requests: enough to keep 30/s while some answers take seconds
SEND_TRIES = 3  # turns for one message that provably did not leave (429, connection refused)
STOP_GRACE_SECONDS = 10.0
RETRY = "retry"


class Postman:
    def __init__(self, store, library: Library, adapters: dict, *, clock: Clock = utc_now,
                 tick_seconds: float = 10.0, grace: timedelta = timedelta(minutes=30), worker: str | None = None,
                 lease: timedelta = LEASE):
        self.store, self.library, self.adapters = store, library, adapters
        self.clock, self.tick_seconds, self.grace = clock, tick_seconds, grace
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        # Only what this worker can send: a console-only `gluteup run` must not claim (and
        # throw away) the Telegram reminders a proper worker beside it would deliver.
        self.platforms = sorted(adapters)
        self.pacers = {name: getattr(adapter, "pacer", None) or Pacer(SEND_RATES.get(name, 30.0))
                       for name, adapter in adapters.items()}
        self.ledger = SqlLedger(store, self.worker, grace=grace, lease=lease)
        self.lock = SenderLock(store.engine)
        self._scheduler: AsyncIOScheduler | None = None
        self._running: asyncio.Task | None = None
        self._ticks: set[asyncio.Task] = set()
        self._stopping = False

    @classmethod
    def from_app(cls, app) -> "Postman":
        return cls(app.store, app.coach.library, app.adapters, clock=app.coach.clock,
                   tick_seconds=app.settings.scheduler_tick_seconds,
                   grace=timedelta(minutes=app.settings.reminder_grace_minutes))

    def chunk(self, platform: str) -> int:
        """As many as the pacer sends in half a lease, so a claim never outlives its lease."""
        per_second = 1.0 / self.pacers[platform].interval
        return max(1, min(MAX_CHUNK, int(per_second * self.ledger.lease.total_seconds() / 2)))

    # ---- lifecycle -------------------------------------------------------

    def start(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone=timezone.utc)
        self._scheduler.add_job(self._kick, "interval", seconds=self.tick_seconds, id="reminders",
                                max_instances=1, coalesce=True, next_run_time=datetime.now(timezone.utc))
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
            sent = await self._send_all(await self.ledger.reclaim_abandoned(
                self.clock(), [platform], sole_sender=self.lock.postgres))
            while not self._stopping:
                rows, claims = await self.ledger.claim_due(self.clock(), [platform], self.chunk(platform))
                sent += await self._send_all(claims)
                if rows < self.chunk(platform):
                    break
            if not self._stopping:
                checkin_days = {name: area.checkin_days for name, area in self.library.pain.areas.items()}
                sent += await self._send_all(await self.ledger.claim_checkins(
                    self.clock(), [platform], checkin_days, CHECKIN_BATCH))
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
                for claim in claims:
                    if self._stopping:
                        break
                    composed = await self._compose(claim, now)
                    if composed is not None:
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

    async def _compose(self, claim: Claim, now: datetime):
        """What to send and to whom, or None (recorded) when nothing goes out."""
        replies = []
        async with self.store.unit_of_work() as uow:  # (SQLite: units of work take turns, so no record inside)
            user = await uow.users.get(claim.user_id)
            if user is None:
                return None
            unreachable = user.unreachable_at is not None
            if not unreachable and claim.kind == PAIN_CHECKIN:
                replies = await self._checkin(uow, claim)
            elif not unreachable:
                profile = await uow.profiles.get(user.id)
                ctx = Context(uow, user, profile, now, self.library,
                              Incoming(user.platform, user.platform_user_id, user.chat_id, ""))
                replies = await compose(ctx, claim.kind, claim.slot)
        if unreachable:
            await self.ledger.record(claim.delivery_id, DeliveryStatus.UNREACHABLE, now)
            return None
        adapter = self.adapters.get(user.platform)
        if not replies or adapter is None:
            await self.ledger.record(claim.delivery_id,
                                     DeliveryStatus.NOTHING if not replies else DeliveryStatus.NO_ADAPTER, now)
            return None
        return claim, user, replies

    async def _deliver(self, claim: Claim, now: datetime) -> int:
        """Compose and send one claim (what a round does for each)."""
        composed = await self._compose(claim, now)
        return await self._send_one(*composed) if composed is not None else 0

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
            log.warning("%s did not answer in time; the message may have arrived, so it is not repeated",
                        user.platform)
            return DeliveryStatus.UNCERTAIN
        except Exception:  # one person's failed send must not stop everyone else's; it is recorded
            log.exception("sending to %s user %s failed; recorded as failed", user.platform, user.id)
            return DeliveryStatus.FAILED
        finally:
            pacer.take(chat)  # a turn the adapter did not use must not serve a later request

    async def _checkin(self, uow, claim: Claim) -> list:
        """A pain check-in, if the report is still open (it may have been cleared since)."""
        report = await uow.pain.get(claim.user_id, claim.pain_report_id)
        if report is None or report.status != "active":
            return []
        return [checkin_reply(report, self.library.pain.areas[report.area])]
