"""Rows written straight into the tables, for tests of features that only read them.

Set logging, pain reports and reminders have their own features; tests of
/week, /progress, /export and /forget need their rows without depending on
how those features parse text. This writes the same tables they write.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.app import App
from bot.storage import models
from tests.support import ChatDriver


async def user_id_of(app: App, chat: ChatDriver) -> int:
    """The chat's stored user, created as its first message would create it."""
    async with app.store.unit_of_work() as uow:
        user = await uow.users.get_or_create(
            chat.platform, chat.user_id, chat.user_id, chat.display_name, app.coach.clock()
        )
        await uow.commit()
        return user.id


async def log_sets(
    app: App,
    chat: ChatDriver,
    exercise_id: str,
    sets: list[tuple[int | None, float | None]],
    *,
    on: date,
    at: str = "18:00",
    zone: str = "UTC",
    custom_name: str | None = None,
    session: tuple[str, int] | None = None,
    completed: bool = False,
    per_side: bool = False,
    rpe: float | None = None,
    seconds: int | None = None,
) -> None:
    """One log entry of (reps, load_kg) sets on local day `on` at local time `at`."""
    user_id = await user_id_of(app, chat)
    logged_at = datetime.combine(on, time.fromisoformat(at), ZoneInfo(zone)).astimezone(timezone.utc)
    async with app.store.unit_of_work() as uow:
        db = uow.db
        session_id = None
        if session is not None or completed:
            program_id, day_index = session or ("home_2x", 0)
            row = (
                await db.execute(
                    select(models.TrainingSession).where(
                        models.TrainingSession.user_id == user_id, models.TrainingSession.local_date == on
                    )
                )
            ).scalar()
            if row is None:
                row = models.TrainingSession(
                    user_id=user_id, local_date=on, program_id=program_id, day_index=day_index, started_at=logged_at
                )
                db.add(row)
            if completed:
                row.completed_at = logged_at
            await db.flush()
            session_id = row.id
        line_no = (await db.execute(select(func.count()).select_from(models.LogEntry))).scalar_one()
        entry = models.LogEntry(
            user_id=user_id,
            session_id=session_id,
            exercise_id=exercise_id,
            custom_name=custom_name,
            unit="kg",
            raw_text=f"{exercise_id} seeded",
            message_key=f"seed:{user_id}",
            line_no=line_no,
            logged_at=logged_at,
            local_date=on,
        )
        db.add(entry)
        await db.flush()
        for number, (reps, load) in enumerate(sets, start=1):
            db.add(
                models.SetLog(
                    entry_id=entry.id,
                    set_no=number,
                    reps=reps,
                    load_kg=load,
                    seconds=seconds,
                    rpe=rpe,
                    per_side=per_side,
                )
            )
        await uow.commit()


async def report_pain(app: App, chat: ChatDriver, area: str, severity: str, at: datetime) -> None:
    user_id = await user_id_of(app, chat)
    async with app.store.unit_of_work() as uow:
        uow.db.add(models.PainReport(user_id=user_id, area=area, severity=severity, status="active", reported_at=at))
        await uow.commit()


async def add_reminder_with_delivery(app: App, chat: ChatDriver, at: datetime) -> None:
    user_id = await user_id_of(app, chat)
    async with app.store.unit_of_work() as uow:
        reminder = models.Reminder(user_id=user_id, kind="workout", local_time="18:00", next_due_at=at)
        uow.db.add(reminder)
        await uow.db.flush()
        uow.db.add(models.Delivery(reminder_id=reminder.id, slot_at=at, claimed_at=at, status="sent"))
        await uow.commit()
