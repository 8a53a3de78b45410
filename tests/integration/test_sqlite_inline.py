"""The embedded database runs on the loop's thread (bot/storage/sqlite_inline.py): no worker
thread per connection, every SQLAlchemy asyncio entry point still works, and a URL naming
another SQLite driver is refused with the one to write instead."""

import subprocess
import sys
import threading

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from bot.app import build_app
from bot.settings import Settings
from tests.support import ChatDriver


async def test_messages_on_sqlite_start_no_threads_and_are_stored(sqlite_url, clock):
    before = set(threading.enumerate())
    app = await build_app(Settings(database_url=sqlite_url, _env_file=None), clock=clock)
    try:
        chat = ChatDriver(app.coach)
        for text_ in ("/tz Europe/Berlin", "hip thrust 3x10 @ 60kg", "bss 10/10/8 12.5kg", "/today"):
            await chat.send(text_)
        await chat.send("/history")
        assert "hip thrust" in chat.text.lower() and "split squat" in chat.text.lower()
        assert set(threading.enumerate()) - before == set()
    finally:
        await app.close()


async def test_engine_connections_and_transactions_work(sqlite_url, clock):
    """AsyncConnection.execute insists that the driver awaited; this one never needs to."""
    app = await build_app(Settings(database_url=sqlite_url, _env_file=None), clock=clock)
    try:
        async with app.engine.begin() as conn:
            await conn.execute(text("CREATE TABLE probe (n INTEGER)"))
            await conn.execute(text("INSERT INTO probe VALUES (:n)"), [{"n": 1}, {"n": 2}])
        async with app.engine.connect() as conn:
            assert (await conn.execute(text("SELECT sum(n) FROM probe"))).scalar() == 3
            await conn.exec_driver_sql("INSERT INTO probe VALUES (40)")
            await conn.rollback()  # not committed: gone
            assert (await conn.execute(text("SELECT sum(n) FROM probe"))).scalar() == 3
    finally:
        await app.close()


async def test_another_process_holding_the_write_lock_delays_but_loses_nothing(sqlite_url, clock):
    """The wait for another process's write lock blocks this loop (busy_timeout); the set is stored after it."""
    app = await build_app(Settings(database_url=sqlite_url, _env_file=None), clock=clock)
    path = sqlite_url.removeprefix("sqlite:///")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            f"c = sqlite3.connect({path!r}, isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(1.0); c.execute('COMMIT')\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        chat = ChatDriver(app.coach)
        await chat.send("hip thrust 3x10 @ 60kg")
        assert "60 kg" in chat.text
        await chat.send("/history")
        assert "hip thrust" in chat.text.lower()
    finally:
        holder.wait(timeout=10)
        await app.close()


@pytest.mark.parametrize("url", ["sqlite+aiosqlite:///gluteup.db", "sqlite+pysqlite:///gluteup.db"])
def test_a_url_naming_another_sqlite_driver_is_refused_with_the_form_to_write(url):
    with pytest.raises(ValidationError, match=r"sqlite://\.\.\."):
        Settings(database_url=url, _env_file=None)
