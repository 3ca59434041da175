"""perf indexes: reviewers by role, 利用者コード still lacking システム設定

Revision ID: 0020_perf_indexes
Revises: 0019_terms_versions
Create Date: 2026-12-01 20:20:00

Issue 9 item 5, measured at 1M rows: listing the reviewers scanned every user_roles row (its key
leads with user_id); the dashboard's システム設定 deadline list counted pending codes over all of
user_codes. Both are plain indexes, added on a live table without rewriting it.
"""
from alembic import op
import sqlalchemy as sa

revision = '0020_perf_indexes'
down_revision = '0019_terms_versions'
branch_labels = None
depends_on = None

_PENDING = sa.text("settings_completed_at IS NULL")


def upgrade() -> None:
    op.create_index("ix_user_roles_role_user", "user_roles", ["role", "user_id"])
    op.create_index("ix_user_codes_settings_pending", "user_codes", ["application_id"],
                    sqlite_where=_PENDING, postgresql_where=_PENDING)


def downgrade() -> None:
    op.drop_index("ix_user_codes_settings_pending", table_name="user_codes")
    op.drop_index("ix_user_roles_role_user", table_name="user_roles")
