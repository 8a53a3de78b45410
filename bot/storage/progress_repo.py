"""Read side of the training log, for /week, /progress and /export (core.ports.ProgressRepo).

Set logging owns the writes to log_entries and set_logs; this module only
reads them back, joined with the training session they were logged in, so the progress
features never depend on how a set was parsed or stored.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import models
from bot.storage.read_ahead import History
from core.history import LoggedSet, PainNote

Entry, Set = models.LogEntry, models.SetLog


def _sets_query(user_id: int) -> Select:
    return (
        select(Entry, Set, models.TrainingSession.program_id, models.TrainingSession.day_index)
        .join(Set, Set.entry_id == Entry.id)
        .outerjoin(models.TrainingSession, models.TrainingSession.id == Entry.session_id)
        .where(Entry.user_id == user_id)
        .order_by(Entry.logged_at, Entry.id, Set.set_no, Set.id)
    )


def _logged_set(entry: models.LogEntry, row: models.SetLog, program_id: str | None, day_index: int | None) -> LoggedSet:
    return LoggedSet(
        entry_id=entry.id,
        exercise_id=entry.exercise_id,
        custom_name=entry.custom_name,
        local_date=entry.local_date,
        logged_at=entry.logged_at,
        set_no=row.set_no,
        reps=row.reps,
        load_kg=row.load_kg,
        seconds=row.seconds,
        rpe=row.rpe,
        per_side=row.per_side,
        program_id=program_id,
        day_index=day_index,
        distance_m=row.distance_m,
        rir=row.rir,
        warmup=row.warmup,
        band=row.band,
        note=row.note,
    )


class SqlProgressRepo:
    def __init__(self, db: AsyncSession) -> None:
        self._db = db
        self._ahead: dict[int, History] = {}  # user id -> what their command's read ahead brought

    def read_ahead(self, user_id: int, history: History) -> None:
        """What was read with the person (bot.storage.read_ahead): asked within its windows, the
        reads below filter it instead of querying. Kept for this unit of work only."""
        self._ahead[user_id] = history

    def _covered(self, user_id: int, window: str, first, last) -> History | None:
        history = self._ahead.get(user_id)
        known = getattr(history.windows, window) if history is not None else None
        return history if known is not None and known[0] <= first and last <= known[1] else None

    async def _sets(self, query: Select) -> list[LoggedSet]:
        rows = (await self._db.execute(query)).all()
        return [_logged_set(*row) for row in rows]

    async def sets_between(self, user_id: int, first: date, last: date) -> list[LoggedSet]:
        """Work sets only: warm-ups count toward neither weekly volume nor records."""
        if (ahead := self._covered(user_id, "sets", first, last)) is not None:
            return ahead.sets_between(first, last)
        return await self._sets(
            _sets_query(user_id).where(Entry.local_date.between(first, last), Set.warmup.is_(False))
        )

    async def sets_for_exercise(self, user_id: int, exercise_id: str) -> list[LoggedSet]:
        """Work sets only: warm-ups count toward neither records nor progress charts."""
        return await self._sets(_sets_query(user_id).where(Entry.exercise_id == exercise_id, Set.warmup.is_(False)))

    async def all_sets(self, user_id: int) -> list[LoggedSet]:
        return await self._sets(_sets_query(user_id))

    async def training_dates(self, user_id: int, first: date, last: date) -> set[date]:
        if (ahead := self._covered(user_id, "training_dates", first, last)) is not None:
            return {d for d in ahead.training_dates if first <= d <= last}
        completed = select(models.TrainingSession.local_date).where(
            models.TrainingSession.user_id == user_id,
            models.TrainingSession.completed_at.is_not(None),
            models.TrainingSession.local_date.between(first, last),
        )
        logged = (
            select(Entry.local_date)
            .join(Set, Set.entry_id == Entry.id)
            .where(Entry.user_id == user_id, Entry.local_date.between(first, last))
        )
        dates = (await self._db.execute(completed.union(logged))).scalars()
        return set(dates)

    async def pain_between(self, user_id: int, start: datetime, end: datetime) -> list[PainNote]:
        if (ahead := self._covered(user_id, "pain", start, end)) is not None:
            return [p for p in ahead.pain if start <= p.reported_at < end]
        query = (
            select(models.PainReport)
            .where(
                models.PainReport.user_id == user_id,
                models.PainReport.reported_at >= start,
                models.PainReport.reported_at < end,
            )
            .order_by(models.PainReport.reported_at)
        )
        rows = (await self._db.execute(query)).scalars()
        return [PainNote(r.area, r.severity, r.status, r.reported_at) for r in rows]
