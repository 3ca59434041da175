"""billing: fee schedules with a start month, usage records per 利用者コード and month, usage imports

Revision ID: 0015_billing
Revises: 0014_cutoff_jobs
Create Date: 2026-12-01 17:15:00

A fee schedule applies from its start month (valid_from, the first day of a month) until the next
one starts, so a past month is always computed with the schedule in force then. The first schedule
is seeded with db.reference.FEE_SCHEDULE. Usage records come from an administrator's import; a
record replaced by a later import is kept (superseded_by_import_id) so that undoing that import
restores it. At most one record per 利用者コード and month is in force (a partial unique index).
"""
from datetime import date

from alembic import op
import sqlalchemy as sa

import db.types

revision = '0015_billing'
down_revision = '0014_cutoff_jobs'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")
_IN_FORCE = sa.text("superseded_by_import_id IS NULL")
# The seed's start month: before any office could have been billed.
SEED_VALID_FROM = date(2020, 1, 1)


def upgrade() -> None:
    schedules = op.create_table(
        "fee_schedules",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("valid_from", sa.Date, nullable=False, unique=True),
        sa.Column("basic_per_unit", sa.Integer, nullable=False),
        sa.Column("rate_a", sa.Numeric(8, 4, asdecimal=False), nullable=False),
        sa.Column("rate_b", sa.Numeric(8, 4, asdecimal=False), nullable=False),
        sa.Column("management_reports_per_user_code", sa.Integer, nullable=False),
        sa.Column("bonded_storage_per_user_code", sa.Integer, nullable=False),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_user_id", _ID, sa.ForeignKey("users.id"), nullable=True),
    )
    from datetime import datetime, timezone
    from db.reference import FEE_SCHEDULE
    op.bulk_insert(schedules, [{"valid_from": SEED_VALID_FROM, **FEE_SCHEDULE,
                                "created_at": datetime.now(timezone.utc), "created_by_user_id": None}])
    op.create_table(
        "usage_imports",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("replace", sa.Boolean, nullable=False),
        sa.Column("imported_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("imported_by_user_id", _ID, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("imported_by_login_id", sa.String(64), nullable=True),
        sa.Column("undone_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("undone_by_login_id", sa.String(64), nullable=True),
    )
    op.create_table(
        "usage_records",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("user_code_id", _ID, sa.ForeignKey("user_codes.id"), nullable=False),
        sa.Column("applicant_id", _ID, sa.ForeignKey("applicants.id"), nullable=False),
        sa.Column("month", sa.Date, nullable=False),
        sa.Column("usage_amount", sa.BigInteger, nullable=False),
        sa.Column("import_id", _ID, sa.ForeignKey("usage_imports.id"), nullable=False),
        sa.Column("superseded_by_import_id", _ID, sa.ForeignKey("usage_imports.id"), nullable=True),
    )
    op.create_index("ux_usage_records_in_force", "usage_records", ["user_code_id", "month"], unique=True,
                    sqlite_where=_IN_FORCE, postgresql_where=_IN_FORCE)
    op.create_index("ix_usage_records_applicant_month", "usage_records", ["applicant_id", "month"])
    op.create_index("ix_usage_records_import_id", "usage_records", ["import_id"])
    op.create_index("ix_usage_records_superseded_by_import_id", "usage_records", ["superseded_by_import_id"])


def downgrade() -> None:
    op.drop_table("usage_records")
    op.drop_table("usage_imports")
    op.drop_table("fee_schedules")
