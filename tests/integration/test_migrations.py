"""The schema comes only from Alembic, and Alembic matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from bot.storage.database import alembic_config, create_engine, upgrade_to_head
from bot.storage.models import Base


async def test_a_fresh_database_upgrades_to_head_and_matches_the_models(database_url):
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()

    def check(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert context.get_current_revision() == head
        assert compare_metadata(context, Base.metadata) == []
        tables = set(inspect(connection).get_table_names())
        assert {"users", "profiles", "log_entries", "set_logs", "pain_reports", "reminders", "deliveries"} <= tables

    async with engine.connect() as connection:
        await connection.run_sync(check)
    await engine.dispose()


async def test_upgrading_twice_is_harmless_and_keeps_rows(database_url):
    engine = create_engine(database_url)
    await upgrade_to_head(engine)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO users (platform, platform_user_id, chat_id, display_name, created_at) "
                "VALUES ('test', '1', '1', 'Ana', '2026-11-23 09:00:00+00:00')"
            )
        )
    await upgrade_to_head(engine)
    async with engine.connect() as connection:
        count = (await connection.execute(text("SELECT count(*) FROM users"))).scalar_one()
    assert count == 1
    await engine.dispose()


def test_revisions_form_one_line_with_a_single_head():
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, "two revisions share a parent: re-point one down_revision"


async def test_upgrading_a_database_made_by_the_first_revision_keeps_its_data(database_url):
    """People upgrade a bot with months of logs in it: every later revision must carry them over."""
    from alembic import command

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
                "INSERT INTO users (id, platform, platform_user_id, chat_id, display_name, created_at) "
                "VALUES (8, 'discord', '43', '43', 'Bo', '2026-01-05 09:00:00+00:00')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO profiles (user_id, setting, timezone, units, completed_sessions) "
                "VALUES (7, 'gym', 'Europe/Berlin', 'lb', 12), (8, 'home', 'UTC', 'kg', 0)"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO log_entries (id, user_id, exercise_id, unit, raw_text, message_key, line_no, logged_at, local_date) "
                "VALUES (1, 7, 'hip_thrust', 'lb', 'hip thrust 3x10 135lb', 'tg:42:1', 0, '2026-01-05 09:00:00+00:00', '2026-01-05')"
            )
        )
        await connection.execute(
            text("INSERT INTO set_logs (entry_id, set_no, reps, load_kg, per_side) VALUES (1, 1, 10, 61.235, false)")
        )
        await connection.execute(
            text(
                "INSERT INTO reminders (id, user_id, kind, enabled, timezone, local_time, weekdays, next_due_at, payload) "
                "VALUES (3, 7, 'workout', true, 'Europe/Berlin', '07:30', 'mon,thu', '2026-01-08 06:30:00+00:00', NULL)"
            )
        )
    await upgrade_to_head(engine)
    async with engine.connect() as connection:
        profile = (
            await connection.execute(text("SELECT timezone, units, completed_sessions FROM profiles WHERE user_id = 7"))
        ).one()
        places = (await connection.execute(text("SELECT user_id, place FROM profiles ORDER BY user_id"))).all()
        profile_columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("profiles")}
        )
        sets = (await connection.execute(text("SELECT reps, load_kg FROM set_logs"))).all()
        entry = (await connection.execute(text("SELECT raw_text FROM log_entries WHERE id = 1"))).scalar_one()
        reminder = (
            await connection.execute(
                text("SELECT user_id, kind, enabled, local_time, weekdays FROM reminders WHERE id = 3")
            )
        ).one()
        reminder_columns = await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns("reminders")}
        )
    await engine.dispose()
    assert tuple(reminder) == (7, "workout", True, "07:30", "mon,thu")
    assert not {"timezone", "payload"} & reminder_columns  # dropped: reminders follow the profile's zone
    assert tuple(profile) == ("Europe/Berlin", "lb", 12)
    assert [tuple(p) for p in places] == [(7, "gym"), (8, "home")]  # gym or home, now named place
    assert "setting" not in profile_columns
    assert [tuple(s) for s in sets] == [(10, 61.235)]
    assert entry == "hip thrust 3x10 135lb"
