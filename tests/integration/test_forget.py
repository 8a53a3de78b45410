"""/forget deletes everything about one person, after asking, and nothing about anyone else."""

import json
from datetime import date, datetime, timezone

from sqlalchemy import text

from bot.storage import models
from tests.seed import add_reminder_with_delivery, log_sets, report_pain, user_id_of
from tests.support import ChatDriver

# How to count one person's rows in each table, written out by hand rather than
# derived from the schema, so the test does not trust the code it checks.
OWNED_ROWS = {
    "users": "SELECT count(*) FROM users WHERE id = :uid",
    "profiles": "SELECT count(*) FROM profiles WHERE user_id = :uid",
    "training_sessions": "SELECT count(*) FROM training_sessions WHERE user_id = :uid",
    "log_entries": "SELECT count(*) FROM log_entries WHERE user_id = :uid",
    "set_logs": "SELECT count(*) FROM set_logs JOIN log_entries e ON e.id = set_logs.entry_id WHERE e.user_id = :uid",
    "pain_reports": "SELECT count(*) FROM pain_reports WHERE user_id = :uid",
    "reminders": "SELECT count(*) FROM reminders WHERE user_id = :uid",
    "deliveries": "SELECT count(*) FROM deliveries JOIN reminders r ON r.id = deliveries.reminder_id "
    "WHERE r.user_id = :uid",
    "log_undos": "SELECT count(*) FROM log_undos WHERE user_id = :uid",
}
MONDAY = date(2026, 11, 23)


async def owned_counts(app, user_id: int) -> dict[str, int]:
    async with app.engine.connect() as conn:
        return {
            table: (await conn.execute(text(sql), {"uid": user_id})).scalar_one() for table, sql in OWNED_ROWS.items()
        }


def _hashable(row) -> tuple:
    """JSON columns (a profile's open question) come back as dicts on PostgreSQL."""
    return tuple(json.dumps(v, sort_keys=True) if isinstance(v, (dict, list)) else v for v in row)


async def every_row(app) -> dict[str, set[tuple]]:
    async with app.engine.connect() as conn:
        return {table: set(map(_hashable, await conn.execute(text(f"SELECT * FROM {table}")))) for table in OWNED_ROWS}


async def person_with_everything(app, chat: ChatDriver) -> int:
    await chat.send("/tz Europe/Berlin")  # a profile
    await chat.send("/today train")  # a training session
    await log_sets(app, chat, "hip_thrust", [(10, 60), (10, 60), (8, 65)], on=MONDAY, session=("gym_2x", 0))
    await log_sets(app, chat, "glute_bridge", [(20, None)], on=MONDAY)
    await report_pain(app, chat, "lower_back", "mild", datetime(2026, 11, 23, 19, tzinfo=timezone.utc))
    await add_reminder_with_delivery(app, chat, datetime(2026, 11, 23, 17, tzinfo=timezone.utc))
    await chat.send("bridges 2x20")
    await chat.send("/undo")  # an /undo remembered by its message
    return await user_id_of(app, chat)


def test_the_hand_written_counts_cover_every_table_in_the_schema():
    # A new table must be added to OWNED_ROWS (and so checked) before this passes.
    assert set(OWNED_ROWS) == set(models.Base.metadata.tables)


async def test_forget_asks_first_and_cancel_keeps_everything(app, chat):
    user_id = await person_with_everything(app, chat)
    before = await owned_counts(app, user_id)
    await chat.send("/forget")
    assert "cannot be undone" in chat.text and "/export" in chat.text
    await chat.press("Cancel")
    assert "Nothing was deleted" in chat.text
    assert await owned_counts(app, user_id) == before


async def test_forget_deletes_every_row_of_theirs_and_no_one_elses(app, chat):
    other = ChatDriver(app.coach, user_id="2002", display_name="Bo")
    other_id = await person_with_everything(app, other)
    user_id = await person_with_everything(app, chat)
    theirs = await owned_counts(app, user_id)
    assert all(count > 0 for count in theirs.values()), theirs  # the test really has something to delete
    others_before = await owned_counts(app, other_id)
    rows_before = await every_row(app)

    await chat.send("/forget")
    await chat.press("Yes, delete everything")
    assert "everything I stored about you is deleted" in chat.text

    assert await owned_counts(app, user_id) == {table: 0 for table in OWNED_ROWS}
    assert await owned_counts(app, other_id) == others_before
    rows_after = await every_row(app)
    for table in OWNED_ROWS:
        assert rows_after[table] <= rows_before[table], f"{table}: rows changed"
        assert len(rows_before[table]) - len(rows_after[table]) == theirs[table], table


async def test_after_forget_the_person_starts_fresh(app, chat):
    await person_with_everything(app, chat)
    await chat.send("/forget confirm")
    await chat.send("/settings")
    assert "Time zone: UTC" in chat.text and "/start" in chat.text
    await chat.send("/export")
    assert "nothing to export" in chat.text
