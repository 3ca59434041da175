"""reference data: システム区分, 業種 (with their system-settings fields), 処理方式, 回線種別 and the
review deadlines as administered rows, and the version token every save changes

Revision ID: 0016_reference_data
Revises: 0015_billing
Create Date: 2026-12-01 20:20:00

Seeded from db.reference (the lists that were hard-coded until now) and db/system_settings_fields.toml
(services.reference_data.seed_rows builds the rows, so the seed and the fallback for an empty table
are one copy). The fee schedule already lives in fee_schedules (0015_billing).
"""
from alembic import op
import sqlalchemy as sa

import db.types

revision = '0016_reference_data'
down_revision = '0015_billing'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    items = op.create_table(
        "reference_items",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("code", sa.String(32), nullable=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("retired", sa.Boolean, nullable=False),
        sa.Column("number", sa.Integer, nullable=True),
        sa.Column("details", sa.JSON, nullable=True),
        sa.UniqueConstraint("kind", "name"),
    )
    op.create_table(
        "reference_data_version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token", sa.String(36), nullable=False),
        sa.Column("changed_at", db.types.UTCDateTime(timezone=True), nullable=False),
    )
    from services.reference_data import seed_rows
    op.bulk_insert(items, seed_rows())


def downgrade() -> None:
    op.drop_table("reference_data_version")
    op.drop_table("reference_items")
