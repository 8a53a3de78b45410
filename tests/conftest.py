"""Fixtures: a real database per test (SQLite file, and PostgreSQL when configured)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from bot.app import App, build_app
from bot.settings import Settings
from bot.storage.database import create_engine
from tests.support import ChatDriver, TestClock

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
NO_POSTGRES = "PostgreSQL tests skipped: set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test to run them"


async def reset_postgres(url: str) -> None:
    """Each PostgreSQL test starts from an empty public schema, like a new SQLite file."""
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'gluteup-test.db'}"
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    await reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'gluteup-test.db'}"


@pytest.fixture
def clock() -> TestClock:
    return TestClock()


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return Settings(database_url=database_url, chart_dir=tmp_path / "charts", _env_file=None)


@pytest.fixture
async def app(settings, clock) -> App:
    application = await build_app(settings, clock=clock)
    yield application
    await application.close()


@pytest.fixture
def chat(app) -> ChatDriver:
    return ChatDriver(app.coach)
