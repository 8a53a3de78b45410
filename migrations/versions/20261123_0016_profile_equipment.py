"""profile equipment and pinned form notes: what a person trains with, which form fixes show in /today

Revision ID: 0016_profile_equipment
Revises: 0001
Create Date: 2026-11-23 12:20:00

Nullable, so existing profiles keep working: no equipment answer means
"what the program was written for" (core.gear.available); no notes, none shown.
"""

from alembic import op
import sqlalchemy as sa


revision = "0016_profile_equipment"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("equipment", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("form_notes", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("form_notes")
        batch.drop_column("equipment")
