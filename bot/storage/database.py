"""Engine creation and schema upgrades.

People write `sqlite:///gluteup.db` or `postgresql://user@host/db`; the async
driver is our business, so the URL is translated here and nowhere else.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.dialects import registry
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"

# SQLite runs on the loop's thread: bot/storage/sqlite_inline.py says why.
registry.register("sqlite.inline", "bot.storage.sqlite_inline", "InlineSQLiteDialect")
ASYNC_DRIVERS = {"sqlite": "sqlite+inline", "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}


def async_url(url: str) -> str:
    """Map a plain database URL to the async driver we ship; explicit drivers pass through."""
    parsed = make_url(url)
    if "+" in parsed.drivername:
        return parsed.render_as_string(hide_password=False)
    driver = ASYNC_DRIVERS.get(parsed.drivername)
    if driver is None:
        raise ValueError(f"unsupported database {parsed.drivername!r}: use sqlite:/// or postgresql://")
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def create_engine(url: str, **kwargs) -> AsyncEngine:
    engine = create_async_engine(async_url(url), **kwargs)
    if is_sqlite(engine):
        _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: AsyncEngine) -> None:
    """Cascading deletes need foreign keys on; WAL lets the scheduler read while a chat writes."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - driver callback
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def db_factory(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


MIGRATION_LOCK_ID = 0x6C75_7465  # any constant the whole fleet agrees on ("lute")


async def upgrade_to_head(engine: AsyncEngine) -> None:
    """Run Alembic on the app's own connection (Alembic's asyncio connection-sharing recipe).

    Several processes may start at once on a fresh database; without a lock both
    create the tables and one dies. PostgreSQL: an advisory lock held until the
    migration commits. SQLite: a lock file next to the database."""

    def _upgrade(connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    with _sqlite_file_lock(engine):
        async with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
            await connection.run_sync(_upgrade)


@contextlib.contextmanager
def _sqlite_file_lock(engine: AsyncEngine):
    database = engine.url.database if is_sqlite(engine) else None
    if not database or database == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: one process per SQLite file anyway
        yield
        return
    with open(f"{database}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # start-up only: waiting here is what we want
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
