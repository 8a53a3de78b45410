"""Reads outside a transaction until the first write (PostgreSQL): a message that only reads
costs its SELECTs and nothing else, no BEGIN and no COMMIT.

asyncpg sends BEGIN before a unit of work's first statement and COMMIT at its end: two of the
three round trips of a message that reads one query. Here a unit of work's connection starts in
the driver's autocommit mode, and the first statement that is not a plain SELECT (an INSERT,
UPDATE, DELETE, SAVEPOINT, a `WITH ... INSERT`, a SELECT ... FOR UPDATE or an advisory lock)
switches it back before it runs, so that statement opens the transaction and everything after
it, up to the commit, is atomic as before. The reads before it saw committed data, as each
statement does at PostgreSQL's default READ COMMITTED inside a transaction too. SQLite needs
none of this: its driver opens a transaction only before the first write.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

MARK = "gluteup_read_first"  # in the pooled connection's info: its driver connection, while reading


def plain_read(statement: str) -> bool:
    """A SELECT that takes no lock: row locks and transaction-scoped advisory locks need the transaction."""
    upper = statement.lstrip().upper()
    return upper.startswith("SELECT") and "FOR UPDATE" not in upper and "PG_ADVISORY" not in upper


def install(engine: AsyncEngine) -> None:
    """Once per engine: the switch to a transaction before the first write, and the normal mode
    back whenever a connection returns to the pool."""

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _first_write_begins(
        conn, cursor, statement, parameters, context, executemany
    ):  # pragma: no cover - driver callback
        driver = conn.info.get(MARK)
        if driver is not None and not plain_read(statement):
            del conn.info[MARK]
            driver.autocommit = False

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def _normal_mode_again(dbapi_connection, record):  # pragma: no cover - pool callback
        """Whether the unit of work wrote, only read, committed or failed: a message that only read
        never switched, and whoever takes the connection next expects transactions."""
        driver = record.info.pop(MARK, None)
        if driver is not None:
            driver.autocommit = False


async def start(db: AsyncSession) -> None:
    """Check out the unit of work's connection in autocommit mode (nothing is sent for this). The
    driver connection comes from the connection the session already has: asking the pool for it
    costs a greenlet switch, and a message makes about three round trips in all."""
    connection = await db.connection()
    driver = connection.sync_connection.connection.dbapi_connection if connection.sync_connection else None
    if driver is None:  # invalidated: it stays in its normal mode, so the unit of work is one transaction
        return
    driver.autocommit = True
    connection.info[MARK] = driver
