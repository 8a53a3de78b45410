"""log_entries: an index on session_id, so reading today's logged exercises stays flat as history grows

Revision ID: 0020_entries_by_session
Revises: 0019_profile_place
Create Date: 2026-11-23 22:50:00

Every message reads the exercises logged in the person's latest session (with their profile,
in one query). Without this index the database finds them by walking all of that person's
entries (the user_id index) and filtering on session_id: on SQLite, 0.36 ms of the bot's own
CPU per message for someone with 1,000 entries, and growing with every log. Only an index is
added; no row changes.
"""

from alembic import op

revision = "0020_entries_by_session"
down_revision = "0019_profile_place"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_log_entries_session", "log_entries", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_log_entries_session", table_name="log_entries")
