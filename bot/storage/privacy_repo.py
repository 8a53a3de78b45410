"""/forget's storage side (core.ports.PrivacyRepo): delete every row about one person.

Ownership is derived from the schema rather than listed by hand: a row belongs
to the person if it is their `users` row, has their `user_id`, or points by a
foreign key at a row that belongs to them (a set through its log entry, a
delivery through its reminder). A table added later is covered without anyone
remembering to update a list, and rows are deleted children first, so the
result does not depend on ON DELETE CASCADE being enforced (SQLite needs a
pragma for that).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import models

USERS = models.User.__table__


def ownership(table: Table, user_id: int) -> ColumnElement[bool] | None:
    """A WHERE clause matching the person's rows in `table`; None if the table holds nothing of theirs."""
    if table is USERS:
        return USERS.c.id == user_id
    clauses: list[ColumnElement[bool]] = []
    for fk in table.foreign_keys:
        parent = fk.column.table
        if parent is USERS:
            clauses.append(fk.parent == user_id)
        elif parent is not table and (owned := ownership(parent, user_id)) is not None:
            clauses.append(fk.parent.in_(select(fk.column).where(owned)))
    return or_(*clauses) if clauses else None


def owned_tables() -> list[Table]:
    """Every table that can hold a row about a person, children before parents."""
    return [t for t in reversed(models.Base.metadata.sorted_tables) if ownership(t, 0) is not None]


class SqlPrivacyRepo:
    def __init__(self, db: AsyncSession) -> None:
        self._db = db

    async def forget(self, user_id: int) -> int:
        deleted = 0
        for table in owned_tables():
            result = await self._db.execute(delete(table).where(ownership(table, user_id)))
            deleted += result.rowcount or 0
        self._db.expunge_all()  # cached ORM objects of the deleted rows must not be flushed again
        return deleted
