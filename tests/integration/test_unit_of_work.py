"""A unit of work that reads first and writes later is still all-or-nothing (bot/storage/read_first.py),
and two workers writing the same row at once both answer as if alone (core.ports.Conflict)."""

import asyncio
from datetime import timedelta

import pytest

from bot.app import build_app
from core.setlog.entries import NewEntry, SetRecord
from tests.seed import user_id_of
from tests.support import ChatDriver


def entry(key: str, now) -> NewEntry:
    return NewEntry(
        "hip_thrust", None, "kg", "hip thrust 3x10 @ 60kg", key, 0, now, now.date(), None, (SetRecord(10, 60.0),) * 3
    )


async def test_a_failure_after_reads_and_writes_stores_nothing(app, chat, clock):
    await chat.send("/help")
    user_id = await user_id_of(app, chat)
    with pytest.raises(RuntimeError):
        async with app.store.unit_of_work() as uow:
            await uow.users.get_or_create(chat.platform, chat.user_id, chat.user_id, chat.display_name, clock.now)
            assert await uow.setlog.entry_ids_for_message(user_id, "k1") == []
            await uow.setlog.add(user_id, entry("k1", clock.now))
            profile = await uow.profiles.get(user_id)
            profile.units = "lb"
            await uow.profiles.save(user_id, profile)
            raise RuntimeError("the message failed half way")
    async with app.store.unit_of_work() as uow:
        assert await uow.setlog.entry_ids_for_message(user_id, "k1") == []
        assert (await uow.profiles.get(user_id)).units == "kg"
        await uow.setlog.add(user_id, entry("k2", clock.now))
        await uow.commit()
    async with app.store.unit_of_work() as uow:
        assert len(await uow.setlog.entry_ids_for_message(user_id, "k2")) == 1


async def test_reads_see_what_the_same_unit_of_work_wrote(app, chat, clock):
    await chat.send("hip thrust 3x10 @ 60kg")
    await chat.send("/undo")
    assert "Removed: Barbell hip thrust 3 x 10 @ 60 kg" in chat.text
    await chat.send("/history")
    assert "No logs yet" in chat.text


async def test_a_unit_of_work_cancelled_half_way_gives_its_connection_back_and_stores_nothing(app, chat, clock):
    """A unit of work that ends normally closes without a turn of the loop; a cancelled one is still
    closed (rolled back, its connection back in the pool) before the cancel goes on."""
    await chat.send("/help")
    user_id = await user_id_of(app, chat)
    inside = asyncio.Event()

    async def interrupted() -> None:
        async with app.store.unit_of_work() as uow:
            await uow.setlog.add(user_id, entry("k-cancelled", clock.now))
            inside.set()
            await asyncio.sleep(10)
            await uow.commit()

    task = asyncio.create_task(interrupted())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert app.engine.pool.checkedout() == 0
    await chat.send("/history")
    assert "No logs yet" in chat.text


@pytest.mark.parametrize(  # read-first (autocommit until the first write) is PostgreSQL's
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
async def test_after_a_message_that_only_read_the_pool_gives_out_whole_transactions(app, chat, clock):
    """A message that only reads runs its SELECTs outside a transaction (read-first). Its connection
    must go back to the pool in the driver's normal mode: whoever takes it next (a migration, the
    postman, a seed) and opens a transaction gets one, reads included, not a statement each."""
    from sqlalchemy import text

    await chat.send("/help")
    await chat.send("/help")  # the second only reads: the first may store the buttons it shows
    for _ in range(app.engine.pool.size()):
        async with app.engine.begin() as conn:
            first = (await conn.execute(text("SELECT txid_current()"))).scalar_one()
            second = (await conn.execute(text("SELECT txid_current()"))).scalar_one()
        assert first == second, "two statements of one transaction ran as two transactions"


@pytest.fixture
async def other_worker(settings, clock):
    """A second worker process on the same database: its own engine, pool and coach."""
    worker = await build_app(settings, clock=clock)
    yield worker
    await worker.close()


ON_POSTGRES = pytest.mark.parametrize(  # workers share PostgreSQL; SQLite serves one process
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)


@ON_POSTGRES
async def test_two_workers_logging_the_same_persons_first_sets_of_a_day_at_once_both_store(chat, other_worker, clock):
    """Behind a webhook load balancer, one person's two messages can reach two workers at the same
    moment. The first set log of a day starts that day's session; both workers read "no session yet"
    and both start one. Both logs must be stored and confirmed, not one answered "nothing was saved"."""
    await chat.send("/days mon wed fri")
    second = ChatDriver(other_worker.coach, user_id=chat.user_id, _counter=100)
    clock.now += timedelta(days=2)  # Wednesday, a training day
    for _ in range(5):  # the race is the point: each try is a new day for the person
        clock.now += timedelta(days=7)
        first_replies, second_replies = await asyncio.gather(
            chat.send("hip thrust 3x10 @ 60kg"), second.send("bridges 2x20")
        )
        assert "Logged" in first_replies[0].text, first_replies[0].text
        assert "Logged" in second_replies[0].text, second_replies[0].text
    await chat.send("/history")
    assert chat.text.count("Barbell hip thrust") == 5 and chat.text.count("Glute bridge") == 5, chat.text


@ON_POSTGRES
async def test_one_message_on_two_workers_at_once_is_stored_once_and_answered_logged_and_already_logged(
    chat, other_worker, clock
):
    """Telegram sends a webhook update again when the first answer was slow, and the load balancer
    may hand the copy to another worker while the first still handles it."""
    await chat.send("/days mon wed fri")
    second = ChatDriver(other_worker.coach, user_id=chat.user_id)
    for attempt in range(5):
        clock.now += timedelta(days=7)
        key = f"redelivered-{attempt}"
        replies = await asyncio.gather(
            chat.send("hip thrust 3x10 @ 60kg", message_key=key),
            second.send("hip thrust 3x10 @ 60kg", message_key=key),
        )
        texts = sorted(reply[0].text for reply in replies)
        assert texts[0].startswith("Already logged") and texts[1].startswith("Logged:"), texts
    await chat.send("/history")
    assert chat.text.count("Barbell hip thrust") == 5, chat.text


@ON_POSTGRES
async def test_messages_after_the_database_dropped_every_connection_are_handled(app, chat, database_url):
    """A database restart, a failover or a proxy that drops idle connections leaves the pool full
    of dead ones. The next messages must get their normal answers: the first one's statement on a
    dead connection fails (SQLAlchemy then replaces the pool's connections), and it used to be
    answered "nothing was saved" (and every message in flight at that moment with it)."""
    from sqlalchemy import text

    from bot.storage.database import create_engine

    people = [ChatDriver(app.coach, user_id=f"p{n}") for n in range(4)]
    for person in people:
        await person.send("/days mon wed fri")
    await asyncio.gather(*(person.send("/help") for person in people))  # several pooled connections
    opened = app.engine.pool.checkedin()
    killer = create_engine(database_url)
    async with killer.connect() as conn:
        await conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    await killer.dispose()
    for n, person in enumerate(people * 2):
        await person.send(f"hip thrust 3x{8 + n} @ 60kg")
        assert person.text.startswith("Logged"), (opened, n, person.text)


@ON_POSTGRES
async def test_a_connection_that_breaks_during_the_commit_is_not_answered_nothing_was_saved(app, chat):
    """When the connection dies while COMMIT is in flight, nobody can tell whether the database
    committed. "Nothing was saved" would make the person send the set again, and if it had been saved
    it is now logged twice; so the answer says it cannot tell and where to look. (Here the database
    ends the connection at commit, from a deferred trigger, so in truth nothing was stored.)"""
    from sqlalchemy import text

    await chat.send("/days mon wed fri")
    async with app.engine.begin() as conn:
        await conn.execute(
            text(
                "CREATE FUNCTION die_at_commit() RETURNS trigger LANGUAGE plpgsql AS"
                " $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$"
            )
        )
        await conn.execute(
            text(
                "CREATE CONSTRAINT TRIGGER die_at_commit AFTER INSERT ON log_entries"
                " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION die_at_commit()"
            )
        )
    await chat.send("hip thrust 3x10 @ 60kg")
    assert "can't tell whether" in chat.text and "/history" in chat.text, chat.text
    assert "nothing was saved" not in chat.text, chat.text
    async with app.engine.begin() as conn:
        await conn.execute(text("DROP TRIGGER die_at_commit ON log_entries"))
    await chat.send("/history")
    assert "Barbell hip thrust" not in chat.text, chat.text  # the database had not committed it
    await chat.send("hip thrust 3x10 @ 60kg")
    assert chat.text.startswith("Logged"), chat.text
