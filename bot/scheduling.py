"""The postman: APScheduler is the clock, the database is the truth.

One interval job asks the database what is due, claims it, sends it through
the adapters and records the delivery; reminders advance in each person's own
zone (core.recurrence). Exactly once:
- claiming, writing the ledger row (unique per reminder and slot) and advancing
  `next_due_at` happen in one transaction, so a slot is claimed once, by one worker
  (PostgreSQL: FOR UPDATE SKIP LOCKED lets several workers share the work);
- a claim whose send never finished (the process died) is retried once its lease
  runs out; a send that reached the platform but whose "sent" mark was lost would
  be repeated: that window (one HTTP response) is the only at-least-once part, and
  it is logged.
- after downtime only the newest missed slot is sent, and only within the grace period.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from aiolimiter import AsyncLimiter
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select, update
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
from core.reminders import next_due, schedule_of

log = logging.getLogger(__name__)

BATCH = 500
LEASE = timedelta(minutes=2)
SEND_RATES = {"telegram": 30, "discord": 45, "console": 1000}  # per second, under each platform's limit


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
        self._limiters = {name: AsyncLimiter(rate, 1) for name, rate in SEND_RATES.items()}
        self._scheduler: AsyncIOScheduler | None = None

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
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)

    async def tick(self) -> int:
        """One round: retry abandoned claims, claim what is due, send it. Returns how many were sent."""
        now = self.clock()
        work = await self._reclaim_abandoned(now) + await self._claim_due(now)
        sent = 0
        for item in work:
            sent += await self._deliver(item, now)
        sent += await self._pain_checkins(now)
        return sent

    async def _claim_due(self, now: datetime) -> list[Claimed]:
        claimed: list[Claimed] = []
        async with self.store.unit_of_work() as uow:
            session = uow.session
            query = (select(models.Reminder).where(models.Reminder.enabled.is_(True), models.Reminder.next_due_at <= now)
                     .order_by(models.Reminder.next_due_at).limit(BATCH))
            if self.postgres:
                query = query.with_for_update(skip_locked=True)
            for row in (await session.execute(query)).scalars().all():
                reminder = reminder_row(row)
                profile = await uow.profiles.get(row.user_id)
                snoozed = row.snoozed_until is not None and row.snoozed_until <= now
                slot = row.next_due_at if snoozed else (
                    latest_slot_at_or_before(schedule_of(reminder, profile), row.next_due_at, now) or row.next_due_at)
                fresh = now - slot <= self.grace
                try:
                    async with session.begin_nested():
                        delivery = models.Delivery(reminder_id=row.id, slot_at=slot, claimed_by=self.worker,
                                                   claimed_at=now, status="claimed" if fresh else "stale")
                        session.add(delivery)
                except IntegrityError:
                    fresh, delivery = False, None  # another worker has this slot already
                if snoozed:
                    row.snoozed_until = None
                row.next_due_at = next_due(reminder_row(row), profile, max(slot, now))
                if fresh and delivery is not None:
                    claimed.append(Claimed(delivery.id, row.id, row.user_id, row.kind, slot))
            await uow.commit()
        return claimed

    async def _reclaim_abandoned(self, now: datetime) -> list[Claimed]:
        """Claims older than the lease whose send never finished (a worker died): take them over once."""
        async with self.store.unit_of_work() as uow:
            query = (select(models.Delivery, models.Reminder).join(models.Reminder)
                     .where(models.Delivery.status == "claimed", models.Delivery.claimed_at < now - LEASE))
            rows = (await uow.session.execute(query)).all()
            taken = []
            for delivery, reminder in rows:
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
            status = await self._send(adapter, user, replies)
            if status == "unreachable":
                await uow.users.mark_unreachable(user.id, now)
            if status != "retry":
                await self._mark(uow, item.delivery_id, status, now)
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
                return "retry"  # stays claimed: retried when its lease runs out

    @staticmethod
    async def _mark(uow, delivery_id: int, status: str, now: datetime) -> None:
        await uow.session.execute(update(models.Delivery).where(models.Delivery.id == delivery_id)
                                  .values(status=status, sent_at=now if status == "sent" else None))

    async def _pain_checkins(self, now: datetime) -> int:
        """Due check-ins: moving checkin_due_at on is the claim (a conditional update wins once)."""
        sent = 0
        async with self.store.unit_of_work() as uow:
            query = select(models.PainReport).where(models.PainReport.status == "active",
                                                    models.PainReport.cleared_at.is_(None),
                                                    models.PainReport.checkin_due_at <= now).limit(BATCH)
            due = (await uow.session.execute(query)).scalars().all()
            claimed = []
            for report in due:
                area = self.library.pain.areas[report.area]
                result = await uow.session.execute(
                    update(models.PainReport).where(models.PainReport.id == report.id,
                                                    models.PainReport.checkin_due_at == report.checkin_due_at)
                    .values(checkin_due_at=now + timedelta(days=area.checkin_days)))
                if result.rowcount == 1:
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
