"""set details: distance, RIR, warm-up flag, band, note; /undo done once per message

Revision ID: 0013_setlog_details
Revises: 0001
Create Date: 2026-11-23 12:20:00

Existing sets keep every value; the new columns start empty (warm-up: false).
"""

import sqlalchemy as sa
from alembic import op

import bot.storage.models

revision = "0013_setlog_details"
down_revision = "0016_profile_equipment"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("set_logs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("distance_m", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("rir", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("warmup", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("band", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
    op.create_table(
        "log_undos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("message_key", sa.String(length=128), nullable=False),
        sa.Column("done_at", bot.storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_log_undos_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_undos")),
        sa.UniqueConstraint("user_id", "message_key", name="uq_log_undos_message"),
    )


def downgrade() -> None:
    op.drop_table("log_undos")
    with op.batch_alter_table("set_logs", schema=None) as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("band")
        batch_op.drop_column("warmup")
        batch_op.drop_column("rir")
        batch_op.drop_column("distance_m")
