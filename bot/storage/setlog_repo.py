"""Writes and reads of logged sets (core.ports.SetLogRepo)."""

from __future__ import annotations

from itertools import groupby

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import models
from core.setlog.entries import LoggedEntry, NewEntry, SetRecord

Entry, Set = models.LogEntry, models.SetLog


class SqlSetLogRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user_id: int, new: NewEntry) -> int:
        entry = Entry(user_id=user_id, session_id=new.session_id, exercise_id=new.exercise_id,
                      custom_name=new.custom_name, unit=new.unit, raw_text=new.raw_text[:1000],
                      message_key=new.message_key, line_no=new.line_no, logged_at=new.logged_at,
                      local_date=new.local_date)
        self._session.add(entry)
        await self._session.flush()
        self._session.add_all(Set(entry_id=entry.id, set_no=n, reps=s.reps, load_kg=s.load_kg, seconds=s.seconds,
                                  rpe=s.rpe, per_side=s.per_side, distance_m=s.distance_m, rir=s.rir,
                                  warmup=s.warmup, band=s.band, note=s.note)
                              for n, s in enumerate(new.sets, start=1))
        await self._session.flush()
        return entry.id

    async def entry_ids_for_message(self, user_id: int, message_key: str) -> list[int]:
        query = select(Entry.id).where(Entry.user_id == user_id, Entry.message_key == message_key).order_by(Entry.line_no)
        return list((await self._session.execute(query)).scalars())

    async def delete(self, user_id: int, entry_ids: list[int]) -> None:
        if entry_ids:
            await self._session.execute(delete(Set).where(Set.entry_id.in_(entry_ids)))
            await self._session.execute(delete(Entry).where(Entry.user_id == user_id, Entry.id.in_(entry_ids)))

    async def recent(self, user_id: int, *, exercise_id: str | None = None, limit: int = 10,
                     before_id: int | None = None) -> list[LoggedEntry]:
        """Newest first."""
        query = select(Entry).where(Entry.user_id == user_id)
        if exercise_id is not None:
            query = query.where(Entry.exercise_id == exercise_id)
        if before_id is not None:
            query = query.where(Entry.id < before_id)
        entries = list((await self._session.execute(query.order_by(Entry.logged_at.desc(), Entry.id.desc()).limit(limit))).scalars())
        return await self._with_sets(entries)

    async def recent_per_exercise(self, user_id: int, exercise_ids: list[str], per_exercise: int) -> dict[str, list[LoggedEntry]]:
        """The newest entries of several exercises in one query (for /today's load hints)."""
        if not exercise_ids:
            return {}
        rank = func.row_number().over(partition_by=Entry.exercise_id,
                                      order_by=(Entry.logged_at.desc(), Entry.id.desc())).label("rank")
        ranked = (select(Entry.id, rank).where(Entry.user_id == user_id, Entry.exercise_id.in_(exercise_ids))
                  .subquery())
        query = (select(Entry).join(ranked, ranked.c.id == Entry.id).where(ranked.c.rank <= per_exercise)
                 .order_by(Entry.logged_at.desc(), Entry.id.desc()))
        entries = await self._with_sets(list((await self._session.execute(query)).scalars()))
        grouped: dict[str, list[LoggedEntry]] = {}
        for entry in entries:
            grouped.setdefault(entry.exercise_id, []).append(entry)
        return grouped

    async def _with_sets(self, entries: list[models.LogEntry]) -> list[LoggedEntry]:
        if not entries:
            return []
        sets = (await self._session.execute(
            select(Set).where(Set.entry_id.in_([e.id for e in entries])).order_by(Set.entry_id, Set.set_no))).scalars()
        by_entry = {key: tuple(SetRecord(s.reps, s.load_kg, s.seconds, s.rpe, s.per_side, s.distance_m, s.rir,
                                         s.warmup, s.band, s.note) for s in group)
                    for key, group in groupby(sets, key=lambda s: s.entry_id)}
        return [LoggedEntry(e.id, e.exercise_id, e.custom_name, e.unit, e.raw_text, e.logged_at, e.local_date,
                            by_entry.get(e.id, ())) for e in entries]

    async def exercises_in_session(self, user_id: int, session_id: int) -> set[str]:
        query = select(Entry.exercise_id).where(Entry.user_id == user_id, Entry.session_id == session_id)
        return set((await self._session.execute(query)).scalars())

    async def undo_done(self, user_id: int, message_key: str, now) -> bool:
        """True if this /undo message was carried out before; otherwise remembers it now."""
        query = select(models.LogUndo.id).where(models.LogUndo.user_id == user_id,
                                                models.LogUndo.message_key == message_key)
        if (await self._session.execute(query)).first() is not None:
            return True
        self._session.add(models.LogUndo(user_id=user_id, message_key=message_key[:128], done_at=now))
        await self._session.flush()
        return False
