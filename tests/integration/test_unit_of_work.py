"""A unit of work that reads first and writes later is still all-or-nothing (bot/storage/read_first.py)."""

import pytest

from core.setlog.entries import NewEntry, SetRecord
from tests.seed import user_id_of


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
    import asyncio

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
