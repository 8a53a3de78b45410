"""How many database statements and round trips one message costs a returning user (issue 20).

Every statement the driver executes is counted with SQLAlchemy's `before_cursor_execute`
event; BEGIN and COMMIT are counted when the driver really sends them.

A *round trip* is one request the driver waits on:
- asyncpg (PostgreSQL): BEGIN, each statement and COMMIT are each a message to the server
  and a wait for its answer. asyncpg sends BEGIN just before a statement when its
  connection is not in autocommit mode and has no transaction yet (seen here from the
  driver connection's state), and COMMIT only for a transaction it began. A message that
  only reads runs in autocommit (bot/storage/read_first.py): its SELECTs and nothing else.
- SQLite: there is no server, and the driver runs on the loop's thread
  (bot/storage/sqlite_inline.py), so nothing is a round trip; the statements are still counted,
  because each costs SQLAlchemy's per-statement work. pysqlite sends BEGIN itself, only before
  a write, so a reading message never opens a transaction; the COMMIT call at the end of every
  message is counted too (a no-op inside SQLite when nothing was written).

The counts are printed (pytest -s shows them) and asserted against the limits below.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event

from tests.seed import log_sets, user_id_of

# The person with their profile, pain, today's session and this message's stored entries (the
# duplicate check by the unique key); the exercise's last entries with their sets and its best sets;
# the entry with its sets; COMMIT. SQLite cannot insert into two tables in one statement (no INSERT
# inside WITH), so there the entry and its sets take two.
SET_LOG_LIMIT = {"postgresql": 4, "sqlite": 5}
# Statements of a message that changes nothing (asked twice: the first may store the buttons it shows):
# the person's read, which for /today also brings the recent sets its loads come from, and for /week
# the week's sets, its training days and pain.
READ_LIMIT = {"/help": 1, "what a lovely day": 1, "/today": 1, "/week": 1}


@dataclass
class Tally:
    statements: list[str] = field(default_factory=list)
    transactions: list[str] = field(default_factory=list)

    @property
    def round_trips(self) -> int:
        return len(self.statements) + len(self.transactions)


@contextmanager
def counting(engine):
    tally = Tally()
    sync = engine.sync_engine
    postgres = engine.dialect.name == "postgresql"

    def driver(conn):
        return conn.connection.dbapi_connection

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        if postgres and driver(conn)._transaction is None and not driver(conn).autocommit:
            tally.transactions.append("BEGIN")  # asyncpg starts its transaction before this statement
        tally.statements.append(" ".join(statement.split()))

    def on_commit(conn):
        if not postgres or driver(conn)._transaction is not None:
            tally.transactions.append("COMMIT")

    listeners = [("before_cursor_execute", on_execute), ("commit", on_commit)]
    for name, fn in listeners:
        event.listen(sync, name, fn)
    try:
        yield tally
    finally:
        for name, fn in listeners:
            event.remove(sync, name, fn)


async def returning_user(app, chat, clock):
    """Onboarded, with a week of history: the person the figures are about."""
    await chat.send("/tz Europe/Berlin")
    await chat.send("/days mon wed fri")
    for weeks_ago in (1, 2):
        day = clock.now.date().fromordinal(clock.now.date().toordinal() - 7 * weeks_ago)
        await log_sets(app, chat, "hip_thrust", [(10, 60)] * 3, on=day, zone="Europe/Berlin")
    await chat.send("hip thrust 3x10 @ 60kg")  # today's session exists, like mid-workout
    await user_id_of(app, chat)


async def measure(app, chat, text: str) -> Tally:
    with counting(app.engine) as tally:
        replies = await chat.send(text)
    assert replies and "went wrong" not in replies[0].text, replies
    return tally


def report(name: str, tally: Tally, dialect: str) -> None:
    print(
        f"[{dialect}] {name}: {len(tally.statements)} statements, {tally.round_trips} round trips "
        f"({', '.join(tally.transactions) or 'no BEGIN/COMMIT'})"
    )
    for statement in tally.statements:
        print(f"    {statement[:120]}")


async def test_a_set_log_costs_at_most_four_statements(app, chat, clock):
    await returning_user(app, chat, clock)
    dialect = app.engine.dialect.name
    for text in ("rdl 4x8 @ 70 kg rpe 8", "hip thrust 60kg x 10, 10, 8", "bss 10/10/8 12.5kg"):
        tally = await measure(app, chat, text)
        report(f"set log '{text}'", tally, dialect)
        statements = [s for s in tally.statements if not s.upper().startswith(("BEGIN", "COMMIT"))]
        assert len(statements) + 1 <= SET_LOG_LIMIT[dialect], tally.statements  # + the COMMIT


async def test_messages_that_change_nothing_only_read(app, chat, clock):
    await returning_user(app, chat, clock)
    dialect = app.engine.dialect.name
    for text, limit in READ_LIMIT.items():
        first = await measure(app, chat, text)
        report(f"{text} (first)", first, dialect)
        assert all(not s.upper().startswith(("INSERT", "DELETE")) for s in first.statements), first.statements
        again = await measure(app, chat, text)
        report(f"{text} (again)", again, dialect)
        assert len(again.statements) <= limit, again.statements
        assert all(s.upper().startswith("SELECT") for s in again.statements), again.statements
        assert "BEGIN" not in again.transactions, again.transactions
        if dialect == "postgresql":
            assert again.round_trips == len(again.statements), again.transactions


async def test_a_set_log_reads_no_history_however_long(app, chat, clock):
    """1,000 earlier sets of the exercise: the same statements as with a short history, and none of
    them returns the earlier sets one by one; the record is still judged against all of them."""
    await returning_user(app, chat, clock)
    short = await measure(app, chat, "hip thrust 3x10 @ 60kg")
    today = clock.now.date()
    for n in range(100):  # 100 entries of 10 sets, the heaviest 8 reps at 100 kg
        day = today.fromordinal(today.toordinal() - 21 - n)
        await log_sets(app, chat, "hip_thrust", [(8, 90 + n % 11)] * 10, on=day, zone="Europe/Berlin")
    long = await measure(app, chat, "hip thrust 1x8 @ 102.5kg")
    report("set log after 1,000 earlier sets", long, app.engine.dialect.name)
    assert len(long.statements) == len(short.statements), long.statements
    reads = [s for s in long.statements if s.upper().startswith("SELECT") and "set_logs" in s]
    assert all("max(" in s.lower() or "IN (SELECT" in s for s in reads), reads
    assert "New record: 102.5 kg for 8 reps (before: 100 kg)" in chat.text, chat.text


async def test_today_and_week_read_ahead_say_what_the_database_holds(app, chat, clock):
    """What /today and /week show comes from the one read: today's logged exercise is ticked off and
    the week counts today's sets."""
    await returning_user(app, chat, clock)
    await chat.send("single leg hip thrust 3x10")
    today = await measure(app, chat, "/today")
    assert "✅ Single-leg hip thrust" in chat.text, chat.text
    week = await measure(app, chat, "/week")
    assert "Trained on Mon." in chat.text and "Barbell hip thrust: 60 kg x 10" in chat.text, chat.text
    assert len(today.statements) + len(week.statements) <= 4, today.statements + week.statements


async def test_a_new_person_and_one_mid_onboarding_get_today_and_week(app, chat, clock):
    replies = await chat.send("/week")  # first contact: the read finds no one, so nothing was read ahead
    assert "Nothing logged this week yet" in replies[0].text, replies
    await chat.send("/start")  # the onboarding question is open
    replies = await chat.send("/today")
    assert "went wrong" not in chat.text and replies[0].title, replies
    again = await measure(app, chat, "/today")
    assert len(again.statements) == 1, again.statements


async def test_far_time_zones_read_their_week_in_one_statement(app, chat, clock):
    """UTC+14 just after its midnight and UTC-11 just before its own: their today is the day after
    and the day before UTC's, and /week still reads once and counts the right local days."""
    for zone, local_now, expected_week in (
        ("Pacific/Kiritimati", "2026-11-30 00:30", "Mon 30 Nov - Sun 06 Dec"),
        ("Pacific/Pago_Pago", "2026-11-29 22:30", "Mon 23 Nov - Sun 29 Nov"),
    ):
        clock.set_local(local_now, zone)
        await chat.send(f"/tz {zone}")
        await chat.send("hip thrust 3x10 @ 60kg")
        await measure(app, chat, "/week")  # the first may store its buttons
        tally = await measure(app, chat, "/week")
        assert expected_week in chat.text, chat.text
        assert "Barbell hip thrust: 60 kg x 10" in chat.text, chat.text
        assert len(tally.statements) == 1, tally.statements


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # PostgreSQL's plans follow its statistics
async def test_the_persons_read_finds_todays_logs_by_session_not_by_walking_their_history(app, chat, clock):
    """Every message reads the exercises logged in the person's latest session. SQLite runs the query
    in the bot's own process, so a plan that walks all of the person's entries to find them costs
    every message of a long-time user more CPU with each log (0.36 ms at 1,000 entries). The plan of
    the person's read, as SQLite would run it, must look them up by session."""
    await returning_user(app, chat, clock)
    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(app.engine.sync_engine, "before_cursor_execute", capture)
    try:
        await chat.send("/today")
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", capture)
    statement, parameters = seen[0]  # the person's read comes first
    with closing(sqlite3.connect(app.engine.url.database)) as db:
        plan = [row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    logged = [step for step in plan if step.startswith("SEARCH logged")]
    assert logged and all("ix_log_entries_session" in step for step in logged), plan
