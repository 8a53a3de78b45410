"""pain check-ins get ledger rows: deliveries.pain_report_id, reminder_id nullable

Revision ID: 0014_checkin_ledger
Revises: 0001
Create Date: 2026-11-23 12:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0014_checkin_ledger"
down_revision = "0013_setlog_details"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.alter_column("reminder_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("pain_report_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_deliveries_pain_report_id_pain_reports"),
            "pain_reports",
            ["pain_report_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_unique_constraint("uq_deliveries_pain_report_slot", ["pain_report_id", "slot_at"])


def downgrade() -> None:
    op.execute("DELETE FROM deliveries WHERE reminder_id IS NULL")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_constraint("uq_deliveries_pain_report_slot", type_="unique")
        batch.drop_constraint(op.f("fk_deliveries_pain_report_id_pain_reports"), type_="foreignkey")
        batch.drop_column("pain_report_id")
        batch.alter_column("reminder_id", existing_type=sa.Integer(), nullable=False)
