"""profiles: rename `setting` to `place`, so gym-or-home no longer reads like /settings

Revision ID: 0019_profile_place
Revises: 0018_reminder_dead_columns
Create Date: 2026-11-23 15:40:00

The column held where someone trains ("gym" or "home") under a name that sat right
beside the /settings command. A rename, so every profile keeps its value; downgrading
renames it back.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_profile_place"
down_revision = "0018_reminder_dead_columns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.alter_column(
            "setting", new_column_name="place", existing_type=sa.String(length=8), existing_nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.alter_column(
            "place", new_column_name="setting", existing_type=sa.String(length=8), existing_nullable=True
        )
