"""SQLite on the event loop's own thread: the standard sqlite3 module under SQLAlchemy's asyncio API.

aiosqlite runs each connection in a thread of its own and hands every call across: a cursor,
an execute, a fetch, a close and a commit each cost a queue put, a wake-up of that thread, a
self-pipe write to wake the loop and a hand-over of the GIL (about 14 per chat message, measured
with bench/telegram_mix.py), for work that is a few microseconds of C on a local file. SQLAlchemy's
asyncio layer runs a dialect's code in a greenlet and only suspends where the driver awaits; a
driver that never awaits simply runs to the end. So this dialect is pysqlite, declared async.

Why blocking the loop is safe here: on SQLite the store lets one unit of work run at a time
(bot.storage.store.SqlStore) and every reader and writer of this process goes through it, so a
statement never waits for a lock held by this process. What still blocks the loop: the fsync of
a commit (milliseconds), and a write lock held by another process on the same file (at most the
busy_timeout). SQLite is the one-process, embedded choice; several workers use PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import pool
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.util.concurrency import await_


async def _nothing() -> None:
    return None


class Cursor(sqlite3.Cursor):
    async def _async_soft_close(self) -> None:
        """Called by SQLAlchemy's asyncio results on an async driver's cursor before the rows are
        read in sync code; a sqlite3 cursor can be read anywhere, so there is nothing to do."""


class Connection(sqlite3.Connection):
    def cursor(self, factory: Any = Cursor) -> Any:
        return super().cursor(factory)


class InlineSQLiteDialect(SQLiteDialect_pysqlite):
    driver = "inline"
    is_async = True
    supports_statement_cache = True

    def create_connect_args(self, url: URL) -> Any:
        args, kwargs = super().create_connect_args(url)
        return args, {**kwargs, "factory": Connection}

    # AsyncConnection.execute refuses a driver that never awaited (the sign of a sync driver under an
    # async engine). This one means not to; an await that is already done costs two greenlet switches.
    def do_execute(self, cursor: Any, statement: Any, parameters: Any, context: Any = None) -> None:
        await_(_nothing())
        super().do_execute(cursor, statement, parameters, context)

    def do_execute_no_params(self, cursor: Any, statement: Any, context: Any = None) -> None:
        await_(_nothing())
        super().do_execute_no_params(cursor, statement, context)

    def do_executemany(self, cursor: Any, statement: Any, parameters: Any, context: Any = None) -> None:
        await_(_nothing())
        super().do_executemany(cursor, statement, parameters, context)

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        """The asyncio-aware pool, as aiosqlite's dialect uses (a wait for a connection is an await)."""
        return pool.AsyncAdaptedQueuePool if cls._is_url_file_db(url) else pool.StaticPool


dialect = InlineSQLiteDialect
