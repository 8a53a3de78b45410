"""The delivery ledger on SQL (core.ports.DeliveryLedger): one row per reminder and slot.

- claim: reading due reminders, writing their ledger rows and advancing `next_due_at`
  happen in one transaction, so a slot is claimed once, by one worker (PostgreSQL:
  FOR UPDATE SKIP LOCKED). A claim whose worker died is taken over after its lease.
- sending: set just before the request, and only by the worker still holding the claim
  (a conditional update), so a slow worker whose lease was taken over cannot send as well.
- an outcome (DeliveryStatus). A worker that dies while "sending" may or may not have
  reached the platform; the row becomes "uncertain" and is not repeated: a doubled
  reminder is a visible bug, while the window in which one can be lost is one request.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.storage import models
from bot.storage.reminder_repo import reminder_row
from core.ports import PAIN_CHECKIN, Claim, DeliveryStatus
from core.recurrence import latest_slot_at_or_before
from core.reminders import held_until, next_due, schedule_of

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)


class SqlLedger:
    def __init__(self, store, worker: str, *, grace: timedelta, lease: timedelta = LEASE) -> None:
        self.store, self.worker, self.grace, self.lease = store, worker, grace, lease
        self.postgres = store.engine.dialect.name == "postgresql"

    async def claim_due(self, now: datetime, platforms: list[str], limit: int) -> tuple[int, list[Claim]]:
        async with self.store.unit_of_work() as uow:
            db = uow.db
            query = (
                select(models.Reminder)
                .join(models.User, models.Reminder.user_id == models.User.id)
                .where(
                    models.Reminder.enabled.is_(True),
                    models.Reminder.next_due_at <= now,
                    models.User.platform.in_(platforms),
                )
                .order_by(models.Reminder.next_due_at)
                .limit(limit)
            )
            if self.postgres:
                query = query.with_for_update(skip_locked=True, of=models.Reminder)
            rows = (await db.execute(query)).scalars().all()
            profiles = await uow.profiles.get_many([row.user_id for row in rows])
            ledger, slots = [], {}
            for row in rows:
                reminder, profile = reminder_row(row), profiles[row.user_id]
                snoozed = row.snoozed_until is not None and row.snoozed_until <= now
                slot = (
                    row.next_due_at
                    if snoozed
                    else (
                        latest_slot_at_or_before(schedule_of(reminder, profile), row.next_due_at, now)
                        or row.next_due_at
                    )
                )
                fresh = now - slot <= self.grace
                ledger.append(
                    {
                        "reminder_id": row.id,
                        "slot_at": slot,
                        "claimed_by": self.worker,
                        "claimed_at": now,
                        "status": DeliveryStatus.CLAIMED if fresh else DeliveryStatus.STALE,
                    }
                )
                slots[row.id] = (row, slot, fresh)
                row.snoozed_until = None if snoozed else row.snoozed_until
                row.next_due_at = next_due(reminder_row(row), profile, max(slot, now))
            ids = await self._write(db, ledger)
            await uow.commit()
        return len(rows), [
            Claim(ids[row.id], row.id, row.user_id, row.kind, slot)
            for row, slot, fresh in slots.values()
            if fresh and row.id in ids
        ]

    @staticmethod
    async def _write(db, ledger: list[dict]) -> dict[int, int]:
        """Insert the rows; returns reminder id -> delivery id for the rows this worker owns.

        The unique (reminder, slot) key is the last line of defence: if another worker
        got a slot first, that one row is skipped instead of failing the batch.
        """
        if not ledger:
            return {}
        try:
            async with db.begin_nested():
                result = await db.execute(
                    insert(models.Delivery).returning(models.Delivery.reminder_id, models.Delivery.id), ledger
                )
                return dict(result.all())
        except IntegrityError:
            owned = {}
            for row in ledger:
                try:
                    async with db.begin_nested():
                        result = await db.execute(insert(models.Delivery).returning(models.Delivery.id), [row])
                        owned[row["reminder_id"]] = result.scalar_one()
                except IntegrityError:
                    log.info("slot of reminder %s already claimed by another worker", row["reminder_id"])
            return owned

    async def reclaim_abandoned(self, now: datetime, platforms: list[str], *, sole_sender: bool = False) -> list[Claim]:
        """`sole_sender`: we hold the platform's sender lock, so no other worker is sending its
        messages and unsent claims are taken over at once instead of after the lease (a live
        worker that lost its lock cannot send them: marking "sending" needs its own claim)."""
        claimed_lease = timedelta(0) if sole_sender else self.lease
        async with self.store.unit_of_work() as uow:
            abandoned = (
                or_(
                    and_(
                        models.Delivery.status == DeliveryStatus.CLAIMED,
                        models.Delivery.claimed_at <= now - claimed_lease,
                    ),
                    and_(
                        models.Delivery.status == DeliveryStatus.SENDING, models.Delivery.claimed_at < now - self.lease
                    ),
                ),
                models.User.platform.in_(platforms),
            )
            reminders = (
                select(models.Delivery, models.Reminder.user_id, models.Reminder.kind)
                .join(models.Reminder, models.Delivery.reminder_id == models.Reminder.id)
                .join(models.User, models.Reminder.user_id == models.User.id)
                .where(*abandoned)
            )
            checkins = (
                select(models.Delivery, models.PainReport.user_id)
                .join(models.PainReport, models.Delivery.pain_report_id == models.PainReport.id)
                .join(models.User, models.PainReport.user_id == models.User.id)
                .where(*abandoned)
            )
            rows = [tuple(row) for row in (await uow.db.execute(reminders)).all()]
            rows += [(delivery, user_id, PAIN_CHECKIN) for delivery, user_id in (await uow.db.execute(checkins)).all()]
            taken = []
            for delivery, user_id, kind in rows:
                if delivery.status == DeliveryStatus.SENDING:
                    log.warning(
                        "delivery %s slot %s: worker %s stopped while sending; not repeated",
                        delivery.id,
                        delivery.slot_at.isoformat(),
                        delivery.claimed_by,
                    )
                    await self._set(uow.db, delivery.id, DeliveryStatus.UNCERTAIN, now, expect=DeliveryStatus.SENDING)
                    continue
                result = await uow.db.execute(
                    update(models.Delivery)
                    .where(
                        models.Delivery.id == delivery.id,
                        models.Delivery.status == DeliveryStatus.CLAIMED,
                        models.Delivery.claimed_at == delivery.claimed_at,
                    )
                    .values(claimed_by=self.worker, claimed_at=now)
                )
                if result.rowcount == 1 and now - delivery.slot_at <= self.grace + self.lease:
                    taken.append(
                        Claim(
                            delivery.id, delivery.reminder_id, user_id, kind, delivery.slot_at, delivery.pain_report_id
                        )
                    )
                elif result.rowcount == 1:
                    await self._set(uow.db, delivery.id, DeliveryStatus.STALE, now)
            await uow.commit()
        return taken

    async def mark_sending(self, delivery_id: int, at: datetime | None = None) -> bool:
        """`at` starts the lease again: a chunk's last send may begin late in its claim's lease,
        and only a request out for longer than a lease counts as its worker having died."""
        values = {"status": DeliveryStatus.SENDING} | ({"claimed_at": at} if at is not None else {})
        async with self.store.unit_of_work() as uow:
            result = await uow.db.execute(
                update(models.Delivery)
                .where(
                    models.Delivery.id == delivery_id,
                    models.Delivery.status == DeliveryStatus.CLAIMED,
                    models.Delivery.claimed_by == self.worker,
                )
                .values(**values)
            )
            await uow.commit()
        return result.rowcount == 1

    async def release(self, delivery_id: int) -> None:
        async with self.store.unit_of_work() as uow:
            await uow.db.execute(
                update(models.Delivery)
                .where(
                    models.Delivery.id == delivery_id,
                    models.Delivery.status == DeliveryStatus.SENDING,
                    models.Delivery.claimed_by == self.worker,
                )
                .values(status=DeliveryStatus.CLAIMED)
            )
            await uow.commit()

    async def record(self, delivery_id: int, status: DeliveryStatus, at: datetime) -> None:
        async with self.store.unit_of_work() as uow:
            await self._set(uow.db, delivery_id, status, at)
            await uow.commit()

    @staticmethod
    async def _set(
        db, delivery_id: int, status: DeliveryStatus, at: datetime, expect: DeliveryStatus | None = None
    ) -> None:
        query = update(models.Delivery).where(models.Delivery.id == delivery_id)
        if expect is not None:
            query = query.where(models.Delivery.status == expect)
        await db.execute(query.values(status=status, sent_at=at if status == DeliveryStatus.SENT else None))

    async def claim_checkins(
        self, now: datetime, platforms: list[str], checkin_days: dict[str, int], limit: int
    ) -> list[Claim]:
        """Due pain check-ins: moving checkin_due_at on and writing the ledger row happen in one
        transaction (a conditional update wins once). Paused or quiet: asked when they are back."""
        async with self.store.unit_of_work() as uow:
            query = (
                select(models.PainReport)
                .join(models.User, models.PainReport.user_id == models.User.id)
                .where(
                    models.PainReport.status == "active",
                    models.PainReport.cleared_at.is_(None),
                    models.PainReport.checkin_due_at <= now,
                    models.User.platform.in_(platforms),
                )
                .limit(limit)
            )
            due = (await uow.db.execute(query)).scalars().all()
            profiles = await uow.profiles.get_many([report.user_id for report in due])
            ledger, owners = [], {}
            for report in due:
                held = held_until(profiles[report.user_id], now)
                result = await uow.db.execute(
                    update(models.PainReport)
                    .where(models.PainReport.id == report.id, models.PainReport.checkin_due_at == report.checkin_due_at)
                    .values(checkin_due_at=held or now + timedelta(days=checkin_days[report.area]))
                )
                if result.rowcount == 1 and held is None:
                    ledger.append(
                        {
                            "pain_report_id": report.id,
                            "slot_at": report.checkin_due_at,
                            "claimed_by": self.worker,
                            "claimed_at": now,
                            "status": DeliveryStatus.CLAIMED,
                        }
                    )
                    owners[report.id] = (report.user_id, report.checkin_due_at)
            ids = {}
            if ledger:
                result = await uow.db.execute(
                    insert(models.Delivery).returning(models.Delivery.pain_report_id, models.Delivery.id), ledger
                )
                ids = dict(result.all())
            await uow.commit()
        return [
            Claim(ids[report_id], None, user_id, PAIN_CHECKIN, slot, report_id)
            for report_id, (user_id, slot) in owners.items()
        ]
