"""Both adapters queue one person's updates in arrival order and forget idle people."""

import asyncio

from bot.adapters.turns import UserTurns


async def test_one_persons_messages_run_in_the_order_sent_and_others_run_alongside():
    turns, done = UserTurns(), []
    release_first = asyncio.Event()

    async def handle(user, text, wait=None):
        async with turns.turn(user):
            if wait is not None:
                await wait.wait()
            done.append(text)

    first = asyncio.create_task(handle("ana", "hip thrust 3x10", release_first))
    await asyncio.sleep(0)
    second = asyncio.create_task(handle("ana", "/undo"))
    other = asyncio.create_task(handle("bea", "/today"))
    await asyncio.wait_for(other, 1)  # Bea is not held up by Ana's slow message
    assert done == ["/today"]
    release_first.set()
    await asyncio.wait_for(asyncio.gather(first, second), 1)
    assert done == ["/today", "hip thrust 3x10", "/undo"]


async def test_people_without_a_message_in_flight_hold_no_lock():
    turns = UserTurns()
    for n in range(1000):
        async with turns.turn(str(n)):
            assert len(turns) == 1
    assert len(turns) == 0


async def test_a_failing_message_releases_the_turn():
    turns = UserTurns()
    try:
        async with turns.turn("ana"):
            raise RuntimeError("the coach crashed")
    except RuntimeError:
        pass
    async with asyncio.timeout(1):
        async with turns.turn("ana"):
            pass
    assert len(turns) == 0
