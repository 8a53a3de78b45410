"""The postman: APScheduler is the clock, the database is the truth.

One interval job asks the database what is due, claims it, sends it through
the adapters and records the delivery; reminders advance in each person's own
zone (core.recurrence). Exactly once, through the ledger (`deliveries`, unique
per reminder and slot) and its states:
- claimed: claiming, writing the ledger row and advancing `next_due_at` happen in
  one transaction, so a slot is claimed once, by one worker (PostgreSQL: FOR UPDATE
  SKIP LOCKED lets several workers share the work). Nothing has left yet, so a claim
  whose worker died is taken over once its lease runs out, and sent once.
- sending: committed just before the platform is called, and only by the worker
  that still holds the claim (a conditional update), so a slow worker whose lease
  was taken over cannot send as well.
- sent (or unreachable, nothing, stale, ...): the outcome.
A worker that dies after "sending" may or may not have reached the platform. We
choose not to repeat it (the row becomes "uncertain" and is logged): a doubled
reminder is a visible bug, while the window in which one can be lost is a single
HTTP request. After downtime only the newest missed slot is sent, and only within
the grace period.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.adapters.base import RateLimited, Unreachable
from bot.storage import models
from bot.storage.reminder_repo import reminder_row
from bot.storage.store import SqlStore
from core.coach import Clock, utc_now
from core.context import Context
from core.domain import Incoming
from core.features.pain import checkin_reply
from core.features.reminders import compose
from core.library import Library
from core.recurrence import latest_slot_at_or_before
from core.reminders import held_until, next_due, schedule_of

log = logging.getLogger(__name__)

BATCH = 500
LANES = 4
LEASE = timedelta(minutes=2)
STOP_GRACE_SECONDS = 10.0
# Sends per second, evenly spaced: Telegram allows about 30/s overall, Discord 50/s per bot.
SEND_RATES = {"telegram": 29.9, "discord": 45.0, "console": 1000.0}


class Pacer:
    """Even spacing between sends, so no one-second window ever holds more than the rate.

    A token bucket (aiolimiter) would allow a full burst and then the steady rate, which
    briefly doubles the rate a platform sees: exactly what earns a 429.
    """

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> None:
        async with self._lock:
            loop = asyncio.get_running_loop()
            wait = self._next - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next = max(loop.time(), self._next) + self.interval

    async def __aexit__(self, *exc) -> None:
        return None


@dataclass(frozen=True)
class _Batch:
    rows: int
    claimed: list


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    reminder_id: int
    user_id: int
    kind: str
    slot: datetime


class ReminderScheduler:
    def __init__(self, store: SqlStore, library: Library, adapters: dict, *, clock: Clock = utc_now,
                 tick_seconds: float = 10.0, grace: timedelta = timedelta(minutes=30), worker: str | None = None):
        self.store, self.library, self.adapters = store, library, adapters
        self.clock, self.tick_seconds, self.grace = clock, tick_seconds, grace
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        self.postgres = store.engine.dialect.name == "postgresql"
        self._limiters = {name: Pacer(rate) for name, rate in SEND_RATES.items()}
        self._scheduler: AsyncIOScheduler | None = None
        self._ticks: set[asyncio.Task] = set()
        self._stopping = False

    @classmethod
    def from_app(cls, app) -> "ReminderScheduler":
        return cls(app.store, app.coach.library, app.adapters, clock=app.coach.clock,
                   tick_seconds=app.settings.scheduler_tick_seconds,
                   grace=timedelta(minutes=app.settings.reminder_grace_minutes))

    def start(self) -> None:
        self._scheduler = AsyncIOScheduler(timezone=timezone.utc)
        self._scheduler.add_job(self.tick, "interval", seconds=self.tick_seconds, id="reminders",
                                max_instances=1, coalesce=True, next_run_time=datetime.now(timezone.utc))
        self._scheduler.start()

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

    async def tick(self) -> int:
        """One round: retry abandoned claims, claim what is due, send it. Returns how many were sent."""
        if self._stopping:
            return 0
        self._ticks.add(asyncio.current_task())
        try:
            return await self._tick()
        finally:
            self._ticks.discard(asyncio.current_task())

    async def _tick(self) -> int:
        now = self.clock()
        work = iter(await self._reclaim_abandoned(now) + await self.claim_due(now))

        async def lane() -> int:
            # A few lanes share one queue, so the next message is composed and marked while the
            # pacer holds this one: the send rate stays at the platform limit, not below it.
            return sum([await self._deliver(item, now) for item in work if not self._stopping])

        sent = sum(await asyncio.gather(*(lane() for _ in range(LANES))))
        if not self._stopping:
            sent += await self._pain_checkins(now)
        return sent

    async def claim_due(self, now: datetime) -> list[Claimed]:
        """Claim every due reminder, a batch per transaction: ledger rows in, next due times advanced."""
        claimed: list[Claimed] = []
        while True:
            batch = await self._claim_batch(now)
            claimed += batch.claimed
            if batch.rows < BATCH:
                return claimed

    async def _claim_batch(self, now: datetime) -> "_Batch":
        async with self.store.unit_of_work() as uow:
            session = uow.session
            query = (select(models.Reminder).where(models.Reminder.enabled.is_(True), models.Reminder.next_due_at <= now)
                     .order_by(models.Reminder.next_due_at).limit(BATCH))
            if self.postgres:
                query = query.with_for_update(skip_locked=True)
            rows = (await session.execute(query)).scalars().all()
            profiles = await uow.profiles.get_many([row.user_id for row in rows])
            ledger, slots = [], {}
            for row in rows:
                reminder, profile = reminder_row(row), profiles[row.user_id]
                snoozed = row.snoozed_until is not None and row.snoozed_until <= now
                slot = row.next_due_at if snoozed else (
                    latest_slot_at_or_before(schedule_of(reminder, profile), row.next_due_at, now) or row.next_due_at)
                fresh = now - slot <= self.grace
                ledger.append({"reminder_id": row.id, "slot_at": slot, "claimed_by": self.worker, "claimed_at": now,
                               "status": "claimed" if fresh else "stale"})
                slots[row.id] = (row, slot, fresh)
                row.snoozed_until = None if snoozed else row.snoozed_until
                row.next_due_at = next_due(reminder_row(row), profile, max(slot, now))
            ids = await self._write_ledger(session, ledger)
            await uow.commit()
        claimed = [Claimed(ids[row.id], row.id, row.user_id, row.kind, slot)
                   for row, slot, fresh in slots.values() if fresh and row.id in ids]
        return _Batch(len(rows), claimed)

    @staticmethod
    async def _write_ledger(session, ledger: list[dict]) -> dict[int, int]:
        """Insert the ledger rows; returns reminder id -> delivery id for the rows this worker owns.

        The unique (reminder, slot) key is the last line of defence: if another worker
        got a slot first, that one row is skipped instead of failing the batch.
        """
        if not ledger:
            return {}
        try:
            async with session.begin_nested():
                result = await session.execute(insert(models.Delivery).returning(
                    models.Delivery.reminder_id, models.Delivery.id), ledger)
                return dict(result.all())
        except IntegrityError:
            owned = {}
            for row in ledger:
                try:
                    async with session.begin_nested():
                        result = await session.execute(insert(models.Delivery).returning(models.Delivery.id), [row])
                        owned[row["reminder_id"]] = result.scalar_one()
                except IntegrityError:
                    log.info("slot of reminder %s already claimed by another worker", row["reminder_id"])
            return owned

    async def _reclaim_abandoned(self, now: datetime) -> list[Claimed]:
        """Claims older than the lease (their worker died): unsent ones are taken over once,
        ones that were being sent are closed as "uncertain" rather than risk a double."""
        async with self.store.unit_of_work() as uow:
            query = (select(models.Delivery, models.Reminder).join(models.Reminder)
                     .where(models.Delivery.status.in_(("claimed", "sending")),
                            models.Delivery.claimed_at < now - LEASE))
            rows = (await uow.session.execute(query)).all()
            taken = []
            for delivery, reminder in rows:
                if delivery.status == "sending":
                    log.warning("reminder %s slot %s: worker %s stopped while sending; not repeated",
                                reminder.id, delivery.slot_at.isoformat(), delivery.claimed_by)
                    await self._mark(uow, delivery.id, "uncertain", now, expect="sending")
                    continue
                result = await uow.session.execute(
                    update(models.Delivery).where(models.Delivery.id == delivery.id, models.Delivery.status == "claimed",
                                                  models.Delivery.claimed_at == delivery.claimed_at)
                    .values(claimed_by=self.worker, claimed_at=now))
                if result.rowcount == 1 and now - delivery.slot_at <= self.grace + LEASE:
                    taken.append(Claimed(delivery.id, reminder.id, reminder.user_id, reminder.kind, delivery.slot_at))
                elif result.rowcount == 1:
                    await self._mark(uow, delivery.id, "stale", now)
            await uow.commit()
        return taken

    async def _deliver(self, item: Claimed, now: datetime) -> int:
        """Compose, mark "sending" (only while this worker still holds the claim), send, record the outcome.

        The platform is called outside any transaction, so a slow send holds no lock.
        """
        async with self.store.unit_of_work() as uow:
            user = await uow.users.get(item.user_id)
            if user is None:
                return 0
            if user.extra.get("unreachable_at") is not None:
                await self._mark(uow, item.delivery_id, "unreachable", now)
                await uow.commit()
                return 0
            profile = await uow.profiles.get(user.id)
            ctx = Context(uow, user, profile, now, self.library, Incoming(user.platform, user.platform_user_id,
                                                                          user.chat_id, ""))
            replies = await compose(ctx, item.kind, item.slot)
            adapter = self.adapters.get(user.platform)
            if not replies or adapter is None:
                await self._mark(uow, item.delivery_id, "nothing" if not replies else "no_adapter", now)
                await uow.commit()
                return 0
            still_ours = await uow.session.execute(
                update(models.Delivery).where(models.Delivery.id == item.delivery_id,
                                              models.Delivery.status == "claimed",
                                              models.Delivery.claimed_by == self.worker)
                .values(status="sending"))
            await uow.commit()
        if still_ours.rowcount != 1:
            log.info("reminder %s: claim taken over by another worker; not sending", item.reminder_id)
            return 0
        status = await self._send(adapter, user, replies)
        async with self.store.unit_of_work() as uow:
            if status == "unreachable":
                await uow.users.mark_unreachable(user.id, now)
            if status == "retry":  # nothing left: claimable again at the next tick
                await uow.session.execute(update(models.Delivery).where(models.Delivery.id == item.delivery_id)
                                          .values(status="claimed", claimed_by=None, claimed_at=now - LEASE * 2))
            else:
                await self._mark(uow, item.delivery_id, status, self.clock())
            await uow.commit()
        return int(status == "sent")

    async def _send(self, adapter, user, replies) -> str:
        async with self._limiters.get(user.platform, self._limiters["telegram"]):
            try:
                await adapter.push(user.chat_id, replies)
                return "sent"
            except Unreachable:
                return "unreachable"
            except RateLimited as limited:
                log.warning("rate limited by %s: retrying after %.1f s", user.platform, limited.retry_after)
                await asyncio.sleep(limited.retry_after)
                return "retry"
            except Exception:  # one person's failed send must not stop everyone else's; it is recorded
                log.exception("sending to %s chat %s failed; recorded as failed", user.platform, user.id)
                return "failed"

    @staticmethod
    async def _mark(uow, delivery_id: int, status: str, now: datetime, expect: str | None = None) -> None:
        query = update(models.Delivery).where(models.Delivery.id == delivery_id)
        if expect is not None:
            query = query.where(models.Delivery.status == expect)
        await uow.session.execute(query.values(status=status, sent_at=now if status == "sent" else None))

    async def _pain_checkins(self, now: datetime) -> int:
        """Due check-ins: moving checkin_due_at on is the claim (a conditional update wins once)."""
        sent = 0
        async with self.store.unit_of_work() as uow:
            query = select(models.PainReport).where(models.PainReport.status == "active",
                                                    models.PainReport.cleared_at.is_(None),
                                                    models.PainReport.checkin_due_at <= now).limit(BATCH)
            due = (await uow.session.execute(query)).scalars().all()
            profiles = await uow.profiles.get_many([report.user_id for report in due])
            claimed = []
            for report in due:
                area = self.library.pain.areas[report.area]
                held = held_until(profiles[report.user_id], now)  # paused or quiet: ask when they are back
                result = await uow.session.execute(
                    update(models.PainReport).where(models.PainReport.id == report.id,
                                                    models.PainReport.checkin_due_at == report.checkin_due_at)
                    .values(checkin_due_at=held or now + timedelta(days=area.checkin_days)))
                if result.rowcount == 1 and held is None:
                    claimed.append((report.user_id, report.id, area))
            await uow.commit()
        for user_id, report_id, area in claimed:
            async with self.store.unit_of_work() as uow:
                user = await uow.users.get(user_id)
                adapter = self.adapters.get(user.platform) if user else None
                report = await uow.pain.get(user_id, report_id)
                if adapter is None or report is None or user.extra.get("unreachable_at") is not None:
                    continue
                status = await self._send(adapter, user, [checkin_reply(report, area)])
                if status == "unreachable":
                    await uow.users.mark_unreachable(user.id, now)
                    await uow.commit()
                sent += int(status == "sent")
        return sent
