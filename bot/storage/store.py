"""The SQLAlchemy implementation of core.ports: one unit of work per chat message."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import AsyncIterator

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage import models
from bot.storage.database import is_sqlite, session_factory
from bot.storage.privacy_repo import SqlPrivacyRepo
from bot.storage.progress_repo import SqlProgressRepo
from bot.storage.pain_repo import SqlPainRepo
from bot.storage.reminder_repo import SqlReminderRepo
from bot.storage.setlog_repo import SqlSetLogRepo
from core.domain import TrainingDay, UserRef
from core.profile import Profile

PROFILE_FIELDS = (
    "experience", "setting", "program_id", "timezone", "units", "reminder_time", "onboarded_at",
    "completed_sessions", "quiet_start", "quiet_end", "paused_until", "pending",
)


def _user_ref(row: models.User) -> UserRef:
    return UserRef(row.id, row.platform, row.platform_user_id, row.chat_id, row.display_name,
                   {"unreachable_at": row.unreachable_at})


class SqlUserRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_or_create(self, platform, platform_user_id, chat_id, display_name, now) -> UserRef:
        query = select(models.User).where(
            models.User.platform == platform, models.User.platform_user_id == platform_user_id
        )
        row = (await self._session.execute(query)).scalar_one_or_none()
        if row is None:
            row = models.User(platform=platform, platform_user_id=platform_user_id, chat_id=chat_id,
                              display_name=display_name or "", created_at=now)
            try:
                async with self._session.begin_nested():
                    self._session.add(row)
            except IntegrityError:  # the same person's two messages raced; the other one created it
                row = (await self._session.execute(query)).scalar_one()
        else:
            if chat_id and row.chat_id != chat_id:
                row.chat_id = chat_id
            if display_name and row.display_name != display_name:
                row.display_name = display_name
            if row.unreachable_at is not None:
                row.unreachable_at = None  # they wrote to us, so we can reach them again
        return _user_ref(row)

    async def get(self, user_id: int) -> UserRef | None:
        row = await self._session.get(models.User, user_id)
        return _user_ref(row) if row else None

    async def mark_unreachable(self, user_id: int, when: datetime | None) -> None:
        row = await self._session.get(models.User, user_id)
        if row is not None:
            row.unreachable_at = when


def _profile(row: models.Profile) -> Profile:
    values = {name: getattr(row, name) for name in PROFILE_FIELDS}
    values["weekdays"] = tuple(d for d in (row.weekdays or "").split(",") if d)
    values["equipment"] = tuple(k for k in (row.equipment or "").split(",") if k)
    values["form_notes"] = tuple(n for n in (row.form_notes or "").split(",") if n)
    values["pending"] = dict(row.pending) if row.pending else None
    return Profile(**values)


class SqlProfileRepo:
    def __init__(self, session: AsyncSession, default_timezone: str = "UTC") -> None:
        self._session = session
        self._default = Profile(timezone=default_timezone)

    async def get(self, user_id: int) -> Profile:
        row = await self._session.get(models.Profile, user_id)
        return self._default.copy() if row is None else _profile(row)

    async def get_many(self, user_ids: list[int]) -> dict[int, Profile]:
        """Profiles of many people in one query (the scheduler's batches); defaults for those without one."""
        rows = (await self._session.execute(select(models.Profile).where(models.Profile.user_id.in_(user_ids)))).scalars()
        found = {row.user_id: row for row in rows}
        return {uid: _profile(found[uid]) if uid in found else self._default.copy() for uid in user_ids}

    async def save(self, user_id: int, profile: Profile) -> None:
        row = await self._session.get(models.Profile, user_id)
        if row is None:
            row = models.Profile(user_id=user_id)
            self._session.add(row)
        for name in PROFILE_FIELDS:
            setattr(row, name, getattr(profile, name))
        row.weekdays = ",".join(profile.weekdays) or None
        row.equipment = ",".join(profile.equipment) or None
        row.form_notes = ",".join(profile.form_notes) or None


def _training_day(row: models.TrainingSession) -> TrainingDay:
    return TrainingDay(row.id, row.local_date, row.program_id, row.day_index, row.completed_at)


class SqlSessionRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def for_day(self, user_id: int, local_date: date) -> TrainingDay | None:
        query = select(models.TrainingSession).where(
            models.TrainingSession.user_id == user_id, models.TrainingSession.local_date == local_date
        )
        row = (await self._session.execute(query)).scalar_one_or_none()
        return _training_day(row) if row else None

    async def start(self, user_id, local_date, program_id, day_index, now) -> TrainingDay:
        row = models.TrainingSession(user_id=user_id, local_date=local_date, program_id=program_id,
                                     day_index=day_index, started_at=now)
        self._session.add(row)
        await self._session.flush()
        return _training_day(row)

    async def complete(self, session_id: int, now: datetime) -> None:
        row = await self._session.get(models.TrainingSession, session_id)
        if row is not None and row.completed_at is None:
            row.completed_at = now

    async def repin(self, session_id: int, program_id: str, day_index: int) -> TrainingDay:
        row = await self._session.get(models.TrainingSession, session_id)
        row.program_id, row.day_index = program_id, day_index
        return _training_day(row)


class SqlUnitOfWork:
    """Repositories sharing one transaction; nothing is written unless commit() is called."""

    def __init__(self, session: AsyncSession, default_timezone: str = "UTC") -> None:
        self.session = session
        self.users = SqlUserRepo(session)
        self.profiles = SqlProfileRepo(session, default_timezone)
        self.sessions = SqlSessionRepo(session)
        self.progress = SqlProgressRepo(session)
        self.privacy = SqlPrivacyRepo(session)
        self.setlog = SqlSetLogRepo(session)
        self.pain = SqlPainRepo(session)
        self.reminders = SqlReminderRepo(session)

    async def commit(self) -> None:
        await self.session.commit()


class SqlStore:
    """Units of work on one engine.

    SQLite allows one writer at a time, and a read transaction that later writes
    fails at once (SQLITE_BUSY) if another writer got in between; so on SQLite the
    units of work of this process take turns. PostgreSQL runs them side by side.
    """

    def __init__(self, engine: AsyncEngine, *, default_timezone: str = "UTC") -> None:
        self.engine = engine
        self.default_timezone = default_timezone  # for people who have not chosen theirs
        self._sessions = session_factory(engine)
        self._turns = asyncio.Lock() if is_sqlite(engine) else None

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[SqlUnitOfWork]:
        if self._turns is None:
            async with self._sessions() as session:
                yield SqlUnitOfWork(session, self.default_timezone)
            return
        async with self._turns, self._sessions() as session:
            yield SqlUnitOfWork(session, self.default_timezone)
