"""change applications: contract versions (the contract in force on any date) and retired 利用者コード

Revision ID: 0017_change_applications
Revises: 0016_reference_data
Create Date: 2026-12-01 20:20:00

An approved 変更申込 writes a contract version valid from the first day of its effective month; the
approved 新規利用申込 stays the first version (no row). A 利用者コード the change deleted gets the
day it left the contract (retired_on); its code stays in issued_codes and is never issued again.
"""
from alembic import op
import sqlalchemy as sa

import db.types

revision = '0017_change_applications'
down_revision = '0016_reference_data'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "contract_versions",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("applicant_id", _ID, sa.ForeignKey("applicants.id"), nullable=False),
        sa.Column("application_id", _ID, sa.ForeignKey("applications.id"), nullable=False, unique=True),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_contract_versions_applicant", "contract_versions", ["applicant_id", "valid_from"])
    with op.batch_alter_table("user_codes") as batch:
        batch.add_column(sa.Column("retired_on", sa.Date, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user_codes") as batch:
        batch.drop_column("retired_on")
    op.drop_index("ix_contract_versions_applicant", table_name="contract_versions")
    op.drop_table("contract_versions")
