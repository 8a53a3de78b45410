"""Writes and reads of logged sets (core.ports.SetLogRepo)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from sqlalchemy import ARRAY, CompoundSelect, Integer, bindparam, delete, func, insert, null, select, text, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import models
from core.setlog.entries import LoggedEntry, NewEntry, SetRecord

Entry, Set = models.LogEntry, models.SetLog
ENTRIES, SETS = models.table_of(Entry), models.table_of(Set)

# Built once: building a statement costs about as much as running it.
INSERT_ENTRY = (
    insert(ENTRIES)
    .values(
        {
            name: bindparam(name)
            for name in (
                "user_id",
                "session_id",
                "exercise_id",
                "custom_name",
                "unit",
                "raw_text",
                "message_key",
                "line_no",
                "logged_at",
                "local_date",
            )
        }
    )
    .returning(ENTRIES.c.id)
)
INSERT_SET = insert(SETS)
SET_COLUMNS_ORDER = ("reps", "load_kg", "seconds", "rpe", "per_side", "distance_m", "rir", "warmup", "band", "note")
# PostgreSQL takes an entry and its sets in one statement (an INSERT in a WITH, sets as arrays);
# SQLite has no INSERT inside WITH, so it takes two.
INSERT_ENTRY_WITH_SETS = text("""
WITH new_entry AS (
    INSERT INTO log_entries (user_id, session_id, exercise_id, custom_name, unit, raw_text, message_key, line_no,
                             logged_at, local_date)
    VALUES (:user_id, :session_id, :exercise_id, :custom_name, :unit, :raw_text, :message_key, :line_no,
            :logged_at, :local_date)
    RETURNING id)
INSERT INTO set_logs (entry_id, set_no, reps, load_kg, seconds, rpe, per_side, distance_m, rir, warmup, band, note)
SELECT new_entry.id, s.* FROM new_entry,
    unnest(:set_no, :reps, :load_kg, :seconds, :rpe, :per_side, :distance_m, :rir, :warmup, :band, :note)
    AS s(set_no, reps, load_kg, seconds, rpe, per_side, distance_m, rir, warmup, band, note)
RETURNING entry_id
""").bindparams(
    bindparam("logged_at", type_=ENTRIES.c.logged_at.type),
    bindparam("local_date", type_=ENTRIES.c.local_date.type),
    bindparam("user_id", type_=Integer()),
    bindparam("session_id", type_=Integer()),
    bindparam("line_no", type_=Integer()),
    *(bindparam(name, type_=ARRAY(SETS.c[name].type)) for name in ("set_no",) + SET_COLUMNS_ORDER),
)
SET_COLUMNS = SET_COLUMNS_ORDER
ENTRIES_WITH_SETS = select(
    ENTRIES.c.id,
    ENTRIES.c.exercise_id,
    ENTRIES.c.custom_name,
    ENTRIES.c.unit,
    ENTRIES.c.raw_text,
    ENTRIES.c.logged_at,
    ENTRIES.c.local_date,
    SETS.c.set_no,
    *(SETS.c[name] for name in SET_COLUMNS),
).select_from(ENTRIES.outerjoin(SETS, SETS.c.entry_id == ENTRIES.c.id))
BESTS = (  # shaped like ENTRIES_WITH_SETS, to share its query (recent_and_bests): only reps and load_kg
    select(
        *(null().label(c.name) for c in ENTRIES_WITH_SETS.selected_columns[:8]),
        SETS.c.reps,
        func.max(SETS.c.load_kg).label("load_kg"),
        *(null().label(name) for name in SET_COLUMNS[2:]),
    )
    .join(ENTRIES, ENTRIES.c.id == SETS.c.entry_id)
    .where(
        ENTRIES.c.user_id == bindparam("user_id"),
        ENTRIES.c.exercise_id == bindparam("exercise_id"),
        SETS.c.warmup.is_(False),
    )
    .group_by(SETS.c.reps)
)

NEWEST_OF_EXERCISE = (
    select(ENTRIES.c.id)
    .where(ENTRIES.c.user_id == bindparam("user_id"), ENTRIES.c.exercise_id == bindparam("exercise_id"))
    .order_by(ENTRIES.c.logged_at.desc(), ENTRIES.c.id.desc())
    .limit(bindparam("limit"))
)
RECENT_AND_BESTS: CompoundSelect = union_all(
    ENTRIES_WITH_SETS.where(ENTRIES.c.id.in_(NEWEST_OF_EXERCISE.scalar_subquery())), BESTS
)


class SessionExercises(dict):
    """Session id -> exercises logged in it, as read with the session in this unit of work
    (bot.storage.store) and kept up to date by the writes here."""


def _entries(rows) -> list[LoggedEntry]:
    """Rows of ENTRIES_WITH_SETS (an entry's sets in order, entries newest first) as entries."""
    entries = []
    for _, group in groupby(rows, key=lambda r: r.id):
        entry_rows = list(group)
        e = entry_rows[0]
        sets = tuple(SetRecord(*(getattr(r, name) for name in SET_COLUMNS)) for r in entry_rows if r.set_no is not None)
        entries.append(
            LoggedEntry(e.id, e.exercise_id, e.custom_name, e.unit, e.raw_text, e.logged_at, e.local_date, sets)
        )
    return entries


class SqlSetLogRepo:
    def __init__(self, db: AsyncSession, logged: SessionExercises | None = None) -> None:
        self._db = db
        self._logged = logged if logged is not None else SessionExercises()
        self._by_message: dict[tuple[int, str], list[int]] = {}  # entry ids per message, read with the user
        self._postgres = db.bind is not None and db.bind.dialect.name == "postgresql"

    def stored_for_message(self, user_id: int, message_key: str, entry_ids: list[int]) -> None:
        self._by_message[(user_id, message_key)] = entry_ids

    async def add(self, user_id: int, new: NewEntry) -> int:
        """The entry and its sets in one statement on PostgreSQL; on SQLite the entry, then all its sets
        in one more (the ORM inserted them one by one)."""
        entry: dict[str, Any] = {
            "user_id": user_id,
            "session_id": new.session_id,
            "exercise_id": new.exercise_id,
            "custom_name": new.custom_name,
            "unit": new.unit,
            "raw_text": new.raw_text[:1000],
            "message_key": new.message_key,
            "line_no": new.line_no,
            "logged_at": new.logged_at,
            "local_date": new.local_date,
        }
        if self._postgres and new.sets:
            entry["set_no"] = list(range(1, len(new.sets) + 1))
            for name in SET_COLUMNS:
                entry[name] = [getattr(s, name) for s in new.sets]
            entry_id: int = (await self._db.execute(INSERT_ENTRY_WITH_SETS, entry)).scalars().all()[0]  # a row a set
        else:
            entry_id = (await self._db.execute(INSERT_ENTRY, entry)).scalar_one()
        if new.sets and not self._postgres:
            await self._db.execute(
                INSERT_SET,
                [
                    {
                        "entry_id": entry_id,
                        "set_no": n,
                        "reps": s.reps,
                        "load_kg": s.load_kg,
                        "seconds": s.seconds,
                        "rpe": s.rpe,
                        "per_side": s.per_side,
                        "distance_m": s.distance_m,
                        "rir": s.rir,
                        "warmup": s.warmup,
                        "band": s.band,
                        "note": s.note,
                    }
                    for n, s in enumerate(new.sets, start=1)
                ],
            )
        if new.session_id in self._logged:
            self._logged[new.session_id].add(new.exercise_id)
        if (user_id, new.message_key) in self._by_message:
            self._by_message[(user_id, new.message_key)].append(entry_id)
        return entry_id

    async def entry_ids_for_message(self, user_id: int, message_key: str) -> list[int]:
        if (user_id, message_key) in self._by_message:
            return list(self._by_message[(user_id, message_key)])
        query = (
            select(Entry.id).where(Entry.user_id == user_id, Entry.message_key == message_key).order_by(Entry.line_no)
        )
        return list((await self._db.execute(query)).scalars())

    async def delete(self, user_id: int, entry_ids: list[int]) -> None:
        if entry_ids:
            self._logged.clear()  # which sessions lost an exercise is not known here: read them again
            self._by_message = {key: [i for i in ids if i not in entry_ids] for key, ids in self._by_message.items()}
            await self._db.execute(delete(Set).where(Set.entry_id.in_(entry_ids)))
            await self._db.execute(delete(Entry).where(Entry.user_id == user_id, Entry.id.in_(entry_ids)))

    async def recent(self, user_id: int, *, exercise_id: str | None = None, limit: int = 10) -> list[LoggedEntry]:
        """Newest first; the entries and their sets in one query."""
        newest = select(Entry.id).where(Entry.user_id == user_id)
        if exercise_id is not None:
            newest = newest.where(Entry.exercise_id == exercise_id)
        newest = newest.order_by(Entry.logged_at.desc(), Entry.id.desc()).limit(limit)
        rows = (
            await self._db.execute(
                ENTRIES_WITH_SETS.where(ENTRIES.c.id.in_(newest.scalar_subquery())).order_by(
                    ENTRIES.c.logged_at.desc(), ENTRIES.c.id.desc(), SETS.c.set_no
                )
            )
        ).all()
        return _entries(rows)

    async def recent_and_bests(
        self, user_id: int, exercise_id: str, limit: int
    ) -> tuple[list[LoggedEntry], list[SetRecord]]:
        """What a set log compares with, in one query: the newest entries of the exercise with their
        sets, and its heaviest work set per rep count (a few rows, however many sets were logged)."""
        rows = (
            await self._db.execute(RECENT_AND_BESTS, {"user_id": user_id, "exercise_id": exercise_id, "limit": limit})
        ).all()
        bests = [SetRecord(r.reps, r.load_kg) for r in rows if r.id is None]
        logged = sorted(
            (r for r in rows if r.id is not None), key=lambda r: (r.logged_at, r.id, -(r.set_no or 0)), reverse=True
        )
        return _entries(logged), bests

    async def recent_per_exercise(
        self, user_id: int, exercise_ids: list[str], per_exercise: int
    ) -> dict[str, list[LoggedEntry]]:
        """The newest entries of several exercises in one query (for /today's load hints)."""
        if not exercise_ids:
            return {}
        rank = (
            func.row_number()
            .over(partition_by=Entry.exercise_id, order_by=(Entry.logged_at.desc(), Entry.id.desc()))
            .label("rank")
        )
        ranked = select(Entry.id, rank).where(Entry.user_id == user_id, Entry.exercise_id.in_(exercise_ids)).subquery()
        newest = select(ranked.c.id).where(ranked.c.rank <= per_exercise)
        rows = (
            await self._db.execute(
                ENTRIES_WITH_SETS.where(ENTRIES.c.id.in_(newest)).order_by(
                    ENTRIES.c.logged_at.desc(), ENTRIES.c.id.desc(), SETS.c.set_no
                )
            )
        ).all()
        grouped: dict[str, list[LoggedEntry]] = {}
        for entry in _entries(rows):
            grouped.setdefault(entry.exercise_id, []).append(entry)
        return grouped

    async def exercises_in_session(self, user_id: int, session_id: int) -> set[str]:
        if session_id in self._logged:
            return set(self._logged[session_id])
        query = select(Entry.exercise_id).where(Entry.user_id == user_id, Entry.session_id == session_id)
        return set((await self._db.execute(query)).scalars())

    async def undo_done(self, user_id: int, message_key: str, now) -> bool:
        """True if this /undo message was carried out before; otherwise remembers it now."""
        query = select(models.LogUndo.id).where(
            models.LogUndo.user_id == user_id, models.LogUndo.message_key == message_key
        )
        if (await self._db.execute(query)).first() is not None:
            return True
        self._db.add(models.LogUndo(user_id=user_id, message_key=message_key[:128], done_at=now))
        await self._db.flush()
        return False
