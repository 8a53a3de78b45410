"""Revision 0013_setlog_details adds set details without touching the sets already logged."""

from alembic import command
from sqlalchemy import text

from bot.storage.database import alembic_config, create_engine, upgrade_to_head


async def test_sets_logged_before_the_details_existed_keep_every_value(database_url):
    engine = create_engine(database_url)

    def upgrade_to(revision):
        def run(connection):
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

        return run

    async with engine.begin() as connection:
        await connection.run_sync(upgrade_to("0001"))
        await connection.execute(
            text(
                "INSERT INTO users (id, platform, platform_user_id, chat_id, display_name, created_at) "
                "VALUES (7, 'telegram', '42', '42', 'Ana', '2026-01-05 09:00:00+00:00')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO log_entries (id, user_id, exercise_id, unit, raw_text, message_key, line_no, logged_at, "
                "local_date) VALUES (1, 7, 'hip_thrust', 'kg', 'hip thrust 3x10 @ 60kg rpe 8', 'tg:42:1', 0, "
                "'2026-01-05 09:00:00+00:00', '2026-01-05')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO set_logs (entry_id, set_no, reps, load_kg, seconds, rpe, per_side) "
                "VALUES (1, 1, 10, 60.0, NULL, 8.0, true)"
            )
        )
    await upgrade_to_head(engine)
    async with engine.connect() as connection:
        row = (
            await connection.execute(
                text("SELECT reps, load_kg, rpe, per_side, warmup, rir, band, note, distance_m FROM set_logs")
            )
        ).one()
        undos = (await connection.execute(text("SELECT count(*) FROM log_undos"))).scalar_one()
    await engine.dispose()
    assert tuple(row) == (10, 60.0, 8.0, True, False, None, None, None, None)
    assert undos == 0
