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
        await connection.execute(text(
            "INSERT INTO users (platform, platform_user_id, chat_id, display_name, created_at) "
            "VALUES ('test', '1', '1', 'Ana', '2026-11-23 09:00:00+00:00')"))
    await upgrade_to_head(engine)
    async with engine.connect() as connection:
        count = (await connection.execute(text("SELECT count(*) FROM users"))).scalar_one()
    assert count == 1
    await engine.dispose()


def test_revisions_form_one_line_with_a_single_head():
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1, "two revisions share a parent: re-point one down_revision"
