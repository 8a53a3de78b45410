"""reminders: drop `timezone` and `payload`, which nothing read

Revision ID: 0018_reminder_dead_columns
Revises: 0013_setlog_details
Create Date: 2026-11-23 13:20:00

A reminder always follows its owner's profile time zone (core.reminders.next_due), so
the copy in `reminders.timezone` was written and never read, and went stale whenever
someone changed /tz; `payload` was never written. Every reminder row and all its other
values are kept. Downgrading restores the columns, the zone copied from the profile.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_reminder_dead_columns"
down_revision = "0014_checkin_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_column("payload")
        batch_op.drop_column("timezone")


def downgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False))
        batch_op.add_column(sa.Column("payload", sa.JSON(), nullable=True))
    op.execute(
        "UPDATE reminders SET timezone = COALESCE("
        "(SELECT profiles.timezone FROM profiles WHERE profiles.user_id = reminders.user_id), 'UTC')"
    )
