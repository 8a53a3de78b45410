"""Reminder rows for the core's commands (core.ports.ReminderRepo); the scheduler claims them itself."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import models
from core.reminders import ReminderRow

FIELDS = (
    "enabled",
    "local_time",
    "window_start",
    "window_end",
    "every_minutes",
    "next_due_at",
    "snoozed_until",
    "skip_local_date",
)


def reminder_row(row: models.Reminder) -> ReminderRow:
    return ReminderRow(
        row.id, row.user_id, row.kind, row.enabled, row.weekdays, *(getattr(row, name) for name in FIELDS[1:])
    )


class SqlReminderRepo:
    def __init__(self, db: AsyncSession) -> None:
        self._db = db

    async def for_user(self, user_id: int) -> dict[str, ReminderRow]:
        rows = (await self._db.execute(select(models.Reminder).where(models.Reminder.user_id == user_id))).scalars()
        return {row.kind: reminder_row(row) for row in rows}

    async def save(self, user_id: int, kind: str, weekdays: tuple[str, ...], **fields) -> ReminderRow:
        query = select(models.Reminder).where(models.Reminder.user_id == user_id, models.Reminder.kind == kind)
        row = (await self._db.execute(query)).scalar_one_or_none()
        if row is None:
            row = models.Reminder(user_id=user_id, kind=kind, enabled=True)
            self._db.add(row)
        row.weekdays = weekdays
        for name, value in fields.items():
            setattr(row, name, value)
        await self._db.flush()
        return reminder_row(row)
