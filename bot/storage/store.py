"""The SQLAlchemy implementation of core.ports: one unit of work per chat message."""

from __future__ import annotations

import asyncio
import copy
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from typing import AsyncIterator

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage import models, read_ahead, read_first
from bot.storage.database import db_factory, is_sqlite
from bot.storage.privacy_repo import SqlPrivacyRepo
from bot.storage.progress_repo import SqlProgressRepo
from bot.storage.pain_repo import REPORT_COLUMNS, REPORTS, SqlPainRepo, as_report, is_current
from bot.storage.reminder_repo import SqlReminderRepo
from bot.storage.setlog_repo import ENTRIES, SessionExercises, SqlSetLogRepo
from core.domain import TrainingDay, UserRef
from core.ports import Conflict, ConnectionLost, OutcomeUnknown, ReadAhead
from core.profile import Profile

PROFILE_FIELDS = (
    "experience",
    "place",
    "program_id",
    "timezone",
    "units",
    "reminder_time",
    "onboarded_at",
    "completed_sessions",
    "quiet_start",
    "quiet_end",
    "paused_until",
    "pending",
    "weekdays",
    "equipment",
    "form_notes",  # tuples, stored comma-separated (models.CommaList)
)


USERS, PROFILES = models.table_of(models.User), models.table_of(models.Profile)

SESSIONS = models.table_of(models.TrainingSession)
SESSION_COLUMNS = ("id", "local_date", "program_id", "day_index", "completed_at")
LOGGED = ENTRIES.alias("logged")  # entries of the latest session: which exercises are done today
SAME_MESSAGE = ENTRIES.alias("same_message")  # entries already stored from this message (a redelivery, an edit)

# Built once: compiling a select() costs about as much as running it on a warm connection.
# Nearly every message needs the person, their profile, their current pain reports and today's
# session with the exercises logged in it, and a set log whether its message was stored before; so one
# query reads them all: the latest session (today's, if there is one today) and a row per current
# report, logged exercise and entry of this message (usually a handful).
_LATER = SESSIONS.alias("later")
LATEST_SESSION = (
    select(_LATER.c.id)
    .where(_LATER.c.user_id == USERS.c.id)
    .order_by(_LATER.c.local_date.desc())
    .limit(1)
    .correlate(USERS)
    .scalar_subquery()
)
USER_WITH_PROFILE = (
    select(
        USERS,
        *(PROFILES.c[name].label(f"p_{name}") for name in PROFILE_FIELDS),
        PROFILES.c.user_id.label("p_user_id"),
        *(REPORTS.c[name].label(f"r_{name}") for name in REPORT_COLUMNS),
        *(SESSIONS.c[name].label(f"s_{name}") for name in SESSION_COLUMNS),
        LOGGED.c.exercise_id.label("s_exercise_id"),
        SAME_MESSAGE.c.id.label("m_id"),
        SAME_MESSAGE.c.line_no.label("m_line_no"),
    )
    .select_from(
        USERS.outerjoin(PROFILES, PROFILES.c.user_id == USERS.c.id)
        .outerjoin(REPORTS, (REPORTS.c.user_id == USERS.c.id) & is_current(bindparam("now")))
        .outerjoin(SESSIONS, SESSIONS.c.id == LATEST_SESSION)
        .outerjoin(LOGGED, (LOGGED.c.session_id == SESSIONS.c.id) & (LOGGED.c.user_id == USERS.c.id))
        .outerjoin(
            SAME_MESSAGE,
            (SAME_MESSAGE.c.user_id == USERS.c.id) & (SAME_MESSAGE.c.message_key == bindparam("message_key")),
        )
    )
    .where(USERS.c.platform == bindparam("platform"), USERS.c.platform_user_id == bindparam("platform_user_id"))
    .order_by(REPORTS.c.reported_at, REPORTS.c.id)
)
USER_BY_IDENTITY = select(USERS.c.id).where(
    USERS.c.platform == bindparam("platform"), USERS.c.platform_user_id == bindparam("platform_user_id")
)
PROFILE_BY_USER = select(PROFILES).where(PROFILES.c.user_id == bindparam("user_id"))


def _user_ref(row) -> UserRef:
    return UserRef(
        row.id, row.platform, row.platform_user_id, row.chat_id, row.display_name, unreachable_at=row.unreachable_at
    )


class SqlUserRepo:
    def __init__(
        self,
        db: AsyncSession,
        profiles: SqlProfileRepo,
        pain: SqlPainRepo,
        training: SqlTrainingSessionRepo,
        setlog: SqlSetLogRepo,
        progress: SqlProgressRepo,
    ) -> None:
        self._db = db
        self._progress = progress
        self._setlog = setlog
        self._profiles = profiles
        self._pain = pain
        self._training = training

    async def get_or_create(
        self,
        platform,
        platform_user_id,
        chat_id,
        display_name,
        now,
        message_key: str | None = None,
        ahead: ReadAhead | None = None,
    ) -> UserRef:
        """The person with what nearly every message reads about them, and what its command reads of
        their history, in one query; each part is handed to its repository of this unit of work, so
        the message reads it once."""
        identity = {"platform": platform, "platform_user_id": platform_user_id}
        params = {**identity, "now": now, "message_key": message_key}
        if ahead is None:
            rows = (await self._db.execute(USER_WITH_PROFILE, params)).all()
        else:
            statement, windows = read_ahead.read(USER_WITH_PROFILE, ahead, now)
            rows, history = read_ahead.split(
                (await self._db.execute(statement, {**params, **windows.params()})).all(), windows
            )
        row = rows[0] if rows else None
        if row is None:
            values = {**identity, "chat_id": chat_id, "display_name": display_name or "", "created_at": now}
            try:
                async with self._db.begin_nested():
                    user_id = (
                        await self._db.execute(insert(USERS).values(**values).returning(USERS.c.id))
                    ).scalar_one()
            except IntegrityError:  # the same person's two messages raced; the other one created it
                user_id = (await self._db.execute(USER_BY_IDENTITY, identity)).scalar_one()
                user = await self._db.get(models.User, user_id)
                return _user_ref(user)
            self._profiles.loaded(user_id, None)
            self._pain.loaded(user_id, now, [])
            self._training.latest(user_id, None, set())
            if ahead is not None:
                self._progress.read_ahead(user_id, read_ahead.History(windows))  # nothing logged yet
            return UserRef(user_id, platform, platform_user_id, chat_id, values["display_name"])
        self._profiles.loaded(row.id, _profile_values(row, "p_") if row.p_user_id is not None else None)
        reports = {r.r_id: as_report(r, "r_") for r in rows if r.r_id is not None}  # rows repeat per exercise
        self._pain.loaded(row.id, now, list(reports.values()))
        latest = TrainingDay(*(getattr(row, f"s_{name}") for name in SESSION_COLUMNS)) if row.s_id is not None else None
        self._training.latest(row.id, latest, {r.s_exercise_id for r in rows if r.s_exercise_id is not None})
        if ahead is not None:
            self._progress.read_ahead(row.id, history)
        if message_key is not None:
            stored = {r.m_id: r.m_line_no for r in rows if r.m_id is not None}
            self._setlog.stored_for_message(row.id, message_key, sorted(stored, key=stored.__getitem__))
        changes = {}
        if chat_id and row.chat_id != chat_id:
            changes["chat_id"] = chat_id
        if display_name and row.display_name != display_name:
            changes["display_name"] = display_name
        if row.unreachable_at is not None:
            changes["unreachable_at"] = None  # they wrote to us, so we can reach them again
        if changes:
            await self._db.execute(update(USERS).where(USERS.c.id == row.id).values(**changes))
            return UserRef(
                row.id,
                row.platform,
                row.platform_user_id,
                changes.get("chat_id", row.chat_id),
                changes.get("display_name", row.display_name),
            )
        return _user_ref(row)

    async def get(self, user_id: int) -> UserRef | None:
        row = await self._db.get(models.User, user_id)
        return _user_ref(row) if row else None

    async def mark_unreachable(self, user_id: int, when: datetime | None) -> None:
        row = await self._db.get(models.User, user_id)
        if row is not None:
            row.unreachable_at = when


def _profile_values(row, prefix: str = "") -> dict:
    """The stored columns of a profile row, as plain values to compare on save."""
    values = {name: getattr(row, prefix + name) for name in PROFILE_FIELDS}
    values["pending"] = copy.deepcopy(values["pending"])  # the core may change the dict in place
    return values


def _columns(profile: Profile) -> dict:
    values = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    for name in ("weekdays", "equipment", "form_notes"):
        values[name] = tuple(values[name])  # compared with what was read, which is a tuple
    return values


def _profile(values: dict) -> Profile:
    fields = {name: values[name] for name in PROFILE_FIELDS}
    fields["pending"] = copy.deepcopy(values["pending"]) if values["pending"] else None
    return Profile(**fields)


class SqlProfileRepo:
    """Profiles, read once per unit of work and written back only where they changed.

    What was read is kept for this unit of work only (not per process): conversation
    state lives in the profile and several workers share the database.
    """

    def __init__(self, db: AsyncSession, default_timezone: str = "UTC") -> None:
        self._db = db
        self._default = Profile(timezone=default_timezone)
        self._read: dict[int, dict | None] = {}  # user id -> stored columns (None: no row yet)

    def loaded(self, user_id: int, values: dict | None) -> None:
        self._read[user_id] = values

    async def _stored(self, user_id: int) -> dict | None:
        if user_id not in self._read:
            row = (await self._db.execute(PROFILE_BY_USER, {"user_id": user_id})).first()
            self._read[user_id] = _profile_values(row) if row is not None else None
        return self._read[user_id]

    async def get(self, user_id: int) -> Profile:
        values = await self._stored(user_id)
        return self._default.copy() if values is None else _profile(values)

    async def get_many(self, user_ids: list[int]) -> dict[int, Profile]:
        """Profiles of many people in one query (the scheduler's batches); defaults for those without one."""
        rows = (await self._db.execute(select(PROFILES).where(PROFILES.c.user_id.in_(user_ids)))).all()
        found = {row.user_id: _profile_values(row) for row in rows}
        for uid in user_ids:
            self._read[uid] = found.get(uid)
        return {uid: _profile(found[uid]) if uid in found else self._default.copy() for uid in user_ids}

    async def save(self, user_id: int, profile: Profile) -> None:
        stored = await self._stored(user_id)
        wanted = _columns(profile)
        if stored is None:
            await self._db.execute(insert(PROFILES).values(user_id=user_id, **wanted))
        else:
            changed = {name: value for name, value in wanted.items() if stored.get(name) != value}
            if not changed:
                return
            await self._db.execute(_profile_update(frozenset(changed)), {"user": user_id, **_set_values(changed)})
        self._read[user_id] = {**wanted, "pending": copy.deepcopy(wanted["pending"])}


@lru_cache(maxsize=64)
def _profile_update(columns: frozenset[str]):
    """An UPDATE of these profile columns, built once: messages change few of them, mostly `pending`
    (a button shown or answered), and building the statement cost more than running it."""
    values = {name: bindparam(f"set_{name}", type_=PROFILES.c[name].type) for name in sorted(columns)}
    return update(PROFILES).where(PROFILES.c.user_id == bindparam("user")).values(values)


def _set_values(changed: dict) -> dict:
    return {f"set_{name}": value for name, value in changed.items()}


def _training_day(row: models.TrainingSession) -> TrainingDay:
    return TrainingDay(row.id, row.local_date, row.program_id, row.day_index, row.completed_at)


# A day's session with the exercises logged in it (a row each): /today marks them done and a
# set log checks whether the day is complete.
SESSION_FOR_DAY = (
    select(
        SESSIONS.c.id,
        SESSIONS.c.local_date,
        SESSIONS.c.program_id,
        SESSIONS.c.day_index,
        SESSIONS.c.completed_at,
        ENTRIES.c.exercise_id,
    )
    .select_from(
        SESSIONS.outerjoin(ENTRIES, (ENTRIES.c.session_id == SESSIONS.c.id) & (ENTRIES.c.user_id == SESSIONS.c.user_id))
    )
    .where(SESSIONS.c.user_id == bindparam("user_id"), SESSIONS.c.local_date == bindparam("local_date"))
)


LAST_SESSION_BEFORE = (
    select(*(SESSIONS.c[name] for name in SESSION_COLUMNS))
    .where(SESSIONS.c.user_id == bindparam("user_id"), SESSIONS.c.local_date < bindparam("local_date"))
    .order_by(SESSIONS.c.local_date.desc())
    .limit(1)
)


START_SESSION = (
    insert(SESSIONS)
    .values({name: bindparam(name) for name in ("user_id", "local_date", "program_id", "day_index", "started_at")})
    .returning(SESSIONS.c.id)
)


class SqlTrainingSessionRepo:
    """Training sessions; a day's session is read once per unit of work (a set log asks twice)."""

    def __init__(self, db: AsyncSession, logged: SessionExercises) -> None:
        self._db = db
        self._days: dict[tuple[int, date], TrainingDay | None] = {}
        self._latest: dict[int, TrainingDay | None] = {}
        self._logged = logged

    def latest(self, user_id: int, day: TrainingDay | None, exercises: set[str]) -> None:
        """The person's latest session (None: they have none), read with their profile: a later
        day has no session yet, and that day's is this one."""
        self._latest[user_id] = day
        if day is not None:
            self._days[(user_id, day.local_date)] = day
            self._logged[day.id] = exercises

    async def for_day(self, user_id: int, local_date: date) -> TrainingDay | None:
        key = (user_id, local_date)
        if key not in self._days and user_id in self._latest:
            latest = self._latest[user_id]
            if latest is None or latest.local_date < local_date:
                self._days[key] = None
        if key not in self._days:
            rows = (await self._db.execute(SESSION_FOR_DAY, {"user_id": user_id, "local_date": local_date})).all()
            self._days[key] = TrainingDay(*rows[0][:5]) if rows else None
            if rows:
                self._logged[rows[0].id] = {r.exercise_id for r in rows if r.exercise_id is not None}
        return self._days[key]

    async def last_before(self, user_id: int, local_date: date) -> TrainingDay | None:
        if user_id in self._latest:
            latest = self._latest[user_id]
            if latest is None or latest.local_date < local_date:
                return latest  # read with the person: none at all, or the latest is before that day
        row = (await self._db.execute(LAST_SESSION_BEFORE, {"user_id": user_id, "local_date": local_date})).first()
        return TrainingDay(*row) if row is not None else None

    def _remember(self, user_id: int, row: models.TrainingSession) -> TrainingDay:
        day = _training_day(row)
        self._days[(user_id, row.local_date)] = day
        return day

    async def start(self, user_id, local_date, program_id, day_index, now) -> TrainingDay:
        session_id = (
            await self._db.execute(
                START_SESSION,
                {
                    "user_id": user_id,
                    "local_date": local_date,
                    "program_id": program_id,
                    "day_index": day_index,
                    "started_at": now,
                },
            )
        ).scalar_one()
        day = TrainingDay(session_id, local_date, program_id, day_index, None)
        self._days[(user_id, local_date)] = day
        self._logged[session_id] = set()
        return day

    async def complete(self, session_id: int, now: datetime) -> None:
        await self._db.execute(
            update(SESSIONS)
            .where(SESSIONS.c.id == session_id, SESSIONS.c.completed_at.is_(None))
            .values(completed_at=now)
        )
        for key, day in self._days.items():
            if day is not None and day.id == session_id and day.completed_at is None:
                self._days[key] = replace(day, completed_at=now)

    async def reopen(self, session_id: int) -> None:
        await self._db.execute(update(SESSIONS).where(SESSIONS.c.id == session_id).values(completed_at=None))
        for key, day in self._days.items():
            if day is not None and day.id == session_id:
                self._days[key] = replace(day, completed_at=None)

    async def repin(self, session_id: int, program_id: str, day_index: int) -> TrainingDay:
        row = await self._db.get_one(models.TrainingSession, session_id)
        row.program_id, row.day_index = program_id, day_index
        return self._remember(row.user_id, row)


class SqlUnitOfWork:
    """Repositories sharing one transaction; nothing is written unless commit() is called."""

    def __init__(self, db: AsyncSession, default_timezone: str = "UTC") -> None:
        self.db = db
        logged = SessionExercises()
        self.profiles = SqlProfileRepo(db, default_timezone)
        self.pain = SqlPainRepo(db)
        self.sessions = SqlTrainingSessionRepo(db, logged)  # core.ports.UnitOfWork.sessions: training sessions
        self.setlog = SqlSetLogRepo(db, logged)
        self.progress = SqlProgressRepo(db)
        self.users = SqlUserRepo(db, self.profiles, self.pain, self.sessions, self.setlog, self.progress)
        self.privacy = SqlPrivacyRepo(db)
        self.reminders = SqlReminderRepo(db)
        self.committing = False

    async def commit(self) -> None:
        self.committing = True  # from here a broken connection leaves it unknown whether it committed
        await self.db.commit()


class SqlStore:
    """Units of work on one engine.

    SQLite allows one writer at a time, and a read transaction that later writes
    fails at once (SQLITE_BUSY) if another writer got in between; so on SQLite the
    units of work of this process take turns. PostgreSQL runs them side by side.
    """

    def __init__(self, engine: AsyncEngine, *, default_timezone: str = "UTC") -> None:
        self.engine = engine
        self.default_timezone = default_timezone  # for people who have not chosen theirs
        self._open_db = db_factory(engine)
        self._turns = asyncio.Lock() if is_sqlite(engine) else None
        if self._turns is None:
            read_first.install(engine)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[SqlUnitOfWork]:
        uow: SqlUnitOfWork | None = None
        try:
            if self._turns is None:
                async with self._db() as db:
                    uow = SqlUnitOfWork(db, self.default_timezone)
                    await read_first.start(db)  # the pool puts the connection back in its normal mode
                    yield uow
                return
            async with self._turns, self._db() as db:
                uow = SqlUnitOfWork(db, self.default_timezone)
                yield uow
        except IntegrityError as error:
            if not _unique_violation(error):
                raise
            raise Conflict(str(error.orig)) from error
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            if uow is not None and uow.committing:
                raise OutcomeUnknown(str(error.orig)) from error
            raise ConnectionLost(str(error.orig)) from error

    @asynccontextmanager
    async def _db(self) -> AsyncIterator[AsyncSession]:
        """`async with AsyncSession` closes it in a task of its own (so a cancelled caller cannot abandon
        the close half way), which costs every message a task and a turn of the loop, and on SQLite
        holds the turn meanwhile. A unit of work that ended normally has nothing in flight: its close
        only hands the connection back, and runs here; after an error or a cancel the close is
        shielded as before."""
        db = self._open_db()
        try:
            yield db
        except BaseException:
            await _close_shielded(db)
            raise
        await db.close()


def _unique_violation(error: IntegrityError) -> bool:
    """PostgreSQL waits for the other transaction and reports the key only once it committed;
    SQLite's other writer (another process on the file) committed before we could write."""
    orig = error.orig
    return getattr(orig, "sqlstate", None) == "23505" or getattr(orig, "sqlite_errorname", None) in (
        "SQLITE_CONSTRAINT_UNIQUE",
        "SQLITE_CONSTRAINT_PRIMARYKEY",
    )


async def _close_shielded(db: AsyncSession) -> None:
    close = asyncio.ensure_future(db.close())
    try:
        await asyncio.shield(close)
    except asyncio.CancelledError:
        await close  # cancelled again while closing: the close still finishes before we go
        raise
